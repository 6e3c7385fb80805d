import { writeFileSync } from 'node:fs';
import { readTrimmed } from '../../src/system/index.js';
import { defineChecker, failCheck, killLabProcesses, requireLabProcesses, startLabProcessCalled, systemPath, type CheckContext } from '../../src/kit/index.js';
import { namespaceOf, statusField } from '../../src/verify/index.js';

const name = 'isolab-user';
const start = `U=\${SUDO_UID:-1000} G=\${SUDO_GID:-1000}; setsid -f setpriv --reuid=$U --regid=$G --clear-groups unshare --user bash -c 'exec -a ${name} sleep infinity'`;

/** /proc/<pid>/uid_map: `inside outside count` per line, in the reader's view (proc(5), user_namespaces(7)). */
const parseMap = (text: string) => text.split('\n').map((line) => line.trim().split(/\s+/).map(Number)).filter((fields) => fields.length === 3 && fields.every(Number.isFinite));

const uidMap = (context: CheckContext, pid: number | 'self') => readTrimmed(systemPath(context, `/proc/${pid}/uid_map`));
const describeMap = (map: number[][]) => (map.length === 0 ? 'empty' : map.map((line) => line.join(' ')).join('; '));

/**
 * The running candidates in a user namespace of its own (by the ns link, or by uid_map where the link cannot be
 * read), with their map, the uid that uid 0 inside is outside (if mapped) and their real uid as isolab sees it.
 * None ends the check as failed.
 */
function ownCandidates(context: CheckContext) {
  const ourMap = uidMap(context, 'self');
  const ourNs = namespaceOf(context.system, 'self', 'user');
  const candidates = requireLabProcesses(context, { name, start }).map(({ pid }) => {
    const text = uidMap(context, pid) ?? '';
    const theirNs = namespaceOf(context.system, pid, 'user');
    // uid_map is readable by everybody; the ns link only with ptrace rights (root, or the same user).
    const own = theirNs !== undefined && ourNs !== undefined ? theirNs !== ourNs : text !== ourMap;
    const map = parseMap(text);
    const uid = statusField(context.system, pid, 'Uid')?.split(/\s+/)[0];
    return { pid, own, map, root: map.find(([inside, , count]) => inside === 0 && count! > 0)?.[1], uid: uid === undefined ? undefined : Number(uid) };
  });
  const own = candidates.filter((candidate) => candidate.own);
  if (own.length > 0) return own;
  return failCheck({
    message: `${name} (pid ${candidates[0]!.pid}) is in isolab's own user namespace`,
    observed: { pid: candidates[0]!.pid, uidMap: describeMap(candidates[0]!.map) },
    hint: `Start it with \`unshare --user\` (step 4): \`${start}\`.`,
  });
}

export default defineChecker({
  checks: [
    {
      id: 'own-user',
      title: `${name} runs in a user namespace of its own`,
      tag: 'observe',
      timeoutMs: 10_000,
      async run(context) {
        const found = ownCandidates(context)[0]!;
        return {
          pass: true,
          message: `${name} (pid ${found.pid}) is in ${namespaceOf(context.system, found.pid, 'user') ?? 'a user namespace of its own'}`,
          observed: { pid: found.pid, uidMap: describeMap(found.map) },
        };
      },
    },
    {
      id: 'root-inside',
      title: 'uid 0 is mapped inside',
      tag: 'observe',
      timeoutMs: 10_000,
      async run(context) {
        const own = ownCandidates(context);
        const found = own.find((candidate) => candidate.root !== undefined);
        if (found) return { pass: true, message: `uid_map of pid ${found.pid}: ${describeMap(found.map)}`, observed: { pid: found.pid, uidMap: describeMap(found.map) } };
        const first = own[0]!;
        return {
          pass: false,
          message: `uid_map of pid ${first.pid} is ${describeMap(first.map)}: nobody is root inside`,
          observed: { pid: first.pid, uidMap: describeMap(first.map) },
          hint:
            first.map.length === 0
              ? `A new user namespace maps no ids until somebody writes its map, once. From your root shell: \`echo "0 ${first.uid ?? '$U'} 1" > /proc/${first.pid}/uid_map\` (and the same for gid_map).`
              : `The map is written and can never be changed; it does not map uid 0. Stop the process (\`kill ${first.pid}\`), start it again and write \`0 <uid> 1\`.`,
        };
      },
    },
    {
      id: 'ordinary-outside',
      title: 'root inside is an ordinary user outside',
      tag: 'observe',
      timeoutMs: 10_000,
      async run(context) {
        const candidates = ownCandidates(context).filter((candidate) => candidate.root !== undefined);
        if (candidates.length === 0) return { pass: false, message: 'no namespace maps uid 0 yet', observed: {}, hint: 'Fix the uid 0 check first.' };
        const good = candidates.find((candidate) => candidate.root !== 0 && candidate.root === candidate.uid);
        if (good) {
          // The learner's own uid when a `sudo -s` opened the root shell; any ordinary uid will do (the lesson uses 1000).
          const learnerUid = context.system.env.SUDO_UID ? Number(context.system.env.SUDO_UID) : null;
          return {
            pass: true,
            message: `root in pid ${good.pid}'s namespace is uid ${good.root} outside, the uid the process runs as`,
            observed: { pid: good.pid, rootIsOutside: good.root, uid: good.uid, learnerUid },
          };
        }
        const first = candidates[0]!;
        return {
          pass: false,
          message: `root inside pid ${first.pid}'s namespace is uid ${first.root} outside; the process runs as uid ${first.uid ?? 'unknown'}`,
          observed: { pid: first.pid, rootIsOutside: first.root, uid: first.uid ?? null },
          hint:
            first.root === 0
              ? `Root inside is real root outside, which is what user namespaces exist to avoid. Start the process as an ordinary user, and map uid 0 to that user: \`${start}\`, then write its maps (step 4).`
              : `Map uid 0 to the uid the process runs as (${first.uid ?? 'see the Uid line of /proc/<pid>/status'}): that is the user who owns the namespace. Stop it (\`kill ${first.pid}\`) and start again.`,
        };
      },
    },
  ],

  async cleanup(context) {
    await killLabProcesses(context, name);
  },

  // Step 4 of the lesson: an ordinary user's namespace, its maps written by hand from the root shell.
  async solution(context) {
    const uid = context.system.env.SUDO_UID ?? '1000';
    const gid = context.system.env.SUDO_GID ?? '1000';
    const pid = await startLabProcessCalled(context, name, 'setpriv', [`--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', 'unshare', '--user', 'bash', '-c', `exec -a ${name} sleep infinity`]);
    writeFileSync(systemPath(context, `/proc/${pid}/uid_map`), `0 ${uid} 1\n`);
    writeFileSync(systemPath(context, `/proc/${pid}/gid_map`), `0 ${gid} 1\n`);
  },
});
