import { spawn } from 'node:child_process';

export interface ExecOptions {
  timeoutMs?: number;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: string;
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

const outputLimit = 1 << 20;
const defaultTimeoutMs = 30_000;
// After the leader exits, a daemonised grandchild may still hold the pipes; stop waiting for them after this.
const drainMs = 100;

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
 * Starts processes in their own process groups and kills whole groups: a timeout that kills only the
 * direct child leaves grandchildren holding the pipes (stack.md: execa's timeout alone waited 3 s for a
 * `sleep 3 &`).
 */
export class ProcessGroups {
  private readonly live = new Set<number>();

  exec(command: string, args: readonly string[] = [], options: ExecOptions = {}): Promise<ExecResult> {
    return new Promise((resolve) => {
      const child = spawn(command, args, {
        cwd: options.cwd,
        env: options.env ?? process.env,
        detached: true,
        stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      let timedOut = false;
      let settled = false;
      const finish = (result: Omit<ExecResult, 'stdout' | 'stderr' | 'timedOut'>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (child.pid !== undefined) {
          killGroup(child.pid);
          this.live.delete(child.pid);
        }
        child.stdout?.destroy();
        child.stderr?.destroy();
        resolve({ ...result, stdout, stderr, timedOut });
      };
      child.stdout?.on('data', (chunk: Buffer) => (stdout = (stdout + chunk.toString()).slice(0, outputLimit)));
      child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(0, outputLimit)));
      child.on('error', (error) => finish({ exitCode: null, signal: null, spawnError: error.message }));
      child.on('close', (exitCode, signal) => finish({ exitCode, signal }));
      child.on('exit', (exitCode, signal) => setTimeout(() => finish({ exitCode, signal }), drainMs).unref());
      if (child.pid !== undefined) {
        this.live.add(child.pid);
        track(child.pid);
      }
      if (options.input !== undefined) child.stdin?.end(options.input);
      const timer = setTimeout(() => {
        timedOut = true;
        if (child.pid !== undefined) killGroup(child.pid);
      }, options.timeoutMs ?? defaultTimeoutMs);
    });
  }

  /** Kills every group still running: called when a check ends or times out. */
  killAll(): void {
    for (const pid of this.live) killGroup(pid);
    this.live.clear();
  }
}
