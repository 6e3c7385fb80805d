import { execFileSync } from 'node:child_process';
import { chmodSync, constants, copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync, symlinkSync, unlinkSync } from 'node:fs';
import { endianness } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { findOnPath } from '../env/index.js';
import { blockedError, errnoCode, usageError } from '../errors/index.js';
import { LinkRefused, makeDirectories, untrustedOnTheWay, writeNewFile } from '../system/index.js';
import { expectedElf, machineName, readElf } from './elf.js';

export interface RootfsOptions {
  /** Build into a directory that already has files (ours are replaced, others are left). */
  force?: boolean;
  /** The environment whose PATH is searched for busybox. */
  env?: NodeJS.ProcessEnv;
  /** The busybox to copy; found on PATH when not given. */
  busybox?: string;
  /** This machine's architecture (process.arch); tests pretend to be another. */
  arch?: NodeJS.Architecture;
  /** The applets and where busybox installs them (`bin/ls`, `usr/sbin/chroot`); by default `busybox --list-full`. */
  listApplets?: (busybox: string) => string[];
}

export interface RootfsResult {
  dir: string;
  /** The busybox that was copied (the resolved path on the host). */
  busybox: string;
  /** `BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1)`, read from the binary, or null. */
  version: string | null;
  /** The architecture the binary is for, as elf(5) names it. */
  machine: string;
  applets: number;
  directories: string[];
}

/** The directories a container's root needs before runc mounts proc, sysfs and a tmpfs /dev onto them. */
export const rootfsDirectories = ['bin', 'sbin', 'usr/bin', 'usr/sbin', 'proc', 'sys', 'dev', 'tmp', 'etc', 'root'] as const;

const install = 'apt-get install busybox-static';

/**
 * Builds a busybox root filesystem: a copy of the distribution's static busybox, checked to be a static binary
 * for this machine, the directories a container expects, /etc/passwd, /etc/group and /etc/hostname, and one
 * symlink per applet. The only program it runs is the host's own busybox, once, to list its applets; nothing in
 * the new tree is executed.
 */
export function buildRootfs(target: string, options: RootfsOptions = {}): RootfsResult {
  const dir = resolve(target);
  const source = findBusybox(options);
  const elf = checkBusybox(source, options.arch ?? process.arch);
  prepareTarget(dir, source, options.force === true, options.env ?? process.env);

  const applets = (options.listApplets ?? listApplets)(source);
  // Nothing inside the tree is followed: a link planted at etc, bin or etc/hostname (with --force) is refused
  // rather than written through, every directory is made or found real, and every file is created new.
  try {
    for (const sub of rootfsDirectories) makeDirectories(dir, sub);
    chmodSync(join(dir, 'tmp'), 0o1777);
    chmodSync(join(dir, 'root'), 0o700);
    const binary = join(dir, 'bin/busybox');
    replace(binary);
    copyFileSync(source, binary, constants.COPYFILE_EXCL);
    chmodSync(binary, 0o755);
    writeFile(dir, 'etc/passwd', 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n');
    writeFile(dir, 'etc/group', 'root:x:0:\nnogroup:x:65534:\n');
    writeFile(dir, 'etc/hostname', 'isolab\n');
    let linked = 0;
    for (const applet of applets) {
      const link = join(dir, applet);
      if (link === binary) continue;
      makeDirectories(dir, dirname(applet));
      replace(link);
      // Relative, so the link means the rootfs's busybox wherever the tree is mounted, never the host's.
      symlinkSync(relative(dirname(link), binary), link);
      linked++;
    }
    return { dir, busybox: source, version: busyboxVersion(source), machine: machineName(elf.machine), applets: linked, directories: [...rootfsDirectories] };
  } catch (error) {
    if (error instanceof LinkRefused) {
      throw usageError(
        `${error.path} is a symbolic link inside the rootfs: isolab writes nothing through it (it could point anywhere on the machine)`,
        `Remove it (rm ${error.path}), or build into a new directory.`,
      );
    }
    const code = errnoCode(error);
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw blockedError(`cannot write into ${dir}: ${code}`, 'Build it in a directory you own, or as root: sudo isolab rootfs <dir>.');
    }
    throw error;
  }
}

function findBusybox(options: RootfsOptions): string {
  const found = options.busybox ?? findOnPath('busybox', options.env ?? process.env);
  if (!found || !existsSync(found)) {
    throw blockedError(
      options.busybox ? `${options.busybox} does not exist` : 'busybox is not installed (not found on PATH)',
      `Install the distribution's static busybox: ${install} (Debian and Ubuntu).`,
    );
  }
  return realpathSync(found);
}

/** Refuses a busybox that could not run in a bare rootfs: not ELF, linked against a libc, or for another machine. */
function checkBusybox(path: string, arch: NodeJS.Architecture) {
  let elf;
  try {
    elf = readElf(path);
  } catch (error) {
    throw blockedError(`cannot read ${path}: ${errnoCode(error) ?? String(error)}`, `Check the file, or reinstall it: ${install}.`);
  }
  if (!elf) throw blockedError(`${path} is not an ELF binary (a script or a wrapper?)`, `Install the real static busybox: ${install}.`);
  const expected = expectedElf(arch);
  if (!expected) throw blockedError(`isolab does not know the ELF machine of this architecture (${arch})`, 'Use an x86-64, arm64, arm, riscv64, ppc64, s390x or loong64 machine.');
  if (elf.machine !== expected.machine || elf.bits !== expected.bits || elf.littleEndian !== (endianness() === 'LE')) {
    throw blockedError(
      `${path} is a ${elf.bits}-bit ${machineName(elf.machine)} binary; this machine runs ${expected.name} (${arch}), so it would not start in a container here`,
      `Install the busybox-static package of this machine's own architecture: ${install}.`,
    );
  }
  if (!elf.static) {
    throw blockedError(
      `${path} is dynamically linked: it needs a loader and a libc that the rootfs does not have (the busybox package, not busybox-static)`,
      `Install the static build, which replaces it: ${install}.`,
    );
  }
  return elf;
}

function prepareTarget(dir: string, source: string, force: boolean, env: NodeJS.ProcessEnv): void {
  if (dir === '/' || realpathIfExists(dir) === '/') throw usageError('refusing to build a rootfs over /', 'Give a new directory, e.g. /tmp/isolab-lab/oci/bundle/rootfs.');
  // The documented place is under /tmp, where any user can make /tmp/isolab-lab first and point it elsewhere.
  const untrusted = untrustedOnTheWay(dir, trustedOwners(env));
  if (untrusted) {
    throw usageError(
      `${untrusted}: isolab will not build a rootfs in ${dir} (another user could send its writes anywhere on the machine)`,
      'Give a directory whose every part belongs to you or to root (remove what another user made on the way), e.g. /tmp/isolab-lab/oci/bundle/rootfs.',
    );
  }
  if (!existsSync(dir)) {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o755 });
    } catch (error) {
      const code = errnoCode(error);
      if (code === 'ENOTDIR' || code === 'EEXIST') throw usageError(`${dir} cannot be created: a part of the path is a file`, 'Give a directory path.');
      if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw blockedError(`cannot create ${dir}: ${code}`, 'Build it in a directory you own, or as root: sudo isolab rootfs <dir>.');
      throw error;
    }
    return;
  }
  if (!statSync(dir).isDirectory()) throw usageError(`${dir} is not a directory`, 'Give a new or empty directory.');
  // Replacing the host's own busybox (a rootfs at / under another name) would break the machine.
  const existing = join(dir, 'bin/busybox');
  if (existsSync(existing) && realpathSync(existing) === source) throw usageError(`${existing} is the busybox being copied`, 'Give a new directory for the rootfs.');
  const entries = readdirSync(dir);
  if (entries.length > 0 && !force) {
    throw usageError(
      `${dir} is not empty (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''})`,
      'Give a new or empty directory, or add --force (or -y) to build into it: files with the same names are replaced, others are kept.',
    );
  }
}

/**
 * `busybox --list-full`: one applet per line, with the directory busybox would install it in. Stays on
 * node:child_process, not execa (src/exec): buildRootfs is synchronous for its callers (a checker builds a rootfs
 * inside a check), and execa can only be loaded asynchronously without putting it on every command's start-up.
 * busybox lists and exits; it starts nothing that could hold the pipe, and the timeout bounds it.
 */
function listApplets(busybox: string): string[] {
  let output: string;
  try {
    output = execFileSync(busybox, ['--list-full'], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    throw blockedError(`${busybox} --list-full failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, `Reinstall it: ${install}.`);
  }
  return output
    .split('\n')
    .map((line) => line.trim().replace(/^\/+/, ''))
    .filter((line) => /^(usr\/)?s?bin\/[^/]+$/.test(line));
}

/** The version banner busybox carries as text ("BusyBox v1.35.0 (Debian …)"), read without running it. */
function busyboxVersion(path: string): string | null {
  const match = /BusyBox v[0-9][^\s\0]*(?: \([^)\0]{1,80}\))?/.exec(readFileSync(path).toString('latin1'));
  return match ? match[0] : null;
}

/** Who may own the way to the rootfs: root, the user running isolab, and the learner it runs for under sudo. */
function trustedOwners(env: NodeJS.ProcessEnv): number[] {
  const owners = [0, process.geteuid?.() ?? 0];
  if (env.SUDO_UID && Number.isInteger(Number(env.SUDO_UID))) owners.push(Number(env.SUDO_UID));
  return owners;
}

/** Writes one of the rootfs's own files: what is at the name is removed first, and the file is created new. */
function writeFile(dir: string, inner: string, content: string): void {
  makeDirectories(dir, dirname(inner));
  replace(join(dir, inner));
  writeNewFile(join(dir, inner), content);
}

/** Removes a file or link that is in the way; a directory in the way is the caller's to sort out. */
function replace(path: string): void {
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return;
  }
  if (stat.isDirectory()) throw usageError(`${path} is a directory, where the rootfs needs a file`, 'Remove it, or build into a new directory.');
  unlinkSync(path);
}

function realpathIfExists(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}
