import type { ResultPromise } from 'execa';

export interface ExecOptions {
  timeoutMs?: number;
  cwd?: string;
  /** The program's whole environment (not added to isolab's); isolab's own when left out. */
  env?: NodeJS.ProcessEnv;
  input?: string;
  /** Aborting kills the program's whole group, as a timeout does (without marking it timed out). */
  signal?: AbortSignal;
}

export interface ExecResult {
  /** null when the process was killed by a signal. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** The command could not be started at all (e.g. ENOENT: not installed). */
  spawnError?: string;
}

/** Per stream: what a check reads is a few lines; a program that floods its output is cut, and says so. */
export const outputLimit = 1 << 20;
export const outputCutNote = `\n[isolab: output cut at ${outputLimit / (1 << 20)} MiB]\n`;
const defaultTimeoutMs = 30_000;
// After the leader exits, a daemonised grandchild may still hold the pipes; stop waiting for them after this.
const drainMs = 100;

type Execa = typeof import('execa').execa;
let loading: Promise<Execa> | undefined;

/** execa, imported on first use: the headless commands start without loading it (test/bundle.test.ts). */
export function loadExeca(): Promise<Execa> {
  loading ??= import('execa').then((module) => module.execa);
  return loading;
}

/**
 * Every group any ProcessGroups started and has not killed yet. They are killed when isolab exits, however it
 * exits: `process.exit` on a closed pipe, or quitting the workbook, while a check runs would otherwise leave them
 * running (they are detached: no signal to isolab reaches them).
 */
const running = new Set<number>();
let killedOnExit = false;

function track(pid: number): void {
  running.add(pid);
  if (killedOnExit) return;
  killedOnExit = true;
  process.once('exit', () => {
    for (const group of running) killGroup(group);
  });
}

function killGroup(pid: number): void {
  running.delete(pid);
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // The group is already gone.
  }
}

/**
 * Starts programs through execa, each detached in its own process group, and kills whole groups: on timeout, on
 * abort, on killAll, and as soon as the leader has exited. execa's own timeout kills only the direct child and
 * then waits for grandchildren that hold the pipes (stack.md: 3 s for a `sleep 3 &` under a 300 ms timeout), so
 * the result is settled here from the leader's exit, and the output drained for at most `drainMs` after it.
 */
export class ProcessGroups {
  private readonly live = new Set<number>();

  async exec(command: string, args: readonly string[] = [], options: ExecOptions = {}): Promise<ExecResult> {
    const execa = await loadExeca();
    options.signal?.throwIfAborted();
    const subprocess: ResultPromise = execa(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      extendEnv: false,
      detached: true,
      // Output is read here, as it comes, so that a grandchild holding the pipes cannot hold the result.
      buffer: false,
      // execa writes the input, and shrugs off a program that exits without reading it (EPIPE).
      ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
      stdout: 'pipe',
      stderr: 'pipe',
      reject: false,
      cleanup: false,
    });
    return new Promise((resolve) => {
      const stdout = new BoundedText();
      const stderr = new BoundedText();
      let timedOut = false;
      let exit: { exitCode: number | null; signal: NodeJS.Signals | null } | undefined;
      let settled = false;
      const pid = subprocess.pid;
      const finish = (spawnError?: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', stop);
        if (pid !== undefined) {
          killGroup(pid);
          this.live.delete(pid);
        }
        subprocess.stdout?.destroy();
        subprocess.stderr?.destroy();
        const status = exit ?? { exitCode: null, signal: null };
        resolve({ ...status, stdout: stdout.text, stderr: stderr.text, timedOut, ...(spawnError === undefined ? {} : { spawnError }) });
      };
      subprocess.stdout?.setEncoding('utf8').on('data', (chunk: string) => stdout.add(chunk));
      subprocess.stderr?.setEncoding('utf8').on('data', (chunk: string) => stderr.add(chunk));
      subprocess.once('error', (error) => {
        if (!exit) finish(error.message);
      });
      subprocess.once('exit', (exitCode, signal) => {
        exit = { exitCode, signal };
        setTimeout(() => finish(), drainMs).unref();
      });
      // Settles when every pipe has closed (no grandchild kept one), or when the program could not be started.
      void subprocess.then(
        (result) => finish(exit ? undefined : (result.originalMessage ?? result.message ?? `${command} could not be started`)),
        (error: unknown) => finish(exit ? undefined : String(error)),
      );
      const stop = () => {
        if (pid !== undefined) killGroup(pid);
      };
      options.signal?.addEventListener('abort', stop, { once: true });
      if (pid !== undefined) {
        this.live.add(pid);
        track(pid);
      }
      const timer = setTimeout(() => {
        timedOut = true;
        stop();
      }, options.timeoutMs ?? defaultTimeoutMs);
    });
  }

  /** Kills every group still running: called when a check ends or times out. */
  killAll(): void {
    for (const pid of this.live) killGroup(pid);
    this.live.clear();
  }
}

/** One program in its own group, killed with it when the program ends: for callers that start one at a time. */
export function runProgram(command: string, args: readonly string[] = [], options: ExecOptions = {}): Promise<ExecResult> {
  return new ProcessGroups().exec(command, args, options);
}

/** Text kept up to `outputLimit` characters, then a note that the rest was cut. */
class BoundedText {
  private kept = '';
  private cut = false;

  add(chunk: string): void {
    if (this.cut) return;
    if (this.kept.length + chunk.length <= outputLimit) {
      this.kept += chunk;
      return;
    }
    this.kept += chunk.slice(0, outputLimit - this.kept.length);
    this.cut = true;
  }

  get text(): string {
    return this.cut ? this.kept + outputCutNote : this.kept;
  }
}
