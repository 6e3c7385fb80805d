import { chmodSync, chownSync, existsSync, lchownSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findOnPath } from '../env/index.js';
import { IsolabError } from '../errors/index.js';
import { buildRootfs, expectedElf, parseElf, readElf } from './index.js';

/** An ELF header (and program header table) as the kernel reads it: enough for readElf, not enough to run. */
function elfImage(options: { bits?: 32 | 64; littleEndian?: boolean; machine: number; interpreter?: boolean }): Buffer {
  const bits = options.bits ?? 64;
  const le = options.littleEndian ?? true;
  const ehsize = bits === 64 ? 64 : 52;
  const phentsize = bits === 64 ? 56 : 32;
  const types = options.interpreter ? [6, 3, 1] : [1, 1];
  const image = Buffer.alloc(ehsize + phentsize * types.length + 64);
  image.writeUInt32BE(0x7f454c46, 0);
  image[4] = bits === 64 ? 2 : 1;
  image[5] = le ? 1 : 2;
  image[6] = 1;
  const u16 = (value: number, offset: number) => (le ? image.writeUInt16LE(value, offset) : image.writeUInt16BE(value, offset));
  const u32 = (value: number, offset: number) => (le ? image.writeUInt32LE(value, offset) : image.writeUInt32BE(value, offset));
  u16(2, 16); // ET_EXEC
  u16(options.machine, 18);
  if (bits === 64) {
    if (le) image.writeBigUInt64LE(BigInt(ehsize), 32);
    else image.writeBigUInt64BE(BigInt(ehsize), 32);
    u16(phentsize, 54);
    u16(types.length, 56);
  } else {
    u32(ehsize, 28);
    u16(phentsize, 42);
    u16(types.length, 44);
  }
  types.forEach((type, index) => u32(type, ehsize + index * phentsize));
  image.write('BusyBox v9.9.9 (isolab test)', ehsize + phentsize * types.length, 'latin1');
  return image;
}

const native = expectedElf(process.arch)!;
const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rootfs-test-'));
  dirs.push(dir);
  return dir;
}

function fakeBusybox(options: Parameters<typeof elfImage>[0]): string {
  const path = join(tempDir(), 'busybox');
  writeFileSync(path, elfImage(options));
  chmodSync(path, 0o755);
  return path;
}

const applets = () => ['bin/sh', 'bin/ls', 'sbin/ifconfig', 'usr/bin/env', 'usr/sbin/chroot', 'bin/busybox'];

function failure(build: () => unknown): IsolabError {
  try {
    build();
  } catch (error) {
    if (error instanceof IsolabError) return error;
    throw error;
  }
  throw new Error('expected an IsolabError');
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('parseElf', () => {
  const parse = (image: Buffer) => parseElf(image.subarray(0, 64), (offset, length) => image.subarray(offset, offset + length));

  it('reads the machine, the word size and the byte order', () => {
    expect(parse(elfImage({ machine: 62 }))).toEqual({ bits: 64, littleEndian: true, machine: 62, static: true });
    expect(parse(elfImage({ machine: 40, bits: 32 }))).toEqual({ bits: 32, littleEndian: true, machine: 40, static: true });
    expect(parse(elfImage({ machine: 22, littleEndian: false }))).toEqual({ bits: 64, littleEndian: false, machine: 22, static: true });
  });

  it('calls a binary with a PT_INTERP program header dynamic', () => {
    expect(parse(elfImage({ machine: 183, interpreter: true }))?.static).toBe(false);
    expect(parse(elfImage({ machine: 3, bits: 32, interpreter: true }))?.static).toBe(false);
  });

  it('says undefined for what is not ELF', () => {
    expect(parse(Buffer.from('#!/bin/sh\nexec busybox "$@"\n'.padEnd(64)))).toBeUndefined();
  });

  it.skipIf(!existsSync('/bin/busybox'))("reads this machine's busybox as static and native", () => {
    const elf = readElf('/bin/busybox')!;
    expect(elf.machine).toBe(native.machine);
    expect(elf.bits).toBe(native.bits);
  });

  it.skipIf(!existsSync('/bin/sh'))('sees the loader of a dynamically linked program', () => {
    // /bin/sh (dash or bash) is linked against libc on every distribution isolab supports.
    expect(readElf('/bin/sh')?.static).toBe(false);
  });
});

describe('buildRootfs', () => {
  it('lays out the directories, etc files, busybox and relative applet links', () => {
    const busybox = fakeBusybox({ machine: native.machine, bits: native.bits });
    const dir = join(tempDir(), 'bundle/rootfs');
    const result = buildRootfs(dir, { busybox, listApplets: applets });
    expect(result).toMatchObject({ dir, applets: 5, version: 'BusyBox v9.9.9 (isolab test)', machine: native.name });
    for (const sub of ['bin', 'sbin', 'usr/bin', 'usr/sbin', 'proc', 'sys', 'dev', 'tmp', 'etc', 'root']) expect(statSync(join(dir, sub)).isDirectory(), sub).toBe(true);
    expect(statSync(join(dir, 'tmp')).mode & 0o7777).toBe(0o1777);
    expect(readFileSync(join(dir, 'bin/busybox'))).toEqual(readFileSync(busybox));
    expect(lstatSync(join(dir, 'bin/busybox')).isFile()).toBe(true);
    expect(readlinkSync(join(dir, 'bin/sh'))).toBe('busybox');
    expect(readlinkSync(join(dir, 'sbin/ifconfig'))).toBe('../bin/busybox');
    expect(readlinkSync(join(dir, 'usr/sbin/chroot'))).toBe('../../bin/busybox');
    expect(readFileSync(join(dir, 'etc/passwd'), 'utf8')).toMatch(/^root:x:0:0:root:\/root:\/bin\/sh$/m);
    expect(readFileSync(join(dir, 'etc/group'), 'utf8')).toMatch(/^root:x:0:$/m);
    expect(readFileSync(join(dir, 'etc/hostname'), 'utf8')).toBe('isolab\n');
  });

  it('refuses a directory with files in it (exit 2), and builds into it with force', () => {
    const busybox = fakeBusybox({ machine: native.machine, bits: native.bits });
    const dir = tempDir();
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const refused = failure(() => buildRootfs(dir, { busybox, listApplets: applets }));
    expect(refused.exitCode).toBe(2);
    expect(refused.message).toContain('is not empty (notes.txt)');
    expect(refused.remedy).toContain('--force');
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'bin/sh'), 'an old shell');
    buildRootfs(dir, { busybox, listApplets: applets, force: true });
    expect(readlinkSync(join(dir, 'bin/sh'))).toBe('busybox');
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
    // Twice with force is fine: links are replaced, not doubled.
    expect(buildRootfs(dir, { busybox, listApplets: applets, force: true }).applets).toBe(5);
  });

  it('accepts an empty directory that exists', () => {
    const busybox = fakeBusybox({ machine: native.machine, bits: native.bits });
    expect(buildRootfs(tempDir(), { busybox, listApplets: applets }).applets).toBe(5);
  });

  it('says to install busybox-static when busybox is missing (exit 3)', () => {
    const onPath = failure(() => buildRootfs(join(tempDir(), 'rootfs'), { env: { PATH: tempDir() }, listApplets: applets }));
    expect(onPath.exitCode).toBe(3);
    expect(onPath.message).toContain('busybox is not installed');
    expect(onPath.remedy).toContain('apt-get install busybox-static');
    const given = failure(() => buildRootfs(join(tempDir(), 'rootfs'), { busybox: '/nonexistent/busybox', listApplets: applets }));
    expect(given.exitCode).toBe(3);
    expect(given.remedy).toContain('apt-get install busybox-static');
  });

  it('refuses a dynamically linked busybox (exit 3)', () => {
    const busybox = fakeBusybox({ machine: native.machine, bits: native.bits, interpreter: true });
    const error = failure(() => buildRootfs(join(tempDir(), 'rootfs'), { busybox, listApplets: applets }));
    expect(error.exitCode).toBe(3);
    expect(error.message).toContain('dynamically linked');
    expect(error.remedy).toContain('apt-get install busybox-static');
  });

  it('refuses a busybox for another architecture (exit 3)', () => {
    const busybox = fakeBusybox({ machine: 62 });
    const error = failure(() => buildRootfs(join(tempDir(), 'rootfs'), { busybox, arch: 'arm64', listApplets: applets }));
    expect(error.exitCode).toBe(3);
    expect(error.message).toBe(`${busybox} is a 64-bit x86-64 binary; this machine runs AArch64 (arm64), so it would not start in a container here`);
  });

  it('refuses what is not ELF (exit 3)', () => {
    const busybox = join(tempDir(), 'busybox');
    writeFileSync(busybox, '#!/bin/sh\nexec /usr/lib/busybox "$@"\n');
    expect(failure(() => buildRootfs(join(tempDir(), 'rootfs'), { busybox, listApplets: applets })).message).toContain('is not an ELF binary');
  });

  it('refuses / and a file as the target (exit 2), and creates nothing there', () => {
    const busybox = fakeBusybox({ machine: native.machine, bits: native.bits });
    expect(failure(() => buildRootfs('/', { busybox, force: true, listApplets: applets })).exitCode).toBe(2);
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, '');
    expect(failure(() => buildRootfs(file, { busybox, force: true, listApplets: applets })).message).toContain('is not a directory');
    expect(failure(() => buildRootfs(join(file, 'rootfs'), { busybox, listApplets: applets })).exitCode).toBe(2);
  });

  it('with force, writes nothing through a link planted inside the tree (etc, bin, etc/hostname)', () => {
    const busybox = fakeBusybox({ machine: native.machine, bits: native.bits });
    const outside = tempDir();
    writeFileSync(join(outside, 'hostname'), 'the host\n');
    for (const [link, target] of [['etc', outside], ['bin', outside], ['etc/hostname', join(outside, 'hostname')]] as const) {
      const dir = tempDir();
      if (link === 'etc/hostname') mkdirSync(join(dir, 'etc'));
      symlinkSync(target, join(dir, link));
      if (link === 'etc/hostname') {
        // A link at a file's own name is replaced by the file, never followed.
        buildRootfs(dir, { busybox, listApplets: applets, force: true });
        expect(lstatSync(join(dir, link)).isFile(), link).toBe(true);
      } else {
        const error = failure(() => buildRootfs(dir, { busybox, listApplets: applets, force: true }));
        expect(error.exitCode, link).toBe(2);
        expect(error.message, link).toBe(`${join(dir, link)} is a symbolic link inside the rootfs: isolab writes nothing through it (it could point anywhere on the machine)`);
      }
      expect(readdirSync(outside), link).toEqual(['hostname']);
      expect(readFileSync(join(outside, 'hostname'), 'utf8')).toBe('the host\n');
    }
  });

  it.skipIf(process.geteuid?.() !== 0)('as root, refuses a way to the directory that another user made or links (needs root)', () => {
    const busybox = fakeBusybox({ machine: native.machine, bits: native.bits });
    const base = tempDir();
    chmodSync(base, 0o755);
    // Another user's /tmp/isolab-lab, made before isolab's.
    const theirs = join(base, 'isolab-lab');
    mkdirSync(theirs);
    chownSync(theirs, 65534, 65534);
    const inTheirs = failure(() => buildRootfs(join(theirs, 'oci/rootfs'), { busybox, listApplets: applets, env: {} }));
    expect(inTheirs.exitCode).toBe(2);
    expect(inTheirs.message).toBe(`${theirs} belongs to uid 65534: isolab will not build a rootfs in ${join(theirs, 'oci/rootfs')} (another user could send its writes anywhere on the machine)`);
    expect(existsSync(join(theirs, 'oci'))).toBe(false);
    // The same directory is fine when isolab runs for that user (sudo): it is theirs to build in.
    expect(buildRootfs(join(theirs, 'oci/rootfs'), { busybox, listApplets: applets, env: { SUDO_UID: '65534' } }).applets).toBe(5);
    // A link on the way, made by that user, is refused even so.
    const target = tempDir();
    const linked = join(base, 'linked');
    symlinkSync(target, linked);
    lchownSync(linked, 65534, 65534);
    const throughLink = failure(() => buildRootfs(join(linked, 'rootfs'), { busybox, listApplets: applets, force: true, env: { SUDO_UID: '65534' } }));
    expect(throughLink.message).toMatch(new RegExp(`^${linked} is a symbolic link made by uid 65534: isolab will not build`));
    expect(readdirSync(target)).toEqual([]);
  });

  it.skipIf(!findOnPath('busybox', process.env))("builds from this machine's busybox with its own applet list", () => {
    const result = buildRootfs(join(tempDir(), 'rootfs'));
    expect(result.applets).toBeGreaterThan(100);
    expect(readlinkSync(join(result.dir, 'bin/sh'))).toBe('busybox');
    expect(existsSync(join(result.dir, 'bin/busybox'))).toBe(true);
  });
});
