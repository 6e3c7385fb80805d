/**
 * `isolab clean` on the real kernel: it must find and remove isolab-named cgroups (with a process inside),
 * network namespaces, veth pairs and mounts, and leave everything else alone. Needs root.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freshHome, isolab, isolabBin, isRoot } from '../../test/helpers/cli.js';
import { liveSystem, readMountInfo } from '../system/index.js';
import { hasExited } from '../verify/index.js';

const hasIp = existsSync('/usr/sbin/ip') || existsSync('/sbin/ip') || existsSync('/usr/bin/ip');
const reason = !isRoot ? 'needs root' : !hasIp ? 'needs ip (iproute2)' : '';

/** The cgroup hierarchies mounted here: v1 controllers and/or the v2 tree. */
function cgroupMounts(): string[] {
  return readMountInfo('/proc')
    .filter((mount) => mount.fsType === 'cgroup' || mount.fsType === 'cgroup2')
    .map((mount) => mount.mountPoint);
}

describe.skipIf(reason !== '')(`isolab clean (live${reason ? `: skipped, ${reason}` : ''})`, () => {
  const sleeper = spawn('sleep', ['600'], { stdio: 'ignore' });
  // An unrelated cgroup that clean must not touch.
  const bystander = join(cgroupMounts().find((mount) => mount.endsWith('/pids') || mount === '/sys/fs/cgroup')!, 'notisolab-bystander');

  afterAll(() => {
    sleeper.kill('SIGKILL');
    try {
      execFileSync('rmdir', [bystander]);
    } catch {
      // Already gone.
    }
  });

  it('removes lab cgroups with processes, netns, veth pairs and mounts, and nothing else', () => {
    const labCgroups = cgroupMounts().map((mount) => join(mount, 'isolab', 'clean-test', 'inner'));
    for (const dir of labCgroups) mkdirSync(dir, { recursive: true });
    const withProcess = labCgroups.find((dir) => dir.includes('/pids/')) ?? labCgroups[0]!;
    writeFileSync(join(withProcess, 'cgroup.procs'), String(sleeper.pid));
    mkdirSync(bystander, { recursive: true });
    execFileSync('ip', ['netns', 'add', 'isolab-clean-test']);
    execFileSync('ip', ['link', 'add', 'isolab-ct0', 'type', 'veth', 'peer', 'name', 'isolab-ct1']);
    mkdirSync('/run/isolab/clean-test', { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', 'isolab-clean-test', '/run/isolab/clean-test']);

    const result = isolab(['clean'], { home: freshHome() });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('removed netns isolab-clean-test');
    expect(result.stdout).toContain('removed mount /run/isolab/clean-test');

    for (const mount of cgroupMounts()) expect(existsSync(join(mount, 'isolab')), mount).toBe(false);
    expect(readFileSync(`/proc/${sleeper.pid}/stat`, 'utf8')).toMatch(/\) Z /);
    expect(existsSync('/run/netns/isolab-clean-test')).toBe(false);
    expect(existsSync('/sys/class/net/isolab-ct0')).toBe(false);
    expect(existsSync('/sys/class/net/isolab-ct1')).toBe(false);
    expect(readMountInfo('/proc').some((mount) => mount.mountPoint.startsWith('/run/isolab'))).toBe(false);
    expect(existsSync(bystander)).toBe(true);

    const again = isolab(['clean'], { home: freshHome() });
    expect(again.stdout).toContain('Nothing to clean');
  });

  it('kills processes marked by argv[0] or ISOLAB_LAB, and spares itself, its ancestors and unmarked processes', () => {
    const byName = spawn('sleep', ['600'], { argv0: 'isolab-clean-test', stdio: 'ignore' });
    const byEnv = spawn('sleep', ['600'], { env: { ...process.env, ISOLAB_LAB: 'clean-test' }, stdio: 'ignore' });
    const unmarked = spawn('sleep', ['600'], { argv0: 'notisolab-clean-test', stdio: 'ignore' });
    try {
      expect(readFileSync(`/proc/${byName.pid}/cmdline`, 'utf8').split('\0')[0]).toBe('isolab-clean-test');
      // clean runs under a shell that carries the marker too: both are the caller or its ancestor.
      const home = freshHome();
      const result = spawnSync('bash', ['-c', `"$NODE" "$BIN" clean && echo the shell survived`], {
        env: { ...process.env, NO_COLOR: '1', ISOLAB_HOME: home, ISOLAB_LAB: 'clean-test', NODE: process.execPath, BIN: isolabBin },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout).toContain(`removed process ${byName.pid} isolab-clean-test`);
      expect(result.stdout).toContain(`removed process ${byEnv.pid} ISOLAB_LAB=clean-test`);
      expect(result.stdout).toContain('the shell survived');
      expect(result.stdout).not.toContain(`process ${unmarked.pid} `);
      const system = liveSystem();
      expect(hasExited(system, byName.pid!)).toBe(true);
      expect(hasExited(system, byEnv.pid!)).toBe(true);
      expect(hasExited(system, unmarked.pid!)).toBe(false);

      expect(isolab(['clean'], { home: freshHome() }).stdout).toContain('Nothing to clean');
    } finally {
      for (const child of [byName, byEnv, unmarked]) child.kill('SIGKILL');
    }
  });
});
