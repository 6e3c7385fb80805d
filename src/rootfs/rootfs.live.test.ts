/**
 * `isolab rootfs` on the real machine: the tree it builds is a root runc can start a container in, with the
 * applets on PATH and root named in /etc/passwd. Needs root, runc and busybox-static.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isRoot } from '../../test/helpers/cli.js';
import { runSync } from '../../test/helpers/run.js';
import { findOnPath } from '../env/index.js';
import { buildRootfs } from './index.js';

const reason = !isRoot ? 'needs root' : !findOnPath('runc', process.env) ? 'needs runc' : !findOnPath('busybox', process.env) ? 'needs busybox-static' : '';

describe.skipIf(reason !== '')(`isolab rootfs (live${reason ? `: skipped, ${reason}` : ''})`, () => {
  const bundle = mkdtempSync(join(tmpdir(), 'rootfs-live-'));
  const id = `isolab-rootfs-live-${process.pid}`;

  afterAll(() => {
    runSync('runc', ['delete', '--force', id]);
    rmSync(bundle, { recursive: true, force: true });
  });

  it('builds a root that runc runs a busybox shell in', () => {
    const result = buildRootfs(join(bundle, 'rootfs'));
    expect(runSync('runc', ['spec'], { cwd: bundle }).status).toBe(0);
    const config = JSON.parse(readFileSync(join(bundle, 'config.json'), 'utf8')) as { process: { terminal: boolean; args: string[] } };
    config.process.terminal = false;
    config.process.args = ['sh', '-c', 'id -un; cat /etc/hostname; readlink /usr/sbin/chroot; ls /bin | wc -l'];
    writeFileSync(join(bundle, 'config.json'), JSON.stringify(config));
    // Foreground: runc deletes the container itself when the shell exits.
    const run = runSync('runc', ['run', '--bundle', bundle, id], { timeout: 30_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const [user, hostname, chroot, count] = run.stdout.trim().split('\n');
    expect(user).toBe('root');
    expect(hostname).toBe('isolab');
    expect(chroot).toBe('../../bin/busybox');
    expect(Number(count)).toBeGreaterThan(50);
    expect(result.applets).toBeGreaterThan(100);
  });
});
