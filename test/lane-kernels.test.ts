// The kernel matrix's plumbing (vm/lanes/kernels.sh), without the network or a boot: which lanes exist, how a
// suite's linux-image-amd64 is followed to the packages that hold its kernel, and how those are unpacked into
// the cache. apt is replaced by shell functions that answer with what Debian's archive said (December 2026).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findOnPath } from '../src/env/index.js';
import { cliResult, repoRoot } from './helpers/cli.js';
import { runSync } from './helpers/run.js';

const lib = join(repoRoot, 'vm/lanes/lib.sh');
const scratch = mkdtempSync(join(tmpdir(), 'isolab-lane-kernels-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** One shell word, newlines included. */
const shq = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

function bash(script: string, env: Record<string, string> = {}) {
  return cliResult(runSync('bash', ['-c', `set -euo pipefail; . ${shq(lib)}; ${script}`], { env: { ISOLAB_LANE_CACHE: join(scratch, 'cache'), ...env } }));
}

/** apt_field answering from a table "package field" -> value, as apt-cache show would. */
function fakeArchive(fields: Record<string, string>): string {
  const cases = Object.entries(fields)
    .map(([key, value]) => `    ${shq(key)}) printf '%s\\n' ${shq(value)} ;;`)
    .join('\n');
  return `apt_field() {\n  case "$2 $3" in\n${cases}\n    *) ;;\n  esac\n}\n`;
}

const sid = {
  'linux-image-amd64 Depends': 'linux-base-amd64 (= 7.2.13-1), linux-image-7.2.13+deb14-amd64 (= 7.2.13-1)',
  'linux-image-7.2.13+deb14-amd64 Version': '7.2.13-1',
  'linux-image-7.2.13+deb14-amd64 Depends':
    'dracut | initramfs-tools (>= 0.120+deb8u2) | linux-initramfs-tool, linux-base-7.2.13+deb14-amd64 (= 7.2.13-1), linux-binary-7.2.13+deb14-amd64 (= 7.2.13-1), linux-modules-7.2.13+deb14-amd64 (= 7.2.13-1)',
  'linux-base-7.2.13+deb14-amd64 Version': '7.2.13-1',
  'linux-binary-7.2.13+deb14-amd64 Version': '7.2.13-1',
  'linux-binary-7.2.13+deb14-amd64 Depends': 'linux-base-7.2.13+deb14-amd64 (= 7.2.13-1)',
  'linux-modules-7.2.13+deb14-amd64 Version': '7.2.13-1',
  'linux-modules-7.2.13+deb14-amd64 Depends': 'kmod, linux-base-7.2.13+deb14-amd64 (= 7.2.13-1)',
};
const bookworm = {
  'linux-image-amd64 Depends': 'linux-image-6.1.0-57-amd64 (= 6.1.192-3)',
  'linux-image-6.1.0-57-amd64 Version': '6.1.192-3',
  'linux-image-6.1.0-57-amd64 Depends': 'kmod, linux-base (>= 4.3~), initramfs-tools (>= 0.120+deb8u2) | linux-initramfs-tool',
};

describe('the lanes of the kernel matrix', () => {
  it('check.sh --list names every lane with its machine and the suite of its kernel', () => {
    const run = runSync('bash', [join(repoRoot, 'vm/lanes/check.sh'), '--list'], { env: { ISOLAB_LANE_CACHE: join(scratch, 'empty') } });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe(['v2 v2 bookworm -', 'v2-trixie v2 trixie -', 'v2-sid v2 sid -', 'container container bookworm -', 'systemd systemd bookworm -', ''].join('\n'));
  });

  it('CI requires every lane check.sh lists', () => {
    const listed = runSync('bash', [join(repoRoot, 'vm/lanes/check.sh'), '--list']).stdout;
    const lanes = listed.trim().split('\n').map((line) => line.split(' ')[0]);
    const ci = readFileSync(join(repoRoot, '.ci/run'), 'utf8');
    const required = /^export ISOLAB_REQUIRE_LANES=(\S+)$/m.exec(ci)?.[1]?.split(',');
    expect(required?.sort()).toEqual(lanes.sort());
  });
});

describe('which packages make up a suite kernel', () => {
  it("sid: follows the tiny versioned image package to its -<release> dependencies, once each", () => {
    const run = bash(`${fakeArchive(sid)} kernel_packages sid`);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim().split('\n')).toEqual([
      'linux-image-7.2.13+deb14-amd64=7.2.13-1',
      'linux-base-7.2.13+deb14-amd64=7.2.13-1',
      'linux-binary-7.2.13+deb14-amd64=7.2.13-1',
      'linux-modules-7.2.13+deb14-amd64=7.2.13-1',
    ]);
  });

  it('bookworm: the versioned image package alone (linux-base, kmod and initramfs-tools are not the kernel)', () => {
    const run = bash(`${fakeArchive(bookworm)} kernel_packages bookworm`);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('linux-image-6.1.0-57-amd64=6.1.192-3\n');
  });

  it('fails, saying so, when linux-image-amd64 names no versioned image', () => {
    const run = bash(`${fakeArchive({ 'linux-image-amd64 Depends': 'linux-base-amd64 (= 1)' })} kernel_packages sid`);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('sid: linux-image-amd64 has no linux-image-<release> dependency');
  });

  it('fails when a dependency is not in the archive', () => {
    const { 'linux-modules-7.2.13+deb14-amd64 Version': _missing, ...partial } = sid;
    const run = bash(`${fakeArchive(partial)} kernel_packages sid`);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('sid: package linux-modules-7.2.13+deb14-amd64 not found');
  });
});

/** A .deb holding the given files (path -> content), built with dpkg-deb. */
function deb(name: string, files: Record<string, string>): string {
  const dir = join(scratch, 'debs', name);
  mkdirSync(join(dir, 'DEBIAN'), { recursive: true });
  writeFileSync(join(dir, 'DEBIAN/control'), `Package: ${name}\nVersion: 1\nArchitecture: amd64\nMaintainer: t <t@t.invalid>\nDescription: t\n`);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  const out = join(scratch, 'debs', `${name}_1_amd64.deb`);
  const build = runSync('dpkg-deb', ['--root-owner-group', '-b', dir, out]);
  if (build.status !== 0) throw new Error(build.stderr);
  return out;
}

/** apt-get replaced: `download` copies the prepared .debs into the current directory. */
function fakeDownload(debs: string[]): string {
  return `apt-get() { [[ " $* " == *" download "* ]] && cp ${debs.map(shq).join(' ')} .; }\n`;
}

const tools = findOnPath('dpkg-deb', process.env) && findOnPath('depmod', process.env);
describe.skipIf(!tools)('unpacking a kernel into the cache (needs dpkg-deb and depmod)', () => {
  it("sid's layout: the image beside the modules under usr/lib; one vmlinuz, lib/modules and a modules.dep", () => {
    const release = '7.2.13+deb14-amd64';
    const debs = [
      deb('linux-binary-x', { [`usr/lib/modules/${release}/vmlinuz`]: 'IMAGE-SID' }),
      deb('linux-base-x', { [`usr/lib/modules/${release}/modules.builtin`]: 'kernel/drivers/virtio/virtio_pci.ko\n', [`usr/lib/modules/${release}/modules.order`]: '' }),
    ];
    const packages = `linux-image-${release}=7.2.13-1\nlinux-binary-${release}=7.2.13-1`;
    const run = bash(`${fakeDownload(debs)} fetch_kernel sid ${shq(packages)}`);
    expect(run.code, run.stderr).toBe(0);
    const kdir = join(scratch, 'cache/kernels/sid');
    expect(readFileSync(join(kdir, 'vmlinuz'), 'utf8')).toBe('IMAGE-SID');
    expect(readFileSync(join(kdir, 'release'), 'utf8')).toBe(`${release}\n`);
    expect(readFileSync(join(kdir, 'packages'), 'utf8')).toBe(`${packages}\n`);
    expect(realpathSync(join(kdir, 'root/lib/modules', release))).toBe(join(kdir, 'root/usr/lib/modules', release));
    expect(existsSync(join(kdir, 'root/lib/modules', release, 'modules.dep'))).toBe(true);
    expect(bash(`kernel_current sid ${shq(packages)}`).code).toBe(0);
    // Another package set is another kernel: prepare fetches again.
    expect(bash(`kernel_current sid ${shq(`${packages}\nlinux-modules-${release}=7.2.13-1`)}`).code).toBe(1);
  });

  it("bookworm's layout: boot/vmlinuz-<release> and lib/modules; the .deb files are gone afterwards", () => {
    const release = '6.1.0-57-amd64';
    const debs = [deb('linux-image-y', { [`boot/vmlinuz-${release}`]: 'IMAGE-BOOKWORM', [`lib/modules/${release}/modules.order`]: '' })];
    const run = bash(`${fakeDownload(debs)} fetch_kernel bookworm ${shq(`linux-image-${release}=6.1.192-3`)}`);
    expect(run.code, run.stderr).toBe(0);
    const kdir = join(scratch, 'cache/kernels/bookworm');
    expect(readFileSync(join(kdir, 'vmlinuz'), 'utf8')).toBe('IMAGE-BOOKWORM');
    expect(existsSync(join(kdir, 'root/lib/modules', release, 'modules.dep'))).toBe(true);
    expect(runSync('find', [kdir, '-name', '*.deb']).stdout).toBe('');
  });

  it('packages without an image fail, and leave the cache as it was', () => {
    const debs = [deb('linux-modules-z', { 'usr/lib/modules/9.9.9-amd64/modules.order': '' })];
    const run = bash(`${fakeDownload(debs)} fetch_kernel trixie 'linux-image-9.9.9-amd64=9'`);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('the trixie kernel packages hold no vmlinuz');
    expect(existsSync(join(scratch, 'cache/kernels/trixie'))).toBe(false);
  });
});
