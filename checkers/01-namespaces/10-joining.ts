import { defineChecker, inNamespacesOf, killLabProcesses, labProcessesNamed, namespacesOf, requireLabProcesses, startLabProcessCalled, waitFor, type CheckContext } from '../../src/kit/index.js';

const target = 'isolab-target';
const joined = 'isolab-joined';
const kinds = ['uts', 'ipc', 'net'] as const;
const join = `PID=$(pgrep -nf '^${target} '); setsid -f nsenter -t "$PID" -u -i -n bash -c 'exec -a ${joined} sleep infinity'`;
/** The process the learner leaves in the target's namespaces. */
const joinedLab = { name: joined, start: join };
const startTarget = `setsid -f unshare --uts --ipc --net bash -c 'hostname isolab-joinme && exec -a ${target} sleep infinity'`;

const links = (context: CheckContext, pid: number | 'self') => namespacesOf(context, pid, kinds);

export default defineChecker({
  checks: [
    {
      id: 'target',
      title: `${target} runs in UTS, IPC and network namespaces of its own`,
      tag: 'observe',
      timeoutMs: 10_000,
      async run(context) {
        const candidates = labProcessesNamed(context, target);
        if (candidates.length === 0) return { pass: false, message: `no process named ${target} is running`, observed: { processes: [] }, hint: `\`isolab start 1.10\` starts it; or start it yourself: \`${startTarget}\`.` };
        const ours = links(context, 'self');
        const seen = candidates.map((candidate) => ({ pid: candidate.pid, ...links(context, candidate.pid) }));
        const own = seen.find((entry) => kinds.every((kind) => entry[kind] !== null && entry[kind] !== ours[kind]));
        if (own) return { pass: true, message: `${target} (pid ${own.pid}) is in ${kinds.map((kind) => own[kind]).join(', ')}`, observed: { target: own, ours } };
        const first = seen[0]!;
        const shared = kinds.filter((kind) => first[kind] === ours[kind]);
        return {
          pass: false,
          message: `${target} (pid ${first.pid}) shares isolab's ${shared.join(', ') || 'namespaces (unreadable)'} namespace(s)`,
          observed: { target: first, ours },
          hint: `Stop it (\`kill ${first.pid}\`) and run \`isolab start 1.10\` again, or \`${startTarget}\`.`,
        };
      },
    },
    {
      id: 'joined',
      title: `${joined} is in the same UTS, IPC and network namespaces as ${target}`,
      tag: 'observe',
      timeoutMs: 10_000,
      async run(context) {
        const targets = labProcessesNamed(context, target).map((entry) => ({ pid: entry.pid, ...links(context, entry.pid) }));
        if (targets.length === 0) return { pass: false, message: `no ${target} is running, so there is nothing to join`, observed: {}, hint: 'Run `isolab start 1.10` first.' };
        const members = requireLabProcesses(context, joinedLab).map((entry) => ({ pid: entry.pid, ...links(context, entry.pid) }));
        const ours = links(context, 'self');
        for (const member of members) {
          const match = targets.find((t) => kinds.every((kind) => member[kind] !== null && member[kind] === t[kind] && t[kind] !== ours[kind]));
          if (match) return { pass: true, message: `${joined} (pid ${member.pid}) and ${target} (pid ${match.pid}) share ${kinds.map((kind) => member[kind]).join(', ')}`, observed: { joined: member, target: match } };
        }
        const member = members[0]!;
        const t = targets[0]!;
        const differ = kinds.filter((kind) => member[kind] !== t[kind]);
        const missingFlags = differ.map((kind) => ({ uts: '-u', ipc: '-i', net: '-n' })[kind]).join(' ');
        return {
          pass: false,
          message: `${joined} (pid ${member.pid}) is in other ${differ.join(', ')} namespace(s) than ${target} (pid ${t.pid})`,
          observed: { joined: member, target: t, ours },
          hint: differ.every((kind) => member[kind] === ours[kind])
            ? `It stayed in the host's namespaces: nsenter joins only the kinds you name. Stop it (\`kill ${member.pid}\`) and start it with ${missingFlags}: \`${join}\`.`
            : `Stop it (\`kill ${member.pid}\`) and join with \`nsenter -t ${t.pid} ${missingFlags}\` (did you pick the right pid?): \`${join}\`.`,
        };
      },
    },
    {
      id: 'hostname',
      title: `inside, ${joined} sees the hostname isolab-joinme`,
      tag: 'observe',
      timeoutMs: 10_000,
      async run(context) {
        const { pid } = requireLabProcesses(context, joinedLab)[0]!;
        const name = (await inNamespacesOf(context, pid, ['-u'], ['hostname'])).stdout ?? '';
        return name === 'isolab-joinme'
          ? { pass: true, message: `nsenter -t ${pid} -u hostname says isolab-joinme`, observed: { hostname: name } }
          : { pass: false, message: `in ${joined}'s UTS namespace the hostname is ${name || '(unreadable)'}`, observed: { hostname: name || null }, hint: 'It did not join the target\'s UTS namespace: nsenter needs -u.' };
      },
    },
  ],

  async setup(context) {
    await killLabProcesses(context, joined);
    if (labProcessesNamed(context, target).length > 0) return;
    await startLabProcessCalled(context, target, 'unshare', ['--uts', '--ipc', '--net', 'bash', '-c', `hostname isolab-joinme && exec -a ${target} sleep infinity`]);
  },

  async cleanup(context) {
    for (const name of [joined, target]) await killLabProcesses(context, name);
  },

  // Step 3: nsenter into the target's UTS, IPC and network namespaces and leave a marked sleep there.
  async solution(context) {
    const t = await waitFor(context, `a running ${target}`, () => labProcessesNamed(context, target)[0]);
    await startLabProcessCalled(context, joined, 'nsenter', ['-t', String(t.pid), '-u', '-i', '-n', 'bash', '-c', `exec -a ${joined} sleep infinity`]);
  },
});
