import { mkdirSync } from 'node:fs';
import { readTrimmed } from '../../src/system/index.js';
import { cgroup2Path, cgroupPids, defineChecker, inNamespacesOfEach, killLabProcesses, ownNamespaceCheck, removeEmptyDirs, requireLabProcesses, startLabProcessCalled, systemPath, waitFor, type CheckContext, type CheckOutcome } from '../../src/kit/index.js';

const name = 'isolab-cgns';
// The cgroup the lesson's text names, in the cgroup2 tree. It is not front matter (`cgroup:`): the live panel
// would read it through the cgroup manager, which works on the v1 hierarchies of a hybrid machine.
const cgroup = 'isolab/cgns-lab';
const lab = { name, start: `mkdir -p /sys/fs/cgroup/${cgroup} && setsid -f bash -c 'echo $$ > /sys/fs/cgroup/${cgroup}/cgroup.procs && exec unshare --cgroup bash -c "exec -a ${name} sleep infinity"'` };

/** The `0::` line of /proc/<pid>/cgroup, as whoever reads it sees it. */
const v2Path = (text: string) => /^0::(.*)$/m.exec(text)?.[1];

const hostView = (context: CheckContext, pid: number) => v2Path(readTrimmed(systemPath(context, `/proc/${pid}/cgroup`)) ?? '');

export default defineChecker({
  checks: [
    {
      id: 'own-cgroupns',
      title: `${name} runs in a cgroup namespace of its own`,
      tag: 'observe',
      timeoutMs: 10_000,
      run: async (context) => ownNamespaceCheck(context, lab, 'cgroup', '--cgroup'),
    },
    {
      id: 'host-view',
      title: `from the host, ${name} is in /${cgroup}`,
      tag: 'observe',
      timeoutMs: 10_000,
      async run(context): Promise<CheckOutcome> {
        const seen = requireLabProcesses(context, lab).map((candidate) => ({ pid: candidate.pid, cgroup: hostView(context, candidate.pid) ?? null }));
        const match = seen.find((entry) => entry.cgroup === `/${cgroup}`);
        if (match) return { pass: true, message: `/proc/${match.pid}/cgroup, read from the host, says 0::/${cgroup}`, observed: { processes: seen } };
        return {
          pass: false,
          message: `/proc/${seen[0]!.pid}/cgroup, read from the host, says 0::${seen[0]!.cgroup ?? '(unreadable)'}`,
          observed: { processes: seen },
          hint: `Move it into /${cgroup} first: the shell writes its own pid ($$) into cgroup.procs, then execs unshare. \`kill ${seen[0]!.pid}\` and start again: \`${lab.start}\`.`,
        };
      },
    },
    {
      id: 'inside-view',
      title: `inside its cgroup namespace, ${name} sees 0::/`,
      tag: 'observe',
      timeoutMs: 15_000,
      async run(context): Promise<CheckOutcome> {
        const pids = requireLabProcesses(context, lab).map((entry) => entry.pid);
        const seen = (await inNamespacesOfEach(context, pids, ['-C'], (pid) => ['cat', `/proc/${pid}/cgroup`])).map(({ pid, stdout }) => ({ pid, inside: v2Path(stdout ?? '') ?? null }));
        const match = seen.find((entry) => entry.inside === '/');
        if (match) return { pass: true, message: `nsenter -t ${match.pid} -C cat /proc/${match.pid}/cgroup says 0::/`, observed: { processes: seen } };
        const first = seen[0]!;
        return {
          pass: false,
          message: `inside its cgroup namespace, pid ${first.pid} is at 0::${first.inside ?? '(unreadable)'}`,
          observed: { processes: seen },
          hint: first.inside?.endsWith(`/${cgroup}`)
            ? `The namespace was made before the move: its root is the cgroup the shell was in then. Join /${cgroup} first, then \`unshare --cgroup\`: \`${lab.start}\`.`
            : `It is not in a cgroup namespace rooted at its cgroup. Stop it (\`kill ${first.pid}\`) and start it as the lesson shows: \`${lab.start}\`.`,
        };
      },
    },
  ],

  async cleanup(context) {
    await killLabProcesses(context, name);
    await waitFor(context, `an empty ${cgroup}`, () => ((cgroupPids(context, cgroup) ?? []).length === 0 ? true : undefined), 10_000);
    removeEmptyDirs([cgroup, 'isolab'].map((path) => cgroup2Path(context, path).dir));
  },

  // Step 3: mkdir the cgroup, move a shell into it, then unshare --cgroup and leave a marked sleep.
  async solution(context) {
    const { dir } = cgroup2Path(context, cgroup);
    mkdirSync(dir, { recursive: true });
    await startLabProcessCalled(context, name, 'bash', ['-c', `echo $$ > ${dir}/cgroup.procs && exec unshare --cgroup bash -c "exec -a ${name} sleep infinity"`]);
  },
});
