import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { defineChecker, killProcessesNamed, type CheckContext, type CheckOutcome } from '../../src/verify/index.js';
import { notRunning, ownNamespaceCheck, processesCalled, startDetached, waitFor } from './lab-process.js';

const name = 'isolab-cgns';
const lab = 'isolab/cgns-lab';
const start = `mkdir -p /sys/fs/cgroup/${lab} && setsid -f bash -c 'echo $$ > /sys/fs/cgroup/${lab}/cgroup.procs && exec unshare --cgroup bash -c "exec -a ${name} sleep infinity"'`;

/** Where the cgroup v2 hierarchy is mounted: /sys/fs/cgroup, or /sys/fs/cgroup/unified on a hybrid machine. */
function cgroup2Root(context: CheckContext): string {
  for (const line of readFileSync(join(context.system.proc, 'self/mountinfo'), 'utf8').split('\n')) {
    const [left, right] = line.split(' - ');
    if (right?.startsWith('cgroup2 ')) return left!.split(' ')[4]!;
  }
  return '/sys/fs/cgroup';
}

/** The `0::` line of /proc/<pid>/cgroup, as whoever reads it sees it. */
const v2Path = (text: string) => /^0::(.*)$/m.exec(text)?.[1];

function hostView(context: CheckContext, pid: number): string | undefined {
  try {
    return v2Path(readFileSync(join(context.system.proc, String(pid), 'cgroup'), 'utf8'));
  } catch {
    return undefined;
  }
}

export default defineChecker({
  checks: [
    {
      id: 'own-cgroupns',
      title: `${name} runs in a cgroup namespace of its own`,
      tag: 'observe',
      timeoutMs: 10_000,
      run: async (context) => ownNamespaceCheck(context, name, 'cgroup', start, '--cgroup'),
    },
    {
      id: 'host-view',
      title: `from the host, ${name} is in /${lab}`,
      tag: 'observe',
      timeoutMs: 10_000,
      async run(context): Promise<CheckOutcome> {
        const candidates = processesCalled(context, name);
        if (candidates.length === 0) return notRunning(name, start);
        const seen = candidates.map((candidate) => ({ pid: candidate.pid, cgroup: hostView(context, candidate.pid) ?? null }));
        const match = seen.find((entry) => entry.cgroup === `/${lab}`);
        if (match) return { pass: true, message: `/proc/${match.pid}/cgroup, read from the host, says 0::/${lab}`, observed: { processes: seen } };
        return {
          pass: false,
          message: `/proc/${seen[0]!.pid}/cgroup, read from the host, says 0::${seen[0]!.cgroup ?? '(unreadable)'}`,
          observed: { processes: seen },
          hint: `Move it into /${lab} first: the shell writes its own pid ($$) into cgroup.procs, then execs unshare. \`kill ${seen[0]!.pid}\` and start again: \`${start}\`.`,
        };
      },
    },
    {
      id: 'inside-view',
      title: `inside its cgroup namespace, ${name} sees 0::/`,
      tag: 'observe',
      timeoutMs: 15_000,
      async run(context): Promise<CheckOutcome> {
        const candidates = processesCalled(context, name);
        if (candidates.length === 0) return notRunning(name, start);
        const seen: Array<{ pid: number; inside: string | null }> = [];
        for (const candidate of candidates) {
          const result = await context.exec('nsenter', ['-t', String(candidate.pid), '-C', 'cat', `/proc/${candidate.pid}/cgroup`], { timeoutMs: 5_000 });
          seen.push({ pid: candidate.pid, inside: result.exitCode === 0 ? v2Path(result.stdout) ?? null : null });
        }
        const match = seen.find((entry) => entry.inside === '/');
        if (match) return { pass: true, message: `nsenter -t ${match.pid} -C cat /proc/${match.pid}/cgroup says 0::/`, observed: { processes: seen } };
        const first = seen[0]!;
        return {
          pass: false,
          message: `inside its cgroup namespace, pid ${first.pid} is at 0::${first.inside ?? '(unreadable)'}`,
          observed: { processes: seen },
          hint: first.inside?.endsWith(`/${lab}`)
            ? `The namespace was made before the move: its root is the cgroup the shell was in then. Join /${lab} first, then \`unshare --cgroup\`: \`${start}\`.`
            : `It is not in a cgroup namespace rooted at its cgroup. Stop it (\`kill ${first.pid}\`) and start it as the lesson shows: \`${start}\`.`,
        };
      },
    },
  ],

  async cleanup(context) {
    await killProcessesNamed(context.system, name);
    const root = cgroup2Root(context);
    const dir = join(root, lab);
    if (existsSync(dir)) await waitFor(context, `an empty ${dir}`, () => (readFileSync(join(dir, 'cgroup.procs'), 'utf8').trim() === '' ? true : undefined), 10_000);
    for (const path of [dir, join(root, 'isolab')]) {
      try {
        if (existsSync(path) && readdirSync(path).every((entry) => !existsSync(join(path, entry, 'cgroup.procs')))) rmdirSync(path);
      } catch {
        // busy or not empty: another lesson's
      }
    }
  },

  // Step 3: mkdir the cgroup, move a shell into it, then unshare --cgroup and leave a marked sleep.
  async solution(context) {
    const dir = join(cgroup2Root(context), lab);
    mkdirSync(dir, { recursive: true });
    await startDetached('bash', ['-c', `echo $$ > ${dir}/cgroup.procs && exec unshare --cgroup bash -c "exec -a ${name} sleep infinity"`]);
    await waitFor(context, `a running ${name}`, () => processesCalled(context, name)[0]);
  },
});
