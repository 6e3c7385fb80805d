/**
 * The tracing lessons' needs: the learner's bpftrace left running under an isolab name, the file its output goes
 * to, the lesson's cgroup in the v2 tree (where BPF's cgroup ids come from, on v2 and hybrid alike), and programs
 * with names made up per verify, run inside or outside a cgroup, for the trace to show or leave out.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { startLabProcess } from '../lab/index.js';
import { failCheck, type Check, type CheckContext, type ExecResult } from '../verify/index.js';
import { removeCgroupEverywhere } from './cgroup-hierarchies.js';
import { killLabProcesses } from './lab-processes.js';
import { cgroup2Path } from './cgroup2-mount.js';
import { runInCgroup } from './cgroup-process.js';
import { labProcessesNamed } from './lab-processes.js';
import { systemPath } from './system-files.js';
import { waitUntil } from './wait.js';

/** A lesson's tracer: what it calls itself (argv[0]), the command that starts it (for hints), where it writes. */
export interface LabTracer {
  name: string;
  start: string;
  /** Its standard output, as the lesson names the file (`/run/isolab/ebpf-exec/exec.log`). */
  output: string;
}

/** What a program's /proc/<pid>/exe points at, by basename; undefined when it cannot be read. */
function programOf(context: Pick<CheckContext, 'system'>, pid: number): string | undefined {
  try {
    return readlinkSync(systemPath(context, `/proc/${pid}/exe`)).replace(/ \(deleted\)$/, '').split('/').at(-1);
  } catch {
    return undefined;
  }
}

function stdoutOf(context: Pick<CheckContext, 'system'>, pid: number): string | undefined {
  try {
    return readlinkSync(systemPath(context, `/proc/${pid}/fd/1`));
  } catch {
    return undefined;
  }
}

/**
 * The pid of the running bpftrace called `tracer.name` whose standard output is `tracer.output` (newest first).
 * None ends the check as failed, saying what is wrong with the candidates: none running, another program under
 * the name, output going elsewhere.
 */
export function requireTracer(context: Pick<CheckContext, 'system'>, tracer: LabTracer): number {
  const candidates = labProcessesNamed(context, tracer.name).map(({ pid }) => ({ pid, program: programOf(context, pid), stdout: stdoutOf(context, pid) }));
  const found = candidates.find((candidate) => candidate.program === 'bpftrace' && candidate.stdout === tracer.output);
  if (found) return found.pid;
  const startIt = `Start it (and leave it running) as the lesson shows: \`${tracer.start}\`.`;
  if (candidates.length === 0) {
    failCheck({
      message: `no process named ${tracer.name} is running`,
      observed: { processes: [] },
      hint: `${startIt} bpftrace has no option for its name: \`exec -a ${tracer.name} bpftrace …\` in bash gives it one. Look for it with \`pgrep -af '^${tracer.name} '\`.`,
    });
  }
  const first = candidates[0]!;
  if (first.program !== 'bpftrace') {
    failCheck({ message: `${tracer.name} (pid ${first.pid}) runs ${first.program ?? 'a program isolab cannot see'}, not bpftrace`, observed: { candidates }, hint: startIt });
  }
  failCheck({
    message: `${tracer.name} (pid ${first.pid}) writes its output to ${first.stdout ?? 'somewhere isolab cannot see'}, not ${tracer.output}`,
    observed: { candidates },
    hint: `Redirect its standard output into the file with the shell: \`… > ${tracer.output}\` (bpftrace's own \`-o\` is not its standard output, and keeps a buffer of its own). ${startIt}`,
  });
}

/** The check a tracing lesson starts with: its tracer runs, as bpftrace, writing where the lesson says. */
export function tracerCheck(tracer: LabTracer): Check {
  return {
    id: 'tracer',
    title: `${tracer.name} runs bpftrace, its output in ${tracer.output}`,
    tag: 'observe',
    timeoutMs: 5_000,
    async run(context) {
      const pid = requireTracer(context, tracer);
      return { pass: true, message: `${tracer.name} (pid ${pid}) is bpftrace, writing to ${tracer.output}`, observed: { pid } };
    },
  };
}

/**
 * A tracing lesson's clean-up: its tracer killed, its cgroups removed from every hierarchy (the v2 tree's too,
 * which a v1 manager does not see) and its directory (under /run/isolab) removed.
 */
export async function removeTracingLab(context: Pick<CheckContext, 'system'>, lab: { tracer: LabTracer; cgroups: readonly string[]; dir: string }): Promise<void> {
  await killLabProcesses(context, lab.tracer.name);
  for (const name of lab.cgroups) await removeCgroupEverywhere(context, name);
  rmSync(systemPath(context, lab.dir), { recursive: true, force: true });
}

/** The tracer's output from byte `from` on ('' while the file is missing). */
export function traceSince(context: Pick<CheckContext, 'system'>, tracer: LabTracer, from = 0): string {
  try {
    return readFileSync(systemPath(context, tracer.output)).subarray(from).toString('utf8');
  } catch {
    return '';
  }
}

/** How long the output is now: where a check's own part of it will start. */
export function traceLength(context: Pick<CheckContext, 'system'>, tracer: LabTracer): number {
  try {
    return statSync(systemPath(context, tracer.output)).size;
  } catch {
    return 0;
  }
}

/**
 * Waits until the output written since `from` satisfies `done` (polled), or `timeoutMs` passed; that output.
 * bpftrace prints an event when user space reads it from the kernel's ring buffers, so lines lag their events.
 */
export async function waitForTrace(context: Pick<CheckContext, 'system' | 'signal'>, tracer: LabTracer, from: number, done: (text: string) => boolean, timeoutMs = 5_000): Promise<string> {
  let text = '';
  await waitUntil(context, () => done((text = traceSince(context, tracer, from))), timeoutMs);
  return text;
}

/** The whole lines of the text: a line is complete once its newline is written, so an unended last one is left out. */
function completeLines(text: string): string[] {
  return text.split('\n').slice(0, -1);
}

/** The complete lines of the output from byte `from` on (a line's start, e.g. a `traceLength` of a finished line). */
export function traceLines(context: Pick<CheckContext, 'system'>, tracer: LabTracer, from = 0): string[] {
  return completeLines(traceSince(context, tracer, from));
}

/** The first complete line written since `from` that `matches`, waiting up to `timeoutMs` for it; undefined if none came. */
export async function waitForTraceLine(context: Pick<CheckContext, 'system' | 'signal'>, tracer: LabTracer, from: number, matches: (line: string) => boolean, timeoutMs = 5_000): Promise<string | undefined> {
  const text = await waitForTrace(context, tracer, from, (text) => completeLines(text).some(matches), timeoutMs);
  return completeLines(text).find(matches);
}

/** Whether `word` stands in `text` with none of `joiners`, nor a word character, either side: not part of a longer one. */
function standsAlone(text: string, word: string, joiners: string, flags = ''): boolean {
  const escape = (chars: string) => chars.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  const apart = `[^\\w${escape(joiners)}]`;
  return new RegExp(`(^|${apart})${escape(word)}($|${apart})`, flags).test(text);
}

/**
 * Whether a trace line holds `token` whole, a run of word characters, `/`, `.` and `-` being one token: `1234` is not
 * in `pid=12345`, `/isolab/a` not in `/isolab/a-b` nor `/isolab/a/b`. For pids, ids, comms and paths however printed.
 */
export function lineHasToken(line: string, token: string | number | bigint): boolean {
  return standsAlone(line, String(token), '/.-');
}

/**
 * Starts a solution's tracer as a learner does: `bpftrace <args>` under the tracer's name (`exec -a`), its standard
 * output written to the tracer's output through the shell's `>` (bpftrace 0.17's own `-o` keeps a buffer of its own
 * that `-B none` does not reach, so events would wait there), its errors to `errors` (or the output too). Resolves
 * with its pid once `ready` says it sees events; throws with what it wrote to its errors when not within `timeoutMs`.
 */
export async function startTracer(
  context: Pick<CheckContext, 'system' | 'signal'>,
  tracer: LabTracer,
  args: readonly string[],
  options: { errors?: string; ready: () => boolean | Promise<boolean>; timeoutMs: number },
): Promise<number> {
  const errors = options.errors === undefined ? '2>&1' : `2>${options.errors}`;
  const pid = await startLabProcess('bash', ['-c', `exec -a ${tracer.name} bpftrace "$@" >${tracer.output} ${errors}`, 'bash', ...args]);
  if (!(await waitUntil(context, options.ready, options.timeoutMs))) {
    const written = readText(systemPath(context, options.errors ?? tracer.output));
    throw new Error(`${tracer.name} (bpftrace) saw nothing within ${options.timeoutMs / 1000} s: ${written || `nothing in ${options.errors ?? tracer.output}`}`);
  }
  return pid;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}

/**
 * Programs a trace can be searched for: links to `true` in `dir` (made, and removed with `dir` afterwards) under
 * names made up for this run, 15 characters like `isolab-3fa9c2e1`, so the whole name is the task's comm (the
 * kernel keeps 15) and no earlier trace or copied line holds it.
 */
export async function withMarkedPrograms<T>(dir: string, count: number, use: (programs: string[]) => Promise<T>): Promise<T> {
  mkdirSync(dir, { recursive: true });
  try {
    const programs = Array.from({ length: count }, () => join(dir, `isolab-${randomBytes(4).toString('hex')}`));
    for (const program of programs) symlinkSync('/bin/true', program);
    return await use(programs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `program` inside the cgroup directory `cgroup` (it joins, then execs), or where isolab runs when undefined. */
export function runMarked(context: Pick<CheckContext, 'exec'>, program: string, cgroup?: string): Promise<ExecResult> {
  return cgroup === undefined ? context.exec(program, [], { timeoutMs: 10_000 }) : runInCgroup(context, cgroup, program, [], 10_000);
}

/** The name a marked program's trace line carries: its basename, which is also its comm. */
export const markOf = (program: string) => program.split('/').at(-1)!;

/** Whether a trace names the program: its name as a whole word on some line. */
export function traceNames(text: string, program: string): boolean {
  return standsAlone(text, markOf(program), '-', 'm');
}

/** One entry of a bpftrace map as `print(@map)` shows it: `@fsync[11406]: 3`, `@calls[11406, sync]: 7`. */
export interface MapEntry {
  map: string;
  keys: string[];
  value: number;
}

export function parseMapEntry(line: string): MapEntry | undefined {
  const match = /^@(\w*)(?:\[(.*)\])?:\s*(-?\d+)\s*$/.exec(line.trim());
  if (!match) return undefined;
  return { map: match[1]!, keys: match[2] === undefined ? [] : match[2].split(',').map((key) => key.trim()), value: Number(match[3]) };
}

/**
 * The map entries of each complete print in `text`: the runs of `@…` lines between two lines of anything else
 * (the time or heading a program prints before each `print(@map)`). The last run is left out: more of it may
 * still be coming. Blank lines are no boundary (bpftrace ends some prints with one).
 */
export function mapPrints(text: string): MapEntry[][] {
  const prints: MapEntry[][] = [];
  let current: MapEntry[] | undefined;
  for (const line of text.split('\n').slice(0, -1)) {
    if (line.trim() === '') continue;
    const entry = parseMapEntry(line);
    if (entry) current?.push(entry);
    else {
      if (current) prints.push(current);
      current = [];
    }
  }
  return prints;
}
