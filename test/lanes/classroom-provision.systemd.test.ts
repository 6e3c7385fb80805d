// The classroom provisioning, applied in a systemd VM: as the learner, a delegated scope is delegation ok;
// as root, every cgroup lesson is available.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isolabBin, repoRoot } from '../helpers/cli.js';
import { runSync } from '../helpers/run.js';

const run = (command: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
  runSync(command, args, { cwd: repoRoot, timeout: 180_000, env });

describe('classroom VM provisioning', () => {
  test('systemd: provision.sh sets up the learner, sudo, delegation and the commands (and runs twice)', () => {
    for (let round = 0; round < 2; round++) {
      const result = run('bash', ['vm/classroom/provision.sh', '--learner', 'learner', '--skip-packages', '--checkout', repoRoot]);
      assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
      // The launchers are written once; the second run finds them right and says nothing about them.
      if (round === 0) assert.match(result.stdout, /\/usr\/local\/bin\/isolab +installed: runs /);
      else assert.doesNotMatch(result.stdout, /installed|updated/);
    }
    // The learner's login shell, and sudo from it, find isolab and cgroup-tool.
    for (const args of [['-u', 'learner', '-i', 'isolab', '--version'], ['-u', 'learner', 'sudo', 'cgroup-tool', '--version']]) {
      const found = run('sudo', args);
      assert.equal(found.status, 0, `sudo ${args.join(' ')}: ${found.stdout}\n${found.stderr}`);
      assert.match(found.stdout, /^\d+\.\d+\.\d+\n$/);
    }
    const uid = run('id', ['-u', 'learner']).stdout.trim();
    const delegated = run('systemctl', ['show', '-p', 'DelegateControllers', `user@${uid}.service`]).stdout;
    for (const controller of ['cpu', 'io', 'memory', 'pids']) assert.match(delegated, new RegExp(`\\b${controller}\\b`), delegated);
    assert.equal(run('sudo', ['-u', 'learner', 'sudo', '-n', 'true']).status, 0);
  });

  test('systemd: as the learner, a Delegate=yes scope of their own systemd is delegation ok', () => {
    const uid = run('id', ['-u', 'learner']).stdout.trim();
    // What a learner does: a delegated scope for a shell, which leaves the scope's own cgroup for a leaf.
    const script = [
      'set -e',
      'cg=$(sed -n "s/^0:://p" /proc/self/cgroup)',
      'mkdir "/sys/fs/cgroup$cg/shell" && echo $$ > "/sys/fs/cgroup$cg/shell/cgroup.procs"',
      'for c in memory pids cpu; do echo +$c > "/sys/fs/cgroup$cg/cgroup.subtree_control"; done',
      `ISOLAB_CGROUP_ROOT=$cg ISOLAB_HOME=/tmp/isolab-learner "${process.execPath}" "${isolabBin}" doctor --json`,
    ].join('\n');
    const result = run('sudo', [
      '-u', 'learner', `XDG_RUNTIME_DIR=/run/user/${uid}`, `DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/${uid}/bus`,
      'systemd-run', '--user', '--scope', '--quiet', '-p', 'Delegate=yes', 'sh', '-c', script,
    ]);
    assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
    const report = JSON.parse(result.stdout);
    assert.equal(report.privileges.root, false);
    assert.equal(report.cgroup.delegation.status, 'ok', report.cgroup.delegation.why);
    for (const controller of ['cpu', 'memory', 'pids']) assert.ok(report.cgroup.delegation.controllers.includes(controller), controller);
  });

  test('systemd: as root, every cgroup lesson is available', () => {
    const result = run(process.execPath, [isolabBin, 'doctor', '--json'], { ISOLAB_HOME: '/tmp/isolab-root' });
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(result.stdout);
    const lockedCgroupLessons = report.lessons.locked.filter((entry: { id: string }) => entry.id.startsWith('cgroups/'));
    assert.deepEqual(lockedCgroupLessons, []);
  });
});
