import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveInRootfs } from './oci-rootfs.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'isolab-rootfs-'));
  mkdirSync(join(root, 'bin'));
  mkdirSync(join(root, 'usr/bin'), { recursive: true });
  writeFileSync(join(root, 'bin/busybox'), '');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('resolveInRootfs', () => {
  it('follows relative and absolute links inside the root', () => {
    symlinkSync('busybox', join(root, 'bin/sh'));
    symlinkSync('/bin/busybox', join(root, 'usr/bin/env'));
    expect(resolveInRootfs(root, '/bin/sh')).toBe(join(root, 'bin/busybox'));
    expect(resolveInRootfs(root, '/usr/bin/env')).toBe(join(root, 'bin/busybox'));
    expect(resolveInRootfs(root, '/usr/../bin/busybox')).toBe(join(root, 'bin/busybox'));
  });

  it('never leads out to the host, and gives up on what is missing or loops', () => {
    symlinkSync('/etc/passwd', join(root, 'bin/passwd'));
    symlinkSync('../../../../bin/busybox', join(root, 'bin/up'));
    symlinkSync('loop', join(root, 'bin/loop'));
    expect(resolveInRootfs(root, '/bin/passwd')).toBeUndefined();
    expect(resolveInRootfs(root, '/bin/up')).toBe(join(root, 'bin/busybox'));
    expect(resolveInRootfs(root, '/bin/loop')).toBeUndefined();
    expect(resolveInRootfs(root, '/bin/ls')).toBeUndefined();
  });
});
