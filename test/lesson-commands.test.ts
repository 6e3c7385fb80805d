// Every command a lesson shows must run as shown in a root shell: on a root machine without sudo, and in the
// shell `sudo -s` opens, whose PATH is sudo's secure_path (no Node there when it lives in the learner's home).
import { execaSync } from 'execa';
import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toolCommands } from '../src/cgroup-tool/commands/index.js';
import { exerciseNames } from '../src/cli/commands/exercise.js';
import { commands } from '../src/cli/commands/index.js';
import { bodyOf, commandSections } from '../src/lessons/index.js';
import { lessonIndex } from '../src/lessons/source-index.js';
import { freshHome, isolabBin, isRoot, repoRoot } from './helpers/cli.js';
import { runSync } from './helpers/run.js';
import { analyzeScript, rootPath, type RootShell } from './helpers/root-shell.js';
import { simpleCommands } from './helpers/shell-words.js';

const shell: RootShell = {
  builtins: new Set(execaSync('bash', ['-c', 'compgen -b; compgen -k']).stdout.split('\n').filter(Boolean)),
  isolabCommands: new Set(commands.map((command) => command.name)),
  lessons: new Map(lessonIndex.flatMap((lesson) => [lesson.id, lesson.short].map((key) => [key, lesson.questions.map((question) => question.key)] as const))),
  exercises: new Set(exerciseNames(repoRoot)),
  cgroupToolCommands: new Set(toolCommands.map((command) => command.name)),
};

/** `<hex>`, `<v1|hybrid|v2>`: what the learner types in; as shell it would be a redirection and a pipe. */
const withoutPlaceholders = (block: string) => block.replace(/<[A-Za-z][A-Za-z0-9|._-]*>/g, 'PLACEHOLDER');

const lessonBody = (file: string) => bodyOf(readFileSync(join(repoRoot, file), 'utf8'));

describe('the shell grammar the test reads commands with', () => {
  const programs = (script: string) => simpleCommands(script).map((words) => words.map((word) => word.text).join(' '));

  it('splits lists and pipelines, and finds commands inside substitutions and quotes', () => {
    expect(programs('a | b && c || d; e & f\ng "$(h x)" `i`')).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g $(h x) `i`', 'h x', 'i']);
    expect(programs("echo 'x | y' \"a;b\" c\\ d # e | f")).toEqual(['echo x | y a;b c d']);
  });

  it('leaves redirection targets, here-documents and continuations out of the words', () => {
    expect(programs('cat <<EOF > out\nnot a command\nEOF\nls 2>&1 >/dev/null\\\n  -l')).toEqual(['cat', 'ls -l']);
  });

  it('unwraps the programs that run programs, and checks isolab commands and lessons', () => {
    const problems = (script: string) => analyzeScript(script, shell).problems;
    expect(problems("setsid -f unshare --propagation private bash -c 'hostname x && exec -a n sleep 1'")).toEqual([]);
    expect(problems('sudo env "PATH=$PATH" npx cgroup-tool ls')).toHaveLength(2);
    expect(problems('ip netns exec isolab-x no-such-program-here')).toHaveLength(1);
    expect(problems('for k in a b; do echo "$(no-such-program-here)"; done')).toHaveLength(1);
    expect(problems('isolab verify 9.9; isolab frobnicate; isolab answer 0.1 colour blue')).toHaveLength(3);
    expect(analyzeScript('unshare --uts bash', shell).interactive).toBe(true);
    expect(analyzeScript("unshare --uts bash -c 'true'", shell).interactive).toBe(false);
  });
});

describe.each(lessonIndex.map((lesson) => [lesson.short, lesson] as const))('lesson %s', (_, lesson) => {
  const body = lessonBody(lesson.file);
  const bodyLine = readFileSync(join(repoRoot, lesson.file), 'utf8').split('\n').indexOf('---', 1) + 2;

  it('shows only commands that run in a root shell', () => {
    const problems = commandSections(body).flatMap((section) =>
      section.blocks.flatMap((block, index) =>
        analyzeScript(withoutPlaceholders(block), shell).problems.map((problem) => `${lesson.file}:${bodyLine + section.lines[index]! - 1}: ${problem}`),
      ),
    );
    expect(problems).toEqual([]);
  });

  it('runs neither sudo (but for `sudo -s` and `sudo -i`), npx, tsx nor node in its hints and inline code', () => {
    const spans = [...lesson.hints, body].flatMap((text) => [...text.matchAll(/`([^`\n]+)`/g)].map((match) => match[1]!));
    const offending = spans.filter((span) =>
      simpleCommands(span).some((words) => {
        const texts = words.map((word) => word.text);
        // One word names a program (`sudo` is not installed; PID 1 may be `node`); with arguments it is a command.
        if (texts.length < 2) return false;
        if (texts[0] === 'sudo' && texts.length === 2 && (texts[1] === '-s' || texts[1] === '-i')) return false;
        return texts.some((text) => text === 'sudo' || text === 'npx' || text === 'tsx') || texts[0] === 'node';
      }),
    );
    expect(offending).toEqual([]);
  });
});

describe('the exercises\' READMEs', () => {
  const readmes = ['exercises/README.md', ...shell.exercises].map((name) => (name.endsWith('.md') ? name : `exercises/${name}/README.md`)).filter((file) => existsSync(join(repoRoot, file)));

  it.each(readmes)('%s shows only commands that run in a root shell', (file) => {
    const text = readFileSync(join(repoRoot, file), 'utf8');
    const spans = [...text.matchAll(/`([^`\n]+)`/g)].map((match) => match[1]!);
    const problems = [...commandSections(text).flatMap((section) => section.blocks), ...spans.filter((span) => span.startsWith('isolab exercise ') && !span.includes('<'))].flatMap(
      (block) => analyzeScript(withoutPlaceholders(block), shell).problems,
    );
    expect(problems).toEqual([]);
  });
});

describe.skipIf(!isRoot || !existsSync(isolabBin))('lesson steps, run as shown', () => {
  // A root shell's PATH with `isolab` on it, as the launcher puts it there.
  const bin = mkdtempSync(join(tmpdir(), 'isolab-bin-'));
  writeFileSync(join(bin, 'isolab'), `#!/bin/sh\nexec '${process.execPath}' '${isolabBin}' "$@"\n`);
  chmodSync(join(bin, 'isolab'), 0o755);
  const home = freshHome();
  const env = { PATH: `${bin}:${rootPath}`, HOME: process.env.HOME ?? '/root', ISOLAB_HOME: home, NO_COLOR: '1', LANG: 'C.UTF-8' };
  afterAll(() => rmSync(bin, { recursive: true, force: true }));

  /**
   * The steps' blocks, run by one non-interactive bash. A block that opens a shell for the learner to type into
   * (`nsenter -t "$PID" -u bash`, then `hostname`, `exit`) is left out. `isolab show --commands --step N`
   * must print every block of the step, as a learner would copy them from there.
   */
  function runSteps(short: string, steps: Array<number | 'Cleanup'>): { output: string; status: number | null } {
    const sections = commandSections(lessonBody(lessonIndex.find((lesson) => lesson.short === short)!.file));
    const blocks = steps.flatMap((step) => {
      const section = sections.find((candidate) => (step === 'Cleanup' ? candidate.heading === 'Cleanup' : candidate.step === step))!;
      if (step !== 'Cleanup') {
        const printed = runSync('isolab', ['show', short, '--commands', '--step', String(step)], { env, extendEnv: false });
        expect(printed.status, printed.stderr).toBe(0);
        for (const line of section.blocks.join('\n').split('\n')) expect(printed.stdout.split('\n')).toContain(line);
      }
      return section.blocks.filter((block) => !analyzeScript(block, shell).interactive);
    });
    // Output goes to a file: a process the steps leave running (setsid -f) would hold a pipe open. This stays on
    // node:child_process: it needs the file's descriptor as the program's stdout and stderr, and execaSync turns
    // a file output into a pipe it copies from, which the process left running holds open.
    const log = join(bin, 'steps.log');
    const fd = openSync(log, 'w');
    try {
      const run = spawnSync('bash', ['-c', blocks.join('\n')], { env, cwd: tmpdir(), timeout: 60_000, stdio: ['ignore', fd, fd] });
      return { output: readFileSync(log, 'utf8'), status: run.status };
    } finally {
      closeSync(fd);
    }
  }

  it('0.1 steps 2 and 4 record the answers verify then accepts', () => {
    runSteps('0.1', [2, 4]);
    const verify = runSync('isolab', ['verify', '0.1', '--json'], { env, extendEnv: false });
    const checks = JSON.parse(verify.stdout).checks as Array<{ id: string; status: string }>;
    expect(checks.filter((check) => check.id === 'kernel-release' || check.id === 'pid1').map((check) => check.status)).toEqual(['pass', 'pass']);
  });

  it('1.1 steps 3 and 4 make the lab verify passes, and its cleanup leaves no isolab-uts process', () => {
    try {
      runSteps('1.1', [3, 4]);
      const verify = runSync('isolab', ['verify', '1.1', '--json'], { env, extendEnv: false });
      expect(JSON.parse(verify.stdout).status, verify.stdout).toBe('pass');
    } finally {
      // Step 4 finds the process again (its PID variable does not outlive one bash).
      runSteps('1.1', [4, 'Cleanup']);
    }
    expect(runSync('pgrep', ['-f', '^isolab-uts ']).stdout).toBe('');
  });
});
