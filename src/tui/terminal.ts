import { spawnSync } from 'node:child_process';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import type { TerminalControl } from './services.js';

// xterm control sequences (ctlseqs): 1049 switches to the alternate screen (saving the cursor) and back.
const enterAlternateScreen = '\u001b[?1049h\u001b[H\u001b[2J';
const leaveAlternateScreen = '\u001b[?1049l';
const hideCursor = '\u001b[?25l';
const showCursor = '\u001b[?25h';

/**
 * The real terminal: the TUI draws on the alternate screen, so quitting gives the learner's screen back as it
 * was. For what needs the terminal itself (commands to copy, a shell), the TUI steps aside: its input hooks
 * let go of stdin, its frames are held back, the normal screen returns; afterwards the last frame is drawn
 * again, since the alternate screen comes back empty.
 */
export class TerminalSession implements TerminalControl {
  /** The stream ink writes to: the real stdout, except that frames are only remembered while stepped aside. */
  readonly stdout: NodeJS.WriteStream;
  private active = true;
  private onScreen = false;
  private lastFrame = '';
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly out: NodeJS.WriteStream = process.stdout,
    private readonly input: NodeJS.ReadStream = process.stdin,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.stdout = this.gatedStdout();
  }

  enter(): void {
    if (this.onScreen) return;
    this.out.write(enterAlternateScreen + hideCursor);
    this.onScreen = true;
    this.out.on('resize', this.clearOnResize);
  }

  /** Idempotent, and safe from an `exit` handler: only synchronous writes to a TTY. */
  restore(): void {
    if (this.input.isTTY && this.input.isRaw) this.input.setRawMode(false);
    this.out.off('resize', this.clearOnResize);
    if (!this.onScreen) return;
    this.out.write(showCursor + leaveAlternateScreen);
    this.onScreen = false;
  }

  /**
   * A terminal re-wraps what is on screen when its width changes, so ink's erasing of its last frame line by
   * line no longer matches; the screen is cleared, and ink's next frame is drawn from the top. This listener
   * is added before ink's, so it runs first.
   */
  private clearOnResize = (): void => {
    if (this.onScreen) this.out.write('\u001b[2J\u001b[H');
  };

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  isActive = (): boolean => this.active;

  showCommands(title: string, commands: readonly string[]): Promise<void> {
    return this.stepAside(async () => {
      this.out.write(`\n${title}\n\n${commands.map((command) => command.replace(/\n+$/, '')).join('\n\n')}\n\nPress Enter to return to the lesson. `);
      await this.waitForEnter();
    });
  }

  openShell(cwd: string): Promise<{ shell: string; code: number | null }> {
    const shell = this.env.SHELL || '/bin/sh';
    return this.stepAside(async () => {
      this.out.write(`isolab: ${shell} in ${cwd}; \`exit\` returns to the lesson.\n`);
      // spawnSync keeps Node's event loop (and so its reads of the terminal) stopped while the shell has it.
      // Ctrl-C reaches the whole foreground process group; without a listener Node would die of it.
      const ignore = () => undefined;
      process.on('SIGINT', ignore);
      process.on('SIGQUIT', ignore);
      try {
        const result = spawnSync(shell, [], { cwd, stdio: 'inherit', env: this.env });
        if (result.error) throw new Error(`could not start ${shell}: ${result.error.message}`);
        return { shell: basename(shell), code: result.status };
      } finally {
        // Signals that arrived while the shell ran are delivered once the event loop turns again.
        setTimeout(() => {
          process.off('SIGINT', ignore);
          process.off('SIGQUIT', ignore);
        }, 200);
      }
    });
  }

  openLabVm(lessonId: string): Promise<{ code: number | null }> {
    return this.stepAside(async () => {
      // Ctrl-C belongs to the VM (qemu's terminal is raw); a signal that reaches the group must not end the TUI.
      const ignore = () => undefined;
      process.on('SIGINT', ignore);
      try {
        // isolab itself (this binary), so the VM runs exactly this checkout's isolab, with root's rules.
        const result = spawnSync(process.execPath, [process.argv[1]!, 'vm', lessonId], { stdio: 'inherit', env: this.env });
        if (result.error) throw new Error(`could not start isolab vm: ${result.error.message}`);
        if (result.status !== 0) {
          // What went wrong is on the screen: leave it there until the learner has read it.
          this.out.write('\nPress Enter to return to the lesson. ');
          await this.waitForEnter();
        }
        return { code: result.status };
      } finally {
        setTimeout(() => process.off('SIGINT', ignore), 200);
      }
    });
  }

  private async stepAside<T>(task: () => Promise<T>): Promise<T> {
    this.setActive(false);
    await this.inputReleased();
    this.onScreen = false;
    this.out.off('resize', this.clearOnResize);
    this.out.write(showCursor + leaveAlternateScreen);
    try {
      return await task();
    } finally {
      this.enter();
      this.out.write(this.lastFrame);
      this.setActive(true);
    }
  }

  private setActive(active: boolean): void {
    this.active = active;
    for (const listener of this.listeners) listener();
  }

  /** ink turns raw mode off when its last input hook goes inactive; until then it still reads the terminal. */
  private async inputReleased(): Promise<void> {
    for (let waited = 0; waited < 1000 && this.input.isTTY && this.input.isRaw; waited += 10) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  private waitForEnter(): Promise<void> {
    return new Promise((resolve) => {
      const lines = createInterface({ input: this.input, terminal: false });
      // ink unrefs stdin when it lets go of it; unreferenced, the wait would not keep Node alive.
      this.input.ref?.();
      let finished = false;
      const done = () => {
        if (finished) return;
        finished = true;
        process.off('SIGINT', done);
        lines.close();
        resolve();
      };
      // Ctrl-C at this prompt (the terminal is in cooked mode) means "back", not "kill isolab".
      process.on('SIGINT', done);
      lines.once('line', done);
      lines.once('close', done);
    });
  }

  /** A frame is one write with line breaks (ink's log-update); cursor and sync escapes are not frames. */
  private gatedStdout(): NodeJS.WriteStream {
    const write = (chunk: string | Uint8Array, encoding?: BufferEncoding | ((error?: Error | null) => void), callback?: (error?: Error | null) => void) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      if (text.includes('\n')) this.lastFrame = text;
      if (this.onScreen) return this.out.write(chunk, encoding as BufferEncoding, callback);
      (typeof encoding === 'function' ? encoding : callback)?.();
      return true;
    };
    return new Proxy(this.out, {
      get(target, property) {
        if (property === 'write') return write;
        const value = Reflect.get(target, property, target) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }
}
