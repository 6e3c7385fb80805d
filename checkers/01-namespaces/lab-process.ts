/**
 * What the namespace lessons share: the long-running process a learner leaves behind (marked by its argv[0],
 * `exec -a isolab-uts sleep infinity`), how a solution starts one, and how a check reports on it.
 */
import { labProcessesNamed, startLabProcess, waitFor } from '../../src/kit/index.js';
import { namespaceOf, type CheckContext, type CheckOutcome } from '../../src/verify/index.js';

type NamespaceKind = Parameters<typeof namespaceOf>[2];

/** How the lessons name each kind in a sentence. */
const kindLabel: Record<NamespaceKind, string> = { cgroup: 'cgroup', ipc: 'IPC', mnt: 'mount', net: 'network', pid: 'PID', time: 'time', user: 'user', uts: 'UTS' };

/**
 * Starts a process the way `setsid -f` does in the lesson (its own session, no terminal, not waited for), and
 * not through `context.exec`: the runner kills every process group it started when the step ends, and the lab
 * process has to outlive the solution.
 */
export async function startDetached(command: string, args: readonly string[]): Promise<void> {
  await startLabProcess(command, args);
}

export { waitFor };

/** The processes whose argv[0] is `name`, the newest first (what `pgrep -n` picks). */
export const processesCalled = labProcessesNamed;

/** The failure every check of a lesson reports while its process is not running. */
export function notRunning(name: string, start: string): CheckOutcome {
  return {
    pass: false,
    message: `no process named ${name} is running`,
    observed: { processes: [] },
    hint: `Start it (and leave it running) as the lesson shows: \`${start}\`. Look for it with \`pgrep -af '^${name} '\`.`,
  };
}

export interface NamespaceComparison {
  pid: number;
  /** The process's namespace link, e.g. `uts:[4026532178]`; undefined if it could not be read. */
  theirs: string | undefined;
  /** The checker's own (the namespace of the shell isolab was started from). */
  ours: string | undefined;
  /** True when both were read and differ. */
  own: boolean;
}

export function compareNamespace(context: CheckContext, pid: number, kind: NamespaceKind): NamespaceComparison {
  const theirs = namespaceOf(context.system, pid, kind);
  const ours = namespaceOf(context.system, 'self', kind);
  return { pid, theirs, ours, own: theirs !== undefined && ours !== undefined && theirs !== ours };
}

/**
 * The check every lesson starts with: a process named `name` runs in a `kind` namespace of its own. Among several
 * candidates, one in its own namespace passes. `sameHint` is added to the hint when it shares isolab's namespace.
 */
export function ownNamespaceCheck(context: CheckContext, name: string, kind: NamespaceKind, start: string, flag: string, sameHint = ''): CheckOutcome {
  const label = kindLabel[kind];
  const candidates = processesCalled(context, name);
  if (candidates.length === 0) return notRunning(name, start);
  const compared = candidates.map((candidate) => compareNamespace(context, candidate.pid, kind));
  const found = compared.find((comparison) => comparison.own);
  const processes = compared.map(({ pid, theirs }) => ({ pid, [kind]: theirs ?? null }));
  if (found) {
    return {
      pass: true,
      message: `${name} (pid ${found.pid}) is in ${found.theirs}, isolab is in ${found.ours}`,
      observed: { pid: found.pid, theirs: found.theirs, ours: found.ours, processes },
    };
  }
  const first = compared[0]!;
  if (first.theirs === undefined) {
    return {
      pass: false,
      message: `cannot read /proc/${first.pid}/ns/${kind}`,
      observed: { processes },
      hint: 'Reading another process\'s namespaces needs root (or the same user): run isolab from a root shell (`sudo -s`).',
    };
  }
  return {
    pass: false,
    message: `${name} (pid ${first.pid}) is in the same ${label} namespace as isolab: ${first.theirs}`,
    observed: { processes, ours: first.ours },
    hint: `The process shares your ${label} namespace: did you start it with unshare ${flag}? Stop it (\`kill ${first.pid}\`) and start it again as the lesson shows: \`${start}\`.${sameHint ? ` ${sameHint}` : ''}`,
  };
}

/** Runs `nsenter -t <pid> <flags> <command>` with a short timeout; stdout trimmed, or undefined on failure. */
export async function inNamespaces(context: CheckContext, pid: number, flags: readonly string[], command: readonly string[]): Promise<{ stdout?: string; error?: string }> {
  const result = await context.exec('nsenter', ['-t', String(pid), ...flags, '--', ...command], { timeoutMs: 5_000 });
  if (result.exitCode === 0) return { stdout: result.stdout.trim() };
  return { error: (result.stderr || result.spawnError || `nsenter exited with ${result.exitCode}`).trim() };
}
