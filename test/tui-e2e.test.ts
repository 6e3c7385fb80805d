import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOnPath } from '../src/env/index.js';
import { freshHome, isolabBin } from './helpers/cli.js';
import { runSync } from './helpers/run.js';

// The built binary in a real pseudo-terminal: tmux runs a shell, the test types into it and reads the screen.
const hasTmux = findOnPath('tmux', process.env) !== null;
const socket = `isolab-e2e-${process.pid}`;
const prompt = 'E2E$ ';

function tmux(...args: string[]): string {
  const result = runSync('tmux', ['-L', socket, ...args]);
  if (result.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

const screen = () => tmux('capture-pane', '-p', '-t', 'e2e');
const pane = (format: string) => tmux('display-message', '-p', '-t', 'e2e', format).trim();
const type = (text: string) => tmux('send-keys', '-t', 'e2e', '-l', text);
const press = (...keys: string[]) => tmux('send-keys', '-t', 'e2e', ...keys);

/**
 * Waits until the screen satisfies `ready` and holds still for 100 ms, reading it as it changes; fails with the
 * last screen. Still, because a frame of the whole list reaches the terminal in several writes: a capture between
 * them shows the new frame's first rows over the old one's last.
 */
async function waitForScreen(ready: (text: string) => boolean, what: string, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let before = '';
  let text = screen();
  while (!ready(text) || text !== before) {
    if (Date.now() > deadline) throw new Error(`the screen never showed ${what}; it shows:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, ready(text) ? 100 : 50));
    before = text;
    text = screen();
  }
  return text;
}
const waitFor = (needle: string | RegExp, timeoutMs?: number) =>
  waitForScreen((text) => (typeof needle === 'string' ? text.includes(needle) : needle.test(text)), String(needle), timeoutMs);

/** What lesson 0.2 asks, as this machine answers it (the checker reads the same files). */
function answersFor02(): [string, string][] {
  const status = readFileSync('/proc/self/status', 'utf8');
  const field = (name: string) => new RegExp(`^${name}:\\s*([0-9a-f]+)$`, 'm').exec(status)![1]!;
  const mask = BigInt(`0x${field(process.geteuid?.() === 0 ? 'CapEff' : 'CapBnd')}`);
  const bits = mask.toString(2).split('').filter((bit) => bit === '1').length;
  return [
    ['uid', process.env.SUDO_UID ?? String(process.getuid?.())],
    ['capeff', mask.toString(16)],
    ['cap-count', String(bits)],
    ['sys-admin', (mask >> 21n) & 1n ? 'yes' : 'no'],
  ];
}

describe.skipIf(!hasTmux)('isolab in a terminal (tmux; skipped without tmux)', () => {
  beforeAll(() => {
    tmux('new-session', '-d', '-s', 'e2e', '-x', '120', '-y', '40', `env PS1='${prompt}' bash --norc --noprofile`);
  });
  afterAll(() => {
    runSync('tmux', ['-L', socket, 'kill-server']);
  });

  it('opens the workbook, answers 0.2, verifies it, and gives the terminal back on q, with CI=true', async () => {
    await waitFor(prompt.trimEnd());
    // CI=true as in CI itself: the workbook must still draw every frame. NODE_ENV=test (vitest) is not the learner's.
    type(`env -u NODE_ENV CI=true ISOLAB_HOME=${freshHome()} node ${isolabBin}`);
    press('Enter');

    const home = await waitFor('q quit');
    expect(pane('#{alternate_on}')).toBe('1');
    expect(home).toMatch(/^isolab · .+ · .+/m);
    expect(home).toMatch(/Full course · 0 of \d+ lessons done/);
    expect(home).toMatch(/› 0\.1 +Your machine, as the kernel sees it +15 min +· available/);
    expect(home).toMatch(/0\.2 +Root, sudo and capabilities +10 min +· available/);

    press('Down');
    await waitFor('› 0.2');
    press('Enter');
    await waitFor(/^0\.2 Root, sudo and capabilities · live-quiz/m);
    await waitFor('› · 1 Who are you?');

    // c: the step's commands, printed plainly outside the workbook; Enter comes back.
    press('c');
    const commands = await waitFor('Press Enter to return to the lesson.');
    expect(pane('#{alternate_on}')).toBe('0');
    // Plain lines, no indentation or bars, so the terminal selects exactly the commands.
    expect(commands).toMatch(/^0\.2 Step 1: Who are you\?\n\n[\s\S]*^isolab answer 0\.2 uid /m);
    press('Enter');
    await waitForScreen((text) => text.includes('› · 1 Who are you?') && pane('#{alternate_on}') === '1', 'the lesson again');

    // s: a shell in the checkout; exit comes back.
    press('s');
    await waitFor('`exit` returns to the lesson.');
    type('echo "in $PWD"; exit');
    press('Enter');
    await waitFor('Back from bash.');

    press('a');
    await waitFor('uid: ');
    for (const [key, value] of answersFor02()) {
      await waitFor(`${key}: `);
      type(value);
      await waitFor(`${key}: ${value}`);
      press('Enter');
      await waitFor(`Recorded ${key}.`);
    }
    await waitFor('Answers · 4 of 4 recorded');
    press('Escape');
    await waitForScreen((text) => !text.includes('Answers ·'), 'the answers closed');

    press('v');
    const verified = await waitFor('Passed: 4 of 4 checks.');
    expect(verified).toMatch(/✓ who opened the root shell: ".+" is what this machine says/);
    expect(verified).toMatch(/✓ root's CapEff: ".+" is what this machine says/);
    expect(verified).toMatch(/✓ capabilities in that mask: "\d+" is what this machine says/);
    expect(verified).toMatch(/✓ CAP_SYS_ADMIN held: "(yes|no)" is what this machine says/);
    expect(verified).toMatch(/The lesson is done\. (n: next lesson, \d+\.\d+ .+\.|That was the last lesson\.)/);
    await waitFor(/^0\.2 Root, sudo and capabilities · live-quiz · 10 min +✓ done/m);

    press('Escape');
    await waitForScreen((text) => !text.includes('Passed: 4 of 4 checks.'), 'the verify panel closed');
    press('Escape');
    await waitFor(/Full course · 1 of \d+ lessons done/);

    press('q');
    const back = await waitForScreen((text) => text.trimEnd().endsWith(prompt.trimEnd()) && !text.includes('q quit'), 'the shell prompt');
    expect(back).toContain(`CI=true ISOLAB_HOME=`);
    expect(pane('#{alternate_on} #{cursor_flag}')).toBe('0 1');
    type('stty -a | tr " " "\\n" | grep -x -e "-\\?icanon" -e "-\\?echo" | tr "\\n" " "; echo');
    press('Enter');
    await waitFor(/^icanon echo *$/m);
  });
});
