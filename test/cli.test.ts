import { existsSync, mkdtempSync, readFileSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshHome, isolab, isolabBin } from './helpers/cli.js';

describe('isolab CLI', () => {
  it('prints its version and help', () => {
    const home = freshHome();
    expect(isolab(['--version'], { home }).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = isolab(['--help'], { home });
    expect(help.code).toBe(0);
    for (const command of ['list', 'show', 'start', 'verify', 'hint', 'answer', 'exercise', 'reset', 'clean', 'doctor']) {
      expect(help.stdout).toContain(`  ${command}`);
    }
    expect(isolab(['verify', '--help'], { home }).stdout).toContain('Example: isolab verify 0.1');
  });

  it.each([
    [['verify', 'orientation/your-machin'], 'unknown lesson "orientation/your-machin"', 'Did you mean "orientation/your-machine"'],
    [['show', '9.9'], 'unknown lesson "9.9"', 'isolab list'],
    [['lsit'], 'unknown command "lsit"', 'Did you mean "isolab list"'],
    [['list', '--frobnicate'], "Unknown option '--frobnicate'", 'isolab --help'],
    [['verify'], 'no lesson named, and none opened yet', 'Usage: isolab verify'],
    [['hint'], 'no lesson named, and none opened yet', 'Usage: isolab hint'],
    [['show'], 'no lesson named, and none opened yet', 'Usage: isolab show'],
    [['verify', '0.1', '--all'], 'name one lesson, or --all', 'Usage: isolab verify'],
    [['answer', '0.1', 'colour', 'blue'], '0.1 has no question "colour"', 'kernel-release'],
    [['answer', '0.1'], 'missing question key', 'Usage: isolab answer'],
    [['verify', '0.1', '--junit', '/nonexistent/dir/x.xml'], 'cannot write /nonexistent/dir/x.xml', '--junit'],
  ])('exits 2 on bad input %j with a message and a remedy, no stack', (args, message, remedy) => {
    const result = isolab(args, { home: freshHome() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain(remedy);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 1 when checks fail and 0 when they pass, recording progress', () => {
    const home = freshHome();
    const before = isolab(['verify', '0.1'], { home });
    expect(before.code).toBe(1);
    expect(before.stdout).toContain('✗ kernel release: no answer recorded yet');
    expect(before.stdout).toContain('try: Run `uname -r`.');

    const release = readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim();
    const wrong = isolab(['answer', '0.1', 'kernel-release', '1.2.3-wrong'], { home });
    expect(wrong.code).toBe(0);
    const afterWrong = isolab(['verify', '0.1', '--json'], { home });
    const check = JSON.parse(afterWrong.stdout).checks.find((c: { id: string }) => c.id === 'kernel-release');
    expect(check.status).toBe('fail');
    expect(check.message).toBe('"1.2.3-wrong" is not what this machine says');
    // The machine's truth is not given away in a failure.
    expect(afterWrong.stdout).not.toContain(release);

    expect(isolab(['answer', '0.1', 'kernel-release', release], { home }).code).toBe(0);
    const mode = JSON.parse(isolab(['doctor', '--json'], { home }).stdout).cgroup.mode;
    isolab(['answer', '0.1', 'cgroup-mode', mode], { home });
    isolab(['answer', '0.1', 'pid1', readFileSync('/proc/1/comm', 'utf8').trim()], { home });
    isolab(['answer', '0.1', 'mnt-ns', `mnt:[${/\d+/.exec(readlinkSync('/proc/self/ns/mnt'))![0]}]`], { home });
    const doctor = JSON.parse(isolab(['doctor', '--json'], { home }).stdout);
    isolab(['answer', '0.1', 'hypervisor-flag', /\bhypervisor\b/.test(readFileSync('/proc/cpuinfo', 'utf8')) ? 'yes' : 'no'], { home });
    isolab(['answer', '0.1', 'dockerenv', existsSync('/.dockerenv') ? 'y' : 'n'], { home });
    isolab(['answer', '0.1', 'environment', doctor.environment.kind], { home });
    const pass = isolab(['verify', '0.1'], { home });
    expect(pass.stdout).toContain('The lesson is done.');
    expect(pass.code).toBe(0);
    expect(isolab(['list', '--json'], { home }).stdout).toContain('"status": "done"');
  });

  it('does not pass a scenario that was never set up (its checks look for a repair)', () => {
    const home = freshHome();
    const scenario = JSON.parse(isolab(['list', '--json'], { home }).stdout).lessons.find((lesson: { kind: string; status: string }) => lesson.kind === 'scenario' && lesson.status !== 'locked');
    if (!scenario) return;
    const result = JSON.parse(isolab(['verify', scenario.id, '--json'], { home }).stdout);
    expect(result.status).toBe('fail');
    expect(result.checks).toEqual([expect.objectContaining({ id: 'started', status: 'fail', hint: expect.stringContaining(`isolab start ${scenario.short}`) })]);
  });

  it('gives hints one at a time, then the last verify hint', () => {
    const home = freshHome();
    isolab(['verify', '0.1'], { home });
    const first = isolab(['hint', '0.1'], { home });
    expect(first.stdout).toContain('Hint 1/4');
    expect(first.stdout).not.toContain('Hint 2/4');
    expect(first.stdout).toContain('From your last verify: Run `uname -r`.');
    expect(isolab(['hint', '0.1'], { home }).stdout).toContain('Hint 2/4');
  });

  it('show, hint and verify without a lesson take the one the learner was last on, and say which', () => {
    const home = freshHome();
    expect(isolab(['show', '0.2'], { home }).code).toBe(0);
    const hinted = isolab(['hint', '--json'], { home });
    expect(hinted.code).toBe(0);
    expect(JSON.parse(hinted.stdout).lesson).toBe('orientation/root-and-capabilities');
    expect(hinted.stderr).toMatch(/^0\.2 .+ \(orientation\/root-and-capabilities\): the lesson you were last on\n$/);
    // A hint or an answer for another lesson moves the learner there.
    isolab(['answer', '0.1', 'pid1', 'x'], { home });
    const verified = isolab(['verify', '--json'], { home });
    expect(JSON.parse(verified.stdout).lesson).toBe('orientation/your-machine');
    expect(verified.stderr).toMatch(/^0\.1 .+ \(orientation\/your-machine\): the lesson you were last on\n$/);
    expect(isolab(['show'], { home }).stdout).toMatch(/^0\.1 /);
    // verify --all checks every lesson; it is not the learner moving to the last one.
    isolab(['verify', '--all'], { home });
    expect(JSON.parse(isolab(['hint', '--json'], { home }).stdout).lesson).toBe('orientation/your-machine');
    // Commands that change things keep requiring the lesson.
    for (const command of ['start', 'answer', 'reset']) {
      const refused = isolab([command], { home });
      expect(refused.code, command).toBe(2);
      expect(refused.stderr, command).toContain('missing lesson id');
    }
  });

  it('honours NO_COLOR and --no-color, and colours nothing in a pipe', () => {
    const home = freshHome();
    const escape = /\u001b\[/;
    expect(isolab(['list'], { home, env: { NO_COLOR: '1', FORCE_COLOR: '1' } }).stdout).not.toMatch(escape);
    expect(isolab(['list', '--no-color'], { home, env: { NO_COLOR: '', FORCE_COLOR: '1' } }).stdout).not.toMatch(escape);
  });

  it('prints the lesson text with show, and start lists the steps and questions', () => {
    const home = freshHome();
    const shown = isolab(['show', 'orientation/your-machine'], { home });
    expect(shown.stdout).toContain('0.1 Your machine, as the kernel sees it');
    expect(shown.stdout).toContain('## Step 2: The kernel release');
    expect(shown.stdout).not.toContain('hints:');
    const started = isolab(['start', '0.1'], { home });
    expect(started.code).toBe(0);
    expect(started.stdout).toContain('1. Ask isolab what it sees');
    expect(started.stdout).toContain('isolab answer 0.1 pid1 <value>');
    expect(JSON.parse(isolab(['list', '--json'], { home }).stdout).lessons[0].status).toBe('in-progress');
  });

  it('prints only the shell commands with show --commands, by step, with each question in full', () => {
    const home = freshHome();
    const all = isolab(['show', '0.1', '--commands'], { home });
    expect(all.code).toBe(0);
    expect(all.stdout).not.toContain('Containers are not a kernel object');
    expect(all.stdout).toMatch(/^# Step 1: Ask isolab what it sees\nisolab doctor\n/);
    const step = isolab(['show', '0.1', '--commands', '--step', '4'], { home });
    expect(step.stdout).not.toContain('# Step');
    expect(step.stdout).not.toContain('uname');
    // The question comes before the line that answers it, as the front matter asks it.
    expect(step.stdout).toContain('# What is the name of PID 1 in your PID namespace?\nisolab answer 0.1 pid1 "$(cat /proc/1/comm)"');
    // 2.9's questions were complete only in the workbook's answer form.
    expect(isolab(['show', '2.9', '--commands', '--step', '4'], { home }).stdout).toContain(
      '# Which pid does the cgroup.procs of isolab/side list?\nisolab answer 2.9 side-pid <pid>\n',
    );
    const text = isolab(['show', '0.1'], { home }).stdout;
    expect(text).toContain('## Questions');
    expect(text).toContain('- Which cgroup mode does your machine use (v1, hybrid or v2)?\n  isolab answer 0.1 cgroup-mode <answer>');
  });

  it.each([
    [['show', '0.1', '--commands', '--step', '9'], '0.1 has no step "9"'],
    [['show', '0.1', '--step', '2'], '--step goes with --commands'],
  ])('refuses %j with exit 2', (args, message) => {
    const result = isolab(args, { home: freshHome() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it("runs an exercise of this checkout from any directory, its arguments untouched and its exit status isolab's", () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'isolab-cwd-'));
    const missing = isolab(['exercise', 'ns-tool', String(process.pid), '999999999'], { home: freshHome(), cwd: elsewhere });
    expect(missing).toMatchObject({ code: 2, stderr: 'ns-tool: no process with pid 999999999\n' });
    // --help is the program's argument, not isolab's option.
    expect(isolab(['exercise', 'ns-tool', '--help'], { home: freshHome(), cwd: elsewhere })).toMatchObject({ code: 1, stderr: 'ns-tool: usage: ns-tool <pid> <pid>\n' });
    const unknown = isolab(['exercise', 'ns_tool'], { home: freshHome(), cwd: elsewhere });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Did you mean "ns-tool"?');
  });

  it('resets a lesson: progress cleared', () => {
    const home = freshHome();
    isolab(['answer', '0.1', 'pid1', 'x'], { home });
    expect(isolab(['reset', '0.1'], { home }).code).toBe(0);
    expect(JSON.parse(isolab(['list', '--json'], { home }).stdout).lessons[0].status).toBe('available');
  });

  it('reads no Markdown and loads no UI code for the headless commands', () => {
    const bundle = readFileSync(isolabBin, 'utf8');
    expect(bundle).not.toMatch(/from ["']yaml["']|node_modules\/yaml/);
    expect(bundle).not.toMatch(/node_modules\/(ink|react)\//);
    // Runs from any directory: the checkout is found from the binary, not the working directory.
    const elsewhere = mkdtempSync(join(tmpdir(), 'isolab-cwd-'));
    expect(isolab(['list', '--json'], { home: freshHome(), cwd: elsewhere }).code).toBe(0);
  });
});
