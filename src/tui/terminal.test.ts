import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { TerminalSession } from './terminal.js';

function fakeOut() {
  const written: string[] = [];
  const out = Object.assign(new PassThrough(), { isTTY: true, columns: 80, rows: 24 });
  out.write = ((chunk: string, encoding?: unknown, callback?: () => void) => {
    written.push(String(chunk));
    (typeof encoding === 'function' ? (encoding as () => void) : callback)?.();
    return true;
  }) as typeof out.write;
  return { out: out as unknown as NodeJS.WriteStream, written };
}

const input = () => Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.ReadStream;

describe('TerminalSession', () => {
  it('draws on the alternate screen and gives the screen, the cursor and cooked mode back, once', () => {
    const { out, written } = fakeOut();
    const tty = Object.assign(new PassThrough(), { isTTY: true, isRaw: true, setRawMode(raw: boolean) { this.isRaw = raw; } });
    const session = new TerminalSession(out, tty as unknown as NodeJS.ReadStream, {});
    session.enter();
    expect(written.join('')).toBe('\u001b[?1049h\u001b[H\u001b[2J\u001b[?25l');
    session.restore();
    session.restore();
    expect(written.slice(1)).toEqual(['\u001b[?25h\u001b[?1049l']);
    expect(tty.isRaw).toBe(false);
  });

  it('steps aside for commands: input let go, frames held back, then the last frame drawn again', async () => {
    const { out, written } = fakeOut();
    const stdin = input();
    const session = new TerminalSession(out, stdin, {});
    session.enter();
    session.stdout.write('frame 1\nline\n');
    expect(written).toContain('frame 1\nline\n');
    const states: boolean[] = [];
    session.subscribe(() => states.push(session.isActive()));
    const shown = session.showCommands('0.1 Step 2: The kernel release', ['uname -r\n', 'isolab answer 0.1 kernel-release "$(uname -r)"']);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(session.isActive()).toBe(false);
    const printed = written.join('');
    expect(printed).toContain('\u001b[?1049l\n0.1 Step 2: The kernel release\n\nuname -r\n\nisolab answer 0.1 kernel-release "$(uname -r)"\n\nPress Enter to return to the lesson. ');
    // A frame drawn while the commands are on screen is remembered, not shown.
    session.stdout.write('frame 2\nline\n');
    expect(written).not.toContain('frame 2\nline\n');
    stdin.write('\n');
    await shown;
    expect(states).toEqual([false, true]);
    expect(written.slice(-2)).toEqual(['\u001b[?1049h\u001b[H\u001b[2J\u001b[?25l', 'frame 2\nline\n']);
  });

  it("opens the learner's shell in the checkout and reports how it ended", async () => {
    const { out, written } = fakeOut();
    const session = new TerminalSession(out, input(), { SHELL: '/bin/true' });
    session.enter();
    expect(await session.openShell('/tmp')).toEqual({ shell: 'true', code: 0 });
    expect(written.join('')).toContain('isolab: /bin/true in /tmp; `exit` returns to the lesson.\n');
    const missing = new TerminalSession(out, input(), { SHELL: '/nonexistent/shell' });
    missing.enter();
    await expect(missing.openShell('/tmp')).rejects.toThrow('could not start /nonexistent/shell');
    expect(missing.isActive()).toBe(true);
  });
});
