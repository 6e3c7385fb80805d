// Every way this project prepares a machine installs the eBPF track's tools (CI, the DevContainer, a classroom
// VM), and CI mounts the kernel filesystems systemd would have mounted.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/cli.js';

const read = (path: string) => readFileSync(join(repoRoot, path), 'utf8');
// bpftool is installed apart on a classroom VM (Ubuntu 24.04 ships it in linux-tools), so it is checked apart.
const ebpfPackages = ['bpftrace', 'clang', 'llvm', 'libbpf-dev', 'gcc'];
/** The words of every `apt-get install` in a script, continuation lines included. */
const installed = (script: string) =>
  new Set([...script.replace(/\\\n/g, ' ').matchAll(/apt-get install([^\n&|]*)/g)].flatMap((match) => match[1]!.split(/\s+/)));
const ciPackages = (script: string) => new Set(/^packages=\(([^)]*)\)/m.exec(script)?.[1]?.split(/\s+/) ?? []);

describe('the eBPF packages', () => {
  it('.ci/run installs them and mounts tracefs, securityfs and bpffs where they are not mounted', () => {
    const ci = read('.ci/run');
    for (const name of [...ebpfPackages, 'bpftool']) expect(ciPackages(ci), name).toContain(name);
    for (const [type, point] of [['tracefs', '/sys/kernel/tracing'], ['securityfs', '/sys/kernel/security'], ['bpf', '/sys/fs/bpf']]) {
      expect(ci).toMatch(new RegExp(`^mount_kernel_fs ${type} \\S+ ${point}$`, 'm'));
    }
    expect(ci).toMatch(/mountpoint -q "\$3" \|\| mount -t "\$1" "\$2" "\$3"/);
  });

  it('the DevContainer installs them', () => {
    const packages = installed(read('devcontainer/Dockerfile'));
    for (const name of [...ebpfPackages, 'bpftool']) expect(packages, name).toContain(name);
  });

  it('a classroom VM installs them, bpftool from Debian or from Ubuntu 24.04\'s linux-tools', () => {
    const provision = read('vm/classroom/provision.sh');
    const packages = installed(provision);
    for (const name of [...ebpfPackages, 'bpftool', 'linux-tools-common', '"linux-tools-$(uname']) expect(packages, name).toContain(name);
  });
});
