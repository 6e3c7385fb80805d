import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineChecker, failCheck, killLabProcesses, requireLabProcesses, startLabProcessCalled, type CheckContext } from '../../src/kit/index.js';
import { namespaceOf, statusField } from '../../src/verify/index.js';

const name = 'isolab-user';
const start = `U=\${SUDO_UID:-1000} G=\${SUDO_GID:-1000}; setsid -f setpriv --reuid=$U --regid=$G --clear-groups unshare --user bash -c 'exec -a ${name} sleep infinity'`;

interface MapLine {
  inside: number;
  outside: number;
  count: number;
}

/** /proc/<pid>/uid_map: `inside outside count` per line, in the reader's view (proc(5), user_namespaces(7)). */
function parseMap(text: string): MapLine[] {
  return text
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number))
    .filter((fields) => fields.length === 3 && fields.every(Number.isFinite))
    .map(([inside, outside, count]) => ({ inside: inside!, outside: outside!, count: count! }));
}

const readUidMap = (context: CheckContext, pid: number | 'self') => {
  try {
    return readFileSync(join(context.system.proc, String(pid), 'uid_map'), 'utf8');
  } catch {
    return undefined;
  }
};

/** The uid outside that uid 0 inside maps to, or undefined when 0 is not mapped. */
function rootOutside(lines: MapLine[]): number | undefined {
  const line = lines.find((entry) => entry.inside === 0 && entry.count > 0);
  return line?.outside;
}

interface Candidate {
  pid: number;
  /** Its user namespace differs from isolab's (by the ns link, or by uid_map where the link is unreadable). */
  own: boolean;
  map: MapLine[];
  /** Its real uid as isolab's namespace sees it. */
  uid: number | undefined;
}

const describeMap = (map: MapLine[]) => (map.length === 0 ? 'empty' : map.map((line) => `${line.inside} ${line.outside} ${line.count}`).join('; '));

/** The running candidates in a user namespace of its own; none (or none running) ends the check as failed. */
function ownCandidates(context: CheckContext): Candidate[] {
  const ourMap = readUidMap(context, 'self');
  const ourNs = namespaceOf(context.system, 'self', 'user');
  const candidates = requireLabProcesses(context, { name, start }).map((candidate) => {
    const text = readUidMap(context, candidate.pid) ?? '';
    const theirNs = namespaceOf(context.system, candidate.pid, 'user');
    // uid_map is readable by everybody; the ns link only with ptrace rights (root, or the same user).
    const own = theirNs !== undefined && ourNs !== undefined ? theirNs !== ourNs : text !== ourMap;
    const uid = statusField(context.system, candidate.pid, 'Uid')?.split(/\s+/)[0];
    return { pid: candidate.pid, own, map: parseMap(text), uid: uid === undefined ? undefined : Number(uid) };
  });
  const own = candidates.filter((candidate) => candidate.own);
  if (own.length > 0) return own;
  return failCheck({
    message: `${name} (pid ${candidates[0]!.pid}) is in isolab's own user namespace`,
    observed: { pid: candidates[0]!.pid, uidMap: describeMap(candidates[0]!.map) },
    hint: `Start it with \`unshare --user\` (step 4): \`${start}\`.`,
  });
}

/** The learner's own uid when a `sudo -s` opened the root shell (SUDO_UID); otherwise any ordinary uid will do (the lesson uses 1000). */
const learnerUid = (context: CheckContext) => (context.system.env.SUDO_UID ? Number(context.system.env.SUDO_UID) : undefined);

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
        const found = own.find((candidate) => rootOutside(candidate.map) !== undefined);
        if (found) {
          return { pass: true, message: `uid_map of pid ${found.pid}: ${describeMap(found.map)}`, observed: { pid: found.pid, uidMap: describeMap(found.map) } };
        }
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
        const candidates = ownCandidates(context).filter((candidate) => rootOutside(candidate.map) !== undefined);
        if (candidates.length === 0) return { pass: false, message: 'no namespace maps uid 0 yet', observed: {}, hint: 'Fix the uid 0 check first.' };
        const expected = learnerUid(context);
        const good = candidates.find((candidate) => {
          const outside = rootOutside(candidate.map)!;
          return outside !== 0 && outside === candidate.uid;
        });
        if (good) {
          const outside = rootOutside(good.map)!;
          return {
            pass: true,
            message: `root in pid ${good.pid}'s namespace is uid ${outside} outside, the uid the process runs as`,
            observed: { pid: good.pid, rootIsOutside: outside, uid: good.uid, learnerUid: expected ?? null },
          };
        }
        const first = candidates[0]!;
        const outside = rootOutside(first.map)!;
        return {
          pass: false,
          message: `root inside pid ${first.pid}'s namespace is uid ${outside} outside; the process runs as uid ${first.uid ?? 'unknown'}`,
          observed: { pid: first.pid, rootIsOutside: outside, uid: first.uid ?? null },
          hint:
            outside === 0
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
    writeFileSync(join(context.system.proc, String(pid), 'uid_map'), `0 ${uid} 1\n`);
    writeFileSync(join(context.system.proc, String(pid), 'gid_map'), `0 ${gid} 1\n`);
  },
});
