// Lesson 2.8, Step 5, on a systemd-booted VM: the Delegate=yes repair, and what user@.service delegates.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runSync } from '../helpers/run.js';

/** A shell script run inside a transient scope, as the lesson has the learner do it; stdout and stderr apart. */
function inScope(unit: string, script: string, options: { user?: string; delegate?: boolean } = {}) {
  const args = ['--scope', '--quiet', ...(options.delegate === false ? [] : ['-p', 'Delegate=yes']), `--unit=${unit}`, 'bash', '-c', script];
  const [command, commandArgs] = options.user
    ? ['runuser', ['-u', options.user, '--', 'env', `XDG_RUNTIME_DIR=/run/user/${uidOf(options.user)}`, 'systemd-run', '--user', ...args]]
    : ['systemd-run', args];
  return runSync(command, commandArgs as string[], { timeout: 120_000 });
}

function uidOf(user: string): string {
  return runSync('id', ['-u', user]).stdout.trim();
}

// Each step prints `key=value`; a refused write prints its error to stderr and `key=refused` to stdout.
const repair = [
  'cg=/sys/fs/cgroup$(sed -n "s/^0:://p" /proc/self/cgroup)',
  'echo "scope=$cg"',
  'grep -qx $$ "$cg/cgroup.procs" && echo "shell-in-scope=yes"',
  'echo +memory > "$cg/cgroup.subtree_control" && echo "enable-before-move=ok" || echo "enable-before-move=refused"',
  'mkdir "$cg/shell" && echo $$ > "$cg/shell/cgroup.procs" && echo "moved=yes"',
  'echo "+memory +pids" > "$cg/cgroup.subtree_control" && echo "enable-after-move=ok" || echo "enable-after-move=refused"',
  'mkdir "$cg/lab" && echo 64M > "$cg/lab/memory.max" && echo "lab-memory.max=$(cat "$cg/lab/memory.max")"',
  'rmdir "$cg/lab"',
].join('\n');

const values = (stdout: string) => Object.fromEntries(stdout.split('\n').filter((line) => line.includes('=')).map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]));

// A suite per file: node:test runs a top-level after() only when the whole bundle ends.
describe('lesson 2.8 on systemd: Delegate=', () => {
  test('systemd: in a Delegate=yes scope the shell blocks +memory (EBUSY); moved into a leaf, the scope enables it and a sibling takes memory.max', () => {
    const run = inScope('isolab-lesson-delegation', repair);
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    const seen = values(run.stdout);
    assert.match(seen.scope ?? '', /^\/sys\/fs\/cgroup\/system\.slice\/isolab-lesson-delegation\.scope$/);
    assert.equal(seen['shell-in-scope'], 'yes');
    assert.equal(seen['enable-before-move'], 'refused');
    assert.match(run.stderr, /echo: write error: Device or resource busy/);
    assert.equal(seen.moved, 'yes');
    assert.equal(seen['enable-after-move'], 'ok');
    assert.equal(seen['lab-memory.max'], String(64 * 2 ** 20));
  });

  test('systemd: the scope and its cgroups are gone once the shell exits', () => {
    const left = runSync('systemctl', ['show', '-p', 'LoadState', 'isolab-lesson-delegation.scope']);
    assert.equal(left.stdout.trim(), 'LoadState=not-found');
  });

  test('systemd: user@.service delegates memory and pids, so the learner gets the same repair in a --user scope', () => {
    const show = runSync('systemctl', ['show', 'user@1000.service', '-p', 'Delegate', '-p', 'DelegateControllers']);
    assert.match(show.stdout, /^Delegate=yes$/m);
    assert.match(show.stdout, /^DelegateControllers=.*\bmemory\b/m);
    assert.match(show.stdout, /^DelegateControllers=.*\bpids\b/m);
    const user = runSync('id', ['-nu', '1000']).stdout.trim();
    const run = inScope('isolab-lesson-delegation-user', `${repair}\necho "uid=$(id -u)"`, { user });
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    const seen = values(run.stdout);
    assert.equal(seen.uid, '1000');
    assert.match(seen.scope ?? '', /\/user@1000\.service\/.*isolab-lesson-delegation-user\.scope$/);
    assert.equal(seen['enable-before-move'], 'refused');
    assert.equal(seen['enable-after-move'], 'ok');
    assert.equal(seen['lab-memory.max'], String(64 * 2 ** 20));
  });
});
