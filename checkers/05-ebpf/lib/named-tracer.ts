// A learner's named bpftrace tracer: the long-lived lab process a tracing lesson leaves running (argv[0] `isolab-…`
// through `exec -a`, so checks and `isolab clean` find it), the trace file it writes, and the lines a check waits
// for in it. Kept beside the track's checkers until the kit has its own (src/kit), then merged there.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { failCheck, labProcessesNamed, startLabProcess, systemPath, waitUntil, type CheckContext } from '../../../src/kit/index.js';

export interface NamedTracer {
  /** argv[0] the learner gives it: `isolab-oom-trace`. */
  name: string;
  /** The file its output goes to (the shell's >), as the learner types it. */
  trace: string;
}

/** The running tracer's pid: a process called `name`, which is bpftrace and writes `trace`. Fails the check otherwise. */
export function requireTracer(context: CheckContext, tracer: NamedTracer): number {
  const running = labProcessesNamed(context, tracer.name);
  const start = `Start it as step 2 shows: \`exec -a ${tracer.name} bpftrace -B none … > ${tracer.trace}\`.`;
  if (running.length === 0) failCheck({ message: `no process called ${tracer.name} is running`, hint: start, observed: { running: [] } });
  const described = running.map((entry) => ({ pid: entry.pid, program: programOf(context, entry.pid), writes: filesWritten(context, entry.pid) }));
  const tracing = described.find((entry) => entry.program === 'bpftrace' && entry.writes.includes(tracer.trace));
  if (tracing) return tracing.pid;
  const other = described[0]!;
  const message =
    other.program !== 'bpftrace'
      ? `${tracer.name} (pid ${other.pid}) is ${other.program ?? 'a program isolab cannot look at'}, not bpftrace`
      : `${tracer.name} (pid ${other.pid}) does not write ${tracer.trace} (it writes ${other.writes.join(', ') || 'no file'})`;
  return failCheck({ message, hint: start, observed: { running: described } });
}

/** What the process runs, by its executable's name (`exec -a` renames argv[0], not the program). */
function programOf(context: CheckContext, pid: number): string | undefined {
  try {
    return basename(readlinkSync(systemPath(context, `/proc/${pid}/exe`))).replace(/ \(deleted\)$/, '');
  } catch {
    return undefined;
  }
}

/** The regular files among its open descriptors (its output file, wherever the learner sent it). */
function filesWritten(context: CheckContext, pid: number): string[] {
  const dir = systemPath(context, `/proc/${pid}/fd`);
  let fds: string[];
  try {
    fds = readdirSync(dir);
  } catch {
    return [];
  }
  const files = fds.flatMap((fd) => {
    try {
      const target = readlinkSync(join(dir, fd));
      return target.startsWith('/') && !target.startsWith('/dev/') && !target.startsWith('/proc/') ? [target.replace(/ \(deleted\)$/, '')] : [];
    } catch {
      return [];
    }
  });
  return [...new Set(files)];
}

export function traceLines(context: CheckContext, tracer: NamedTracer): string[] {
  try {
    return readFileSync(systemPath(context, tracer.trace), 'utf8').split('\n');
  } catch {
    return [];
  }
}

/** The first line `matches` picks, waiting up to `timeoutMs` for the tracer to write it; undefined if none came. */
export async function waitForLine(context: CheckContext, tracer: NamedTracer, matches: (line: string) => boolean, timeoutMs = 10_000): Promise<string | undefined> {
  let found: string | undefined;
  await waitUntil(context, () => (found = traceLines(context, tracer).find(matches)) !== undefined, timeoutMs);
  return found;
}

/** A word of a trace line exactly (`1234` is not in `pid=12345`; `/isolab/a` is not in `/isolab/a-b`). */
export function namesExactly(line: string, word: string | number | bigint): boolean {
  const escaped = String(word).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\w/.-])${escaped}($|[^\\w/.-])`).test(line);
}

/**
 * Starts `script` as the named tracer the way the lesson does (`exec -a`, output unbuffered into the trace file),
 * and resolves once `ready` says it sees events (BEGIN would say so sooner, but bpftrace fires it through a uprobe,
 * which not every kernel has). Throws with what bpftrace wrote to `errors` when it is not ready within `timeoutMs`.
 */
export async function startTracer(context: CheckContext, tracer: NamedTracer, script: string, options: { errors: string; ready: () => Promise<boolean>; timeoutMs: number }): Promise<number> {
  // The shell's > and -B none: bpftrace's own -o writes through a buffer -B does not reach, so events wait there.
  const pid = await startLabProcess('bash', ['-c', `exec -a ${tracer.name} bpftrace -B none -e "$0" >${tracer.trace} 2>${options.errors}`, script]);
  const ready = await waitUntil(context, options.ready, options.timeoutMs);
  if (!ready) throw new Error(`bpftrace saw nothing within ${options.timeoutMs / 1000} s: ${readText(systemPath(context, options.errors))}`);
  return pid;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '(no errors written)';
  }
}
