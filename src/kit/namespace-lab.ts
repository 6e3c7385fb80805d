/**
 * The namespace lessons' lab process: a long-running process the learner leaves in namespaces of its own, marked
 * by its argv[0] (`setsid -f unshare --uts bash -c 'exec -a isolab-uts sleep infinity'`). How a check finds it,
 * says it is missing, tells whether it left isolab's namespace, looks inside with nsenter, and how a solution
 * starts one.
 */
import type { NamespaceKind } from '../env/index.js';
import { startLabProcess } from '../lab/index.js';
import { failCheck, namespaceOf, type CheckContext, type CheckOutcome, type ProcessEntry } from '../verify/index.js';
import { labProcessesNamed } from './lab-processes.js';
import { waitFor } from './wait.js';

/** A lesson's lab process: what it calls itself, and the command the lesson starts it with (for hints). */
export interface NamedLabProcess {
  name: string;
  start: string;
}

/** How the lessons name each kind in a sentence. */
const kindLabel: Record<NamespaceKind, string> = { cgroup: 'cgroup', ipc: 'IPC', mnt: 'mount', net: 'network', pid: 'PID', time: 'time', user: 'user', uts: 'UTS' };

/** The failure every check of a lesson reports while its process is not running. */
export function notRunning({ name, start }: NamedLabProcess): CheckOutcome {
  return {
    pass: false,
    message: `no process named ${name} is running`,
    observed: { processes: [] },
    hint: `Start it (and leave it running) as the lesson shows: \`${start}\`. Look for it with \`pgrep -af '^${name} '\`.`,
  };
}

/** The running processes called `lab.name`, newest first; none ends the check as failed, saying how to start one. */
export function requireLabProcesses(context: Pick<CheckContext, 'system'>, lab: NamedLabProcess): ProcessEntry[] {
  const candidates = labProcessesNamed(context, lab.name);
  if (candidates.length === 0) failCheck(notRunning(lab));
  return candidates;
}

/** The process is in a `kind` namespace other than isolab's: both links read, and they differ. */
export function inOwnNamespace(context: Pick<CheckContext, 'system'>, pid: number, kind: NamespaceKind): boolean {
  const theirs = namespaceOf(context.system, pid, kind);
  const ours = namespaceOf(context.system, 'self', kind);
  return theirs !== undefined && ours !== undefined && theirs !== ours;
}

/** The pids of the processes called `name` that are in a `kind` namespace of their own, newest first. */
export function labPidsInOwnNamespace(context: Pick<CheckContext, 'system'>, name: string, kind: NamespaceKind): number[] {
  return labProcessesNamed(context, name).map((entry) => entry.pid).filter((pid) => inOwnNamespace(context, pid, kind));
}

/**
 * The pids of the running processes called `lab.name` that are in a `kind` namespace of their own, newest first.
 * None running, or none in a namespace of its own, ends the check as failed; `hint` says what to fix first.
 */
export function requireOwnNamespace(context: Pick<CheckContext, 'system'>, lab: NamedLabProcess, kind: NamespaceKind, hint: string): number[] {
  requireLabProcesses(context, lab);
  const pids = labPidsInOwnNamespace(context, lab.name, kind);
  const label = kindLabel[kind];
  if (pids.length === 0) failCheck({ message: `no ${lab.name} process has ${label === 'IPC' ? 'an' : 'a'} ${label} namespace of its own`, observed: {}, hint });
  return pids;
}

/**
 * The check every namespace lesson starts with: a process called `lab.name` runs in a `kind` namespace of its own.
 * Among several candidates, one in its own namespace passes. `flag` is the unshare option the hint names;
 * `sameHint` is added to the hint when the process shares isolab's namespace.
 */
export function ownNamespaceCheck(context: Pick<CheckContext, 'system'>, lab: NamedLabProcess, kind: NamespaceKind, flag: string, sameHint = ''): CheckOutcome {
  const ours = namespaceOf(context.system, 'self', kind);
  const compared = requireLabProcesses(context, lab).map(({ pid }) => ({ pid, theirs: namespaceOf(context.system, pid, kind) }));
  const processes = compared.map(({ pid, theirs }) => ({ pid, [kind]: theirs ?? null }));
  const found = compared.find(({ pid }) => inOwnNamespace(context, pid, kind));
  if (found) {
    return { pass: true, message: `${lab.name} (pid ${found.pid}) is in ${found.theirs}, isolab is in ${ours}`, observed: { pid: found.pid, theirs: found.theirs, ours, processes } };
  }
  const first = compared[0]!;
  if (first.theirs === undefined) {
    return {
      pass: false,
      message: `cannot read /proc/${first.pid}/ns/${kind}`,
      observed: { processes },
      hint: "Reading another process's namespaces needs root (or the same user): run isolab from a root shell (`sudo -s`).",
    };
  }
  return {
    pass: false,
    message: `${lab.name} (pid ${first.pid}) is in the same ${kindLabel[kind]} namespace as isolab: ${first.theirs}`,
    observed: { processes, ours },
    hint: `The process shares your ${kindLabel[kind]} namespace: did you start it with unshare ${flag}? Stop it (\`kill ${first.pid}\`) and start it again as the lesson shows: \`${lab.start}\`.${sameHint ? ` ${sameHint}` : ''}`,
  };
}

/**
 * Runs `nsenter -t <pid> <flags> -- <command>`, a look from inside the process's namespaces, with a short
 * timeout: its output trimmed, or what went wrong (nsenter needs root; the process may be gone).
 */
export async function inNamespacesOf(context: Pick<CheckContext, 'exec'>, pid: number, flags: readonly string[], command: readonly string[]): Promise<{ stdout?: string; error?: string }> {
  const result = await context.exec('nsenter', ['-t', String(pid), ...flags, '--', ...command], { timeoutMs: 5_000 });
  if (result.exitCode === 0) return { stdout: result.stdout.trim() };
  return { error: (result.stderr || result.spawnError || `nsenter exited with ${result.exitCode}`).trim() };
}

/**
 * `inNamespacesOf` for each of these pids, side by side: what each one's namespaces show, with its pid. A command
 * that names the pid (`cat /proc/<pid>/cgroup`) is a function of it.
 */
export function inNamespacesOfEach(
  context: Pick<CheckContext, 'exec'>,
  pids: readonly number[],
  flags: readonly string[],
  command: readonly string[] | ((pid: number) => readonly string[]),
): Promise<Array<{ pid: number; stdout?: string; error?: string }>> {
  return Promise.all(pids.map(async (pid) => ({ pid, ...(await inNamespacesOf(context, pid, flags, typeof command === 'function' ? command(pid) : command)) })));
}

/**
 * A solution's step: starts `command args…` as a lab process (its own session, as `setsid -f` does; it outlives
 * the check) which leaves a process called `name` (`… bash -c 'exec -a isolab-uts sleep infinity'`), and waits
 * until that runs. Its pid.
 */
export async function startLabProcessCalled(context: Pick<CheckContext, 'system' | 'signal'>, name: string, command: string, args: readonly string[]): Promise<number> {
  await startLabProcess(command, args);
  return (await waitFor(context, `a running ${name}`, () => labProcessesNamed(context, name)[0])).pid;
}
