// The learner's first hour, end to end, in real terminals (tmux): a fresh clone of this commit, a learner whose
// Node lives in their home (as with nvm) and who is not root, the README's start command, then `isolab` from
// anywhere, through sudo, and in a root shell that has neither Node nor sudo on its PATH, where lesson 1.1's
// commands are typed exactly as the lesson shows them.
//
// Nothing may leak onto the machine: everything runs in private mount, UTS and PID namespaces (a tmpfs over
// /usr/local/bin, where the launchers go; /usr/bin/node hidden; the lesson's hostname change and its process
// stay inside), and the throw-away learner and their sudoers file are removed whatever happens.
import { execa, type ResultPromise } from 'execa';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOnPath } from '../src/env/index.js';
import { isRoot, repoRoot } from './helpers/cli.js';
import { runSync } from './helpers/run.js';

const learner = 'isolab-e2e';
const sudoersFile = `/etc/sudoers.d/${learner}`;
const socket = `isolab-first-hour-${process.pid}`;
// Shared between runs so npm ci does not fetch every package each time; handed to the learner for the run.
const npmCache = join(tmpdir(), 'isolab-e2e-npm-cache');
// Printed before every prompt of every shell in the test (exported, so nested shells print it too): the test
// waits for it to know a command ended, and reads the command's exit status from it.
const promptCommand = 'printf "@@ready %s@@\\n" "$?"';
const marker = /^@@ready (\d+)@@$/gm;

const tools = ['tmux', 'sudo', 'git', 'unshare', 'nsenter', 'su', 'useradd', 'userdel', 'visudo'];
const missing = tools.filter((tool) => !findOnPath(tool, { PATH: `${process.env.PATH}:/usr/sbin:/sbin` }));
const skipReason = !isRoot ? 'needs root' : missing.length > 0 ? `needs ${missing.join(', ')}` : undefined;

function run(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}) {
  const result = runSync(command, args, { env: { PATH: `${process.env.PATH}:/usr/sbin:/sbin`, ...options.env }, cwd: options.cwd });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function must(command: string, args: string[], options?: { env?: NodeJS.ProcessEnv; cwd?: string }): string {
  const result = run(command, args, options);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.output}`);
  return result.output;
}

function tmux(...args: string[]): string {
  return must('tmux', ['-L', socket, ...args]);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One tmux window running a login shell; commands are typed into it as a person types them. */
class Terminal {
  private constructor(private readonly target: string) {}

  static async open(name: string, command: string): Promise<Terminal> {
    tmux('new-window', '-d', '-n', name, '-t', 'e2e', '-e', `PROMPT_COMMAND=${promptCommand}`, command);
    const terminal = new Terminal(`e2e:${name}`);
    await terminal.waitForPrompts(1, 30_000);
    return terminal;
  }

  /** Everything the window printed, wrapped lines joined. */
  history(): string {
    return tmux('capture-pane', '-p', '-J', '-S', '-', '-E', '-', '-t', this.target);
  }

  screen(): string {
    return tmux('capture-pane', '-p', '-t', this.target);
  }

  private statuses(): { status: number; start: number; end: number }[] {
    return [...this.history().matchAll(marker)].map((match) => ({ status: Number(match[1]), start: match.index, end: match.index + match[0].length }));
  }

  async waitForPrompts(count: number, timeoutMs: number): Promise<void> {
    await this.waitUntil(() => this.statuses().length >= count, `prompt number ${count}`, timeoutMs);
  }

  async waitFor(needle: string | RegExp, timeoutMs = 30_000, where: 'screen' | 'history' = 'screen'): Promise<string> {
    let text = '';
    await this.waitUntil(() => {
      text = where === 'screen' ? this.screen() : this.history();
      return typeof needle === 'string' ? text.includes(needle) : needle.test(text);
    }, String(needle), timeoutMs);
    return text;
  }

  async waitUntil(ready: () => boolean, what: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!ready()) {
      if (Date.now() > deadline) throw new Error(`${this.target} never showed ${what}; it shows:\n${this.history().slice(-4000)}`);
      await sleep(100);
    }
  }

  type(text: string): void {
    tmux('send-keys', '-t', this.target, '-l', text);
  }

  press(...keys: string[]): void {
    tmux('send-keys', '-t', this.target, ...keys);
  }

  /** Types `line` and Enter; returns its exit status and what the window showed from its prompt to the next. */
  async run(line: string, timeoutMs = 30_000): Promise<{ status: number; output: string }> {
    const before = this.statuses().length;
    this.type(line);
    this.press('Enter');
    await this.waitForPrompts(before + 1, timeoutMs);
    const statuses = this.statuses();
    const history = this.history();
    const done = statuses[before]!;
    return { status: done.status, output: history.slice(statuses[before - 1]?.end ?? 0, done.start) };
  }

  /** What the next prompt reports, after keys typed into a program that ends on its own (the workbook's q). */
  async statusOfNext(timeoutMs = 30_000): Promise<number> {
    const before = this.statuses().length;
    await this.waitForPrompts(before + 1, timeoutMs);
    return this.statuses()[before]!.status;
  }

  count(): number {
    return this.statuses().length;
  }
}

/** Lesson 1.1's shell commands, one per line, as the lesson shows them (`isolab show --commands` where it exists). */
function lessonCommands(clone: string, home: string): string[] {
  const shown = run(process.execPath, [join(clone, 'dist/isolab.js'), 'show', '1.1', '--commands'], { env: { ISOLAB_HOME: home, NO_COLOR: '1' } });
  let text = shown.output;
  if (shown.status !== 0) {
    // Before `show --commands`: the ```sh blocks of the lesson file, in order.
    const lesson = readFileSync(join(clone, 'lessons/01-namespaces/01-uts.md'), 'utf8');
    text = [...lesson.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((match) => match[1]).join('\n');
  }
  // Typed one line at a time, as a person types them: `unshare --uts bash` and `nsenter … bash` open a shell
  // that the lines after them run in, up to their `exit`. Comments and blank lines separate steps.
  return text.split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
}

/** The mount namespace's inode of a process, or null when it is gone. */
function mountNamespace(pid: string | number): string | null {
  try {
    return readlinkSync(`/proc/${pid}/ns/mnt`);
  } catch {
    return null;
  }
}

function processesIn(namespace: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => mountNamespace(pid) === namespace)
    .map(Number);
}

/** Waits (up to 10 s) until no process is left in `namespace`: processes killed a moment ago are still exiting. */
function waitUntilEmpty(namespace: string): void {
  const deadline = Date.now() + 10_000;
  while (processesIn(namespace).length > 0 && Date.now() < deadline) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
}

describe.skipIf(skipReason !== undefined)(`the learner's first hour (tmux, sudo, namespaces${skipReason ? `; skipped: ${skipReason}` : ''})`, () => {
  let work: string;
  let home: string;
  let clone: string;
  let nodeDir: string;
  let namespaceRunner: ResultPromise | undefined;
  let namespaceInit: number | undefined;
  let namespace: string | null = null;
  const hostBinBefore = existsSync('/usr/local/bin') ? readdirSync('/usr/local/bin').sort() : [];
  const timings: string[] = [];
  let phaseStart = Date.now();
  const phase = (name: string) => {
    timings.push(`${name} ${((Date.now() - phaseStart) / 1000).toFixed(1)} s`);
    phaseStart = Date.now();
  };

  /** Removes everything the test made; safe to call twice and after a crash of an earlier run. */
  function cleanUp(): void {
    if (existsSync(`/tmp/tmux-0/${socket}`)) run('tmux', ['-L', socket, 'kill-server']);
    rmSync(`/tmp/tmux-0/${socket}`, { force: true });
    // PID 1 of the namespace: killing it ends every process in it (the learner's shells, the lesson's process).
    if (namespaceInit !== undefined && mountNamespace(namespaceInit) === namespace) process.kill(namespaceInit, 'SIGKILL');
    namespaceRunner?.kill('SIGKILL');
    if (namespace) waitUntilEmpty(namespace);
    if (run('id', [learner]).status === 0) run('userdel', ['--remove', learner]);
    rmSync(sudoersFile, { force: true });
    if (existsSync(npmCache)) run('chown', ['-R', '0:0', npmCache]);
    if (work) rmSync(work, { recursive: true, force: true });
  }

  beforeAll(async () => {
    cleanUp();
    work = mkdtempSync(join(tmpdir(), 'isolab-first-hour-'));
    chmodSync(work, 0o755);

    // The learner: a home of their own, passwordless sudo (as on a classroom VM), and Node in their home.
    mkdirSync(join(work, 'home'));
    home = join(work, 'home', learner);
    must('useradd', ['--create-home', '--home-dir', home, '--shell', '/bin/bash', learner]);
    writeFileSync(sudoersFile, `${learner} ALL=(ALL:ALL) NOPASSWD: ALL\n`, { mode: 0o440 });
    must('visudo', ['-cqf', sudoersFile]);
    nodeDir = join(home, `.nvm/versions/node/${process.version}/bin`);
    mkdirSync(nodeDir, { recursive: true });
    copyFileSync(process.execPath, join(nodeDir, 'node'));
    chmodSync(join(nodeDir, 'node'), 0o755);
    // What nvm's installer adds to ~/.bashrc, in effect: the learner's Node first on their PATH.
    writeFileSync(join(home, '.bashrc'), `${readFileSync(join(home, '.bashrc'), 'utf8')}\nexport PATH="${nodeDir}:$PATH"\n`);
    mkdirSync(npmCache, { recursive: true });
    // This machine's way to the registry (a CA, a proxy) comes along: the learner's Node has no global npmrc.
    const network = must('npm', ['config', 'get', 'cafile', 'proxy', 'https-proxy', 'noproxy', 'registry', 'strict-ssl'])
      .split('\n')
      .filter((line) => /^[a-z-]+=./.test(line) && !line.endsWith('=null'));
    writeFileSync(join(home, '.npmrc'), [`cache=${npmCache}`, 'prefer-offline=true', 'audit=false', 'fund=false', 'update-notifier=false', ...network, ''].join('\n'));

    // A fresh clone of the commit under test, as the learner would have it.
    clone = join(home, 'isolab');
    must('git', ['clone', '--quiet', '--no-hardlinks', repoRoot, clone]);
    must('git', ['-C', clone, 'checkout', '--quiet', '--detach', must('git', ['-C', repoRoot, 'rev-parse', 'HEAD']).trim()]);
    must('chown', ['-R', `${learner}:${learner}`, home, npmCache]);

    const stubs = join(work, 'stubs');
    mkdirSync(stubs);
    for (const name of ['node', 'sudo']) {
      writeFileSync(join(stubs, name), `#!/bin/sh\necho "${name} is not on this PATH" >&2\nexit 127\n`, { mode: 0o755 });
    }

    // The namespaces, and tmux inside them: every window the test opens is a process in them. PID 1 is a shell
    // that only waits, so a run that crashes before cleaning up still ends here after 20 minutes.
    const init = [
      'set -e',
      'mount -t tmpfs -o mode=0755 isolab-e2e-bin /usr/local/bin',
      `mount --bind ${join(stubs, 'node')} /usr/bin/node`,
      `tmux -L ${socket} -f /dev/null new-session -d -s e2e -x 160 -y 50 -n idle 'sleep 86400'`,
      `tmux -L ${socket} set-option -g history-limit 100000`,
      'echo ready',
      'sleep 1200 & wait $!',
    ].join('\n');
    namespaceRunner = execa('unshare', ['--mount', '--uts', '--pid', '--fork', '--mount-proc', '--propagation', 'private', '--', 'bash', '-c', init], {
      stdio: ['ignore', 'pipe', 'inherit'],
      buffer: false,
      reject: false,
    });
    const runner = namespaceRunner;
    await new Promise<void>((resolve, reject) => {
      runner.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
      runner.on('exit', (code) => reject(new Error(`the namespace's init ended (${code}) before tmux started`)));
    });
    namespaceInit = Number(readFileSync(`/proc/${runner.pid}/task/${runner.pid}/children`, 'utf8').trim().split(/\s+/)[0]);
    namespace = mountNamespace(namespaceInit);
    expect(namespace).not.toBe(mountNamespace('self'));
    phase('setup (user, clone, namespaces)');
  }, 120_000);

  afterAll(() => {
    cleanUp();
    console.log(`first hour end to end: ${timings.join(', ')}`);
  });

  it('npm ci && npm start as a learner without root: the sudo question, no install-scripts warning, isolab in the workbook shell', async () => {
    const shell = await Terminal.open('start', `su - ${learner} -w PROMPT_COMMAND`);
    expect((await shell.run('node --version')).output).toContain(process.version);
    // Before: a fresh shell has no isolab, which is what the learner met.
    expect((await shell.run('isolab verify 1.1')).status).toBe(127);
    expect((await shell.run('cd ~/isolab')).status).toBe(0);

    const prompts = shell.count();
    shell.type('npm ci && npm start');
    shell.press('Enter');
    // The question, or the prompt again when npm ci failed (then the history says why).
    await shell.waitUntil(() => shell.history().includes('with sudo? [Y/n]') || shell.count() > prompts, 'the sudo question', 180_000);
    const asked = shell.history();
    expect(shell.count(), asked).toBe(prompts);
    phase('npm ci');
    expect(asked).toContain('sudo runs only commands in its own PATH, which has /usr/local/bin and not ~/.local/bin');
    expect(asked).not.toContain('install-scripts');
    expect(asked).toMatch(/^added \d+ packages/m);
    shell.type('y');
    shell.press('Enter');

    await shell.waitFor('q quit', 30_000);

    // s in a lesson: the shell the workbook opens finds both commands.
    shell.press('Enter');
    await shell.waitFor(' s shell ');
    shell.press('s');
    await shell.waitForPrompts(prompts + 1, 15_000);
    const found = await shell.run('command -v isolab cgroup-tool');
    expect(found.status).toBe(0);
    expect(found.output).toContain('/usr/local/bin/isolab\n/usr/local/bin/cgroup-tool');
    shell.type('exit');
    shell.press('Enter');
    await shell.waitFor(' s shell ');
    shell.press('q');
    expect(await shell.statusOfNext()).toBe(0);
    // What sudo installed, printed before the workbook took the screen.
    const installed = shell.history();
    expect(installed).toContain('isolab: the commands isolab and cgroup-tool, in /usr/local/bin:');
    expect(installed).toMatch(new RegExp(`/usr/local/bin/isolab +installed: runs ${clone}/dist/isolab\\.js`));
    expect(installed).toContain(`with Node ${nodeDir}/node`);
    expect(installed).toContain(`remove them with: sudo ${nodeDir}/node ${clone}/scripts/commands.mjs remove`);
    phase('npm start and the workbook');
  }, 240_000);

  it('a new login shell, outside the checkout: isolab runs as the learner and through sudo', async () => {
    const shell = await Terminal.open('learner', `su - ${learner} -w PROMPT_COMMAND`);
    expect((await shell.run('cd /')).status).toBe(0);

    const asLearner = await shell.run('isolab verify 1.1');
    expect(asLearner.output).not.toContain('command not found');
    expect(asLearner.output).toMatch(/^1\.1 UTS: a hostname of your own {2}\(namespaces\/uts\)$/m);
    expect([1, 3]).toContain(asLearner.status);
    if (asLearner.status === 3) expect(asLearner.output).toContain('needs root');

    const throughSudo = await shell.run('sudo isolab verify 1.1');
    expect(throughSudo.output).not.toContain('command not found');
    expect(throughSudo.status).toBe(1);
    expect(throughSudo.output).toMatch(/^ {2}✗ .*isolab-uts/m);
    expect(throughSudo.output).toMatch(/^ {2}✓ the host's hostname is unchanged/m);
    expect(throughSudo.output).toMatch(/Not done yet: \d+ of \d+ checks passed/);
    phase('isolab and sudo isolab');
  }, 60_000);

  it("a root login shell without Node or sudo on its PATH: lesson 1.1's commands as shown, then isolab verify 1.1 passes", async () => {
    // From now on, no sudo either: this is root at a console or over ssh.
    must('nsenter', ['-t', String(namespaceInit), '-m', 'mount', '--bind', join(work, 'stubs/sudo'), '/usr/bin/sudo']);
    const shell = await Terminal.open('root', 'su - -w PROMPT_COMMAND');
    expect((await shell.run('cd /')).status).toBe(0);
    expect(await shell.run('node --version')).toMatchObject({ status: 127, output: expect.stringContaining('node is not on this PATH') });
    expect(await shell.run('sudo true')).toMatchObject({ status: 127, output: expect.stringContaining('sudo is not on this PATH') });

    const lines = lessonCommands(clone, join(work, 'show-home'));
    expect(lines).toContain('isolab verify 1.1');
    let verified = false;
    for (const line of lines) {
      const result = await shell.run(line);
      expect(result.output).not.toContain('command not found');
      expect({ line, status: result.status }).toEqual({ line, status: 0 });
      if (line === 'isolab verify 1.1') {
        expect(result.output).toMatch(/Passed: (\d+) of \1 checks\. The lesson is done\./);
        verified = true;
      }
    }
    expect(verified).toBe(true);
    // The nested shells opened by the lesson's lines were left with their `exit`: this is the login shell again.
    expect((await shell.run('hostname')).output).not.toContain('isolab-box');
    expect(await shell.run('pgrep -af "^isolab-uts "')).toMatchObject({ status: 1 });

    const reset = await shell.run('isolab reset 1.1');
    expect(reset.status).toBe(0);
    phase('lesson 1.1 as root');
  }, 120_000);

  it('leaves nothing behind: no learner, no sudoers file, no process, nothing in /usr/local/bin', () => {
    expect(namespace).not.toBeNull();
    cleanUp();
    expect(run('id', [learner]).status).not.toBe(0);
    expect(run('getent', ['group', learner]).status).not.toBe(0);
    expect(existsSync(sudoersFile)).toBe(false);
    expect(existsSync(work)).toBe(false);
    expect(existsSync(`/tmp/tmux-0/${socket}`)).toBe(false);
    expect(processesIn(namespace!)).toEqual([]);
    expect(existsSync('/usr/local/bin') ? readdirSync('/usr/local/bin').sort() : []).toEqual(hostBinBefore);
    phase('clean-up');
  });
});
