import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureNames, loadFixture } from '../../test/helpers/fixtures.js';
import { repoRoot } from '../../test/helpers/cli.js';
import { capabilitiesOf, labVmCapabilities, probeEnvironment, remedyFor, type EnvReport } from './index.js';
import { labVmRoute } from './lab-vm.js';

/** Requirements whose remedies differ by environment: every branch the fixture machines reach. */
const requirements = ['root', 'cgroup2', 'cgroup2-tree', 'delegation:memory', 'cgroup1:memory', 'ns:user', 'ns:net', 'tool:ip', 'loop-device', 'btf', 'bpf-lsm', 'tracing', 'bpffs', 'libbpf'];

async function reportsOfEveryFixture(): Promise<EnvReport[]> {
  const reports: EnvReport[] = [];
  for (const name of fixtureNames()) reports.push(await probeEnvironment(loadFixture(name).system));
  return reports;
}

async function remediesOnEveryFixture(): Promise<string[]> {
  return (await reportsOfEveryFixture()).flatMap((report) => requirements.map((key) => remedyFor(key, report)));
}

// The locks a lab VM lifts: it boots its own cgroup v2 kernel with every controller, as root.
const liftedByLabVm = ['cgroup2', 'delegation:memory', 'delegation:cpu'];

describe('remedies for locked lessons', () => {
  it('point learners to the classroom VM guide, a file in this repository', async () => {
    const remedies = await remediesOnEveryFixture();
    const vm = remedies.filter((remedy) => /classroom VM/.test(remedy));
    expect(vm.length).toBeGreaterThan(0);
    for (const remedy of vm) expect(remedy).toContain('vm/classroom/README.md');
    // Every guide a remedy names exists; vm/README.md is the test lanes' page, not a learner's.
    const guides = new Set(remedies.flatMap((remedy) => remedy.match(/[\w./-]+\.md\b/g) ?? []));
    expect([...guides]).toEqual(['vm/classroom/README.md']);
    for (const guide of guides) expect(existsSync(join(repoRoot, guide)), guide).toBe(true);
  });

  it('name isolab vm first for every cgroup v2 and delegation lock, before the manual routes', async () => {
    const reports = (await reportsOfEveryFixture()).filter((report) => report.labVm.supported);
    expect(reports.length).toBeGreaterThan(10);
    for (const report of reports) {
      for (const key of liftedByLabVm) {
        const remedy = remedyFor(key, report);
        expect(remedy, `${report.environment.summary}: ${key}`).toMatch(/: run it in a lab VM \(a cgroup v2 kernel under qemu, this machine untouched\): isolab vm(, once [^;]+ installed \(apt-get install [^)]+\))?(;|$)/);
        // The routes this machine had before stay, after it.
        const rest = remedy.slice(remedy.indexOf('isolab vm'));
        for (const route of ['classroom VM', 'doctor --fix', 'Delegate=', 'privileged', 'remount', 'wslconfig', 'unified_cgroup_hierarchy']) {
          if (remedy.includes(route)) expect(rest, `${key}: ${route}`).toContain(route);
        }
      }
    }
  });

  it('say what the lab VM waits for where it cannot start yet, and do not name it where it cannot run (arm64)', async () => {
    const reports = await reportsOfEveryFixture();
    const waiting = reports.find((report) => report.labVm.supported && !report.labVm.qemu)!;
    expect(remedyFor('cgroup2', waiting)).toContain('isolab vm, once qemu and busybox-static are installed (apt-get install qemu-system-x86 busybox-static)');
    const arm = reports.filter((report) => !report.labVm.supported);
    expect(arm.length).toBeGreaterThan(0);
    for (const report of arm) for (const key of liftedByLabVm) expect(remedyFor(key, report)).not.toMatch(/isolab vm|lab VM/);
  });

  it('leave the locks a lab VM does not lift as they were: root, cgroup v1, namespaces, tools', async () => {
    for (const report of await reportsOfEveryFixture()) {
      for (const key of ['root', 'cgroup1:memory', 'ns:user', 'ns:net', 'tool:ip', 'loop-device', 'btf']) expect(remedyFor(key, report)).not.toMatch(/isolab vm|lab VM/);
    }
  });
});


describe('remedies for the eBPF requirements', () => {
  const reportOf = async (name: string) => probeEnvironment(loadFixture(name).system);

  it('add bpf to the lsm= the kernel was asked for, on the boot loader this machine has', async () => {
    const ubuntu = await reportOf('ubuntu-bpf-lsm-inactive');
    expect(remedyFor('bpf-lsm', ubuntu)).toBe(
      'needs the BPF LSM active, and it is not in the active LSM list (lockdown,capability,landlock,yama,apparmor): add lsm=landlock,lockdown,yama,integrity,apparmor,bpf to GRUB_CMDLINE_LINUX in /etc/default/grub (replacing any lsm= there), run update-grub and reboot',
    );
    // Without a readable config the active list is all there is: say what it may lack, and that the build decides.
    const noConfig = remedyFor('bpf-lsm', await reportOf('ubuntu-kvm-systemd'));
    expect(noConfig).toContain('add lsm=lockdown,landlock,yama,apparmor,bpf to GRUB_CMDLINE_LINUX');
    expect(noConfig).toContain('such as integrity) (this works if the kernel is built with CONFIG_BPF_LSM=y');
    expect(remedyFor('bpf-lsm', await reportOf('wsl2-bpf-lsm-not-listed'))).toContain(
      'in %UserProfile%\\.wslconfig add "kernelCommandLine = lsm=landlock,yama,safesetid,selinux,bpf" under [wsl2], then run "wsl --shutdown"',
    );
  });

  it('send a kernel built without the BPF LSM to one built with it, and WSL2 to its own kernel build', async () => {
    const ubuntu = await reportOf('ubuntu-bpf-lsm-inactive');
    const without = { ...ubuntu, ebpf: { ...ubuntu.ebpf, bpfLsm: { ...ubuntu.ebpf.bpfLsm, compiled: false } } };
    expect(remedyFor('bpf-lsm', without)).toMatch(/^needs the BPF LSM, and this kernel is built without it \(no CONFIG_BPF_LSM=y\): boot a kernel built with CONFIG_BPF_LSM=y \(Debian 12's and 13's are/);
    const wsl = await reportOf('wsl2-bpf-lsm-not-listed');
    const wslWithout = { ...wsl, ebpf: { ...wsl.ebpf, bpfLsm: { ...wsl.ebpf.bpfLsm, compiled: false } } };
    expect(remedyFor('bpf-lsm', wslWithout)).toContain("build a WSL2 kernel with CONFIG_BPF_LSM=y and bpf in CONFIG_LSM (from microsoft/WSL2-Linux-Kernel's config-wsl) and name it in %UserProfile%\\.wslconfig (kernel= under [wsl2])");
  });

  it('mount securityfs where nothing tells whether the BPF LSM is active, privileged in a container', async () => {
    const codespace = remedyFor('bpf-lsm', await reportOf('codespaces'));
    expect(codespace).toMatch(/^needs the BPF LSM active, and isolab cannot tell whether it is \(securityfs is not mounted/);
    expect(codespace).toContain('mount -t securityfs securityfs /sys/kernel/security (a container may mount it only when privileged), then run isolab doctor again');
  });

  it('mount tracefs and bpffs, as root; and send an ordinary user to root for a tracefs only root reads', async () => {
    const firecracker = await reportOf('firecracker-stale-dockerenv');
    expect(remedyFor('tracing', firecracker)).toBe('needs tracefs for tracepoints, and it is not mounted: mount -t tracefs tracefs /sys/kernel/tracing');
    expect(remedyFor('bpffs', firecracker)).toBe('needs the bpf filesystem at /sys/fs/bpf (where pinned programs and maps live), and it is not mounted: mount -t bpf bpf /sys/fs/bpf');
    expect(remedyFor('tracing', await reportOf('bare-metal'))).toBe('needs root to read tracefs (/sys/kernel/tracing): open a root shell with sudo -s and run isolab there');
    expect(remedyFor('tracing', await reportOf('wsl2-hybrid'))).toMatch(/^needs tracefs for tracepoints, and it is not mounted: as root \(open a root shell/);
  });

  it('find the cgroup v2 tree of a hybrid machine, and on v1 alone mount one beside the v1 hierarchies (or the lab VM)', async () => {
    const capabilities = async (name: string) => capabilitiesOf(await reportOf(name));
    expect(await capabilities('wsl2-hybrid')).toContain('cgroup2-tree');
    expect(await capabilities('docker-v2-cgroupns')).toContain('cgroup2-tree');
    const v1 = await reportOf('docker-v1-host');
    expect(capabilitiesOf(v1)).not.toContain('cgroup2-tree');
    expect(remedyFor('cgroup2-tree', v1)).toMatch(/^needs a cgroup v2 tree \(the cgroups BPF programs see by id\), and this machine mounts only cgroup v1: .*mount -t cgroup2 cgroup2 \/sys\/fs\/cgroup\/unified/);
    for (const report of await reportsOfEveryFixture()) expect(labVmCapabilities(report).has('cgroup2-tree')).toBe(true);
  });

  it("name the Debian package of each eBPF tool", async () => {
    const report = await reportOf('bare-metal');
    for (const [tool, pkg] of [['bpftrace', 'bpftrace'], ['bpftool', 'bpftool'], ['clang', 'clang'], ['llc', 'llvm'], ['cc', 'gcc'], ['gcc', 'gcc']]) {
      expect(remedyFor(`tool:${tool}`, report)).toBe(`needs ${tool} on PATH: install it (Debian/Ubuntu: apt-get install ${pkg})`);
    }
  });

  it("install libbpf-dev where a C loader's headers or library are missing, naming which", async () => {
    expect(remedyFor('libbpf', await reportOf('bare-metal'))).toBe(
      "needs libbpf's development files (missing: bpf/libbpf.h and bpf/bpf_helpers.h in /usr/include; libbpf.so or libbpf.a to link), which a C loader is built against with -lbpf: install them (Debian/Ubuntu: apt-get install libbpf-dev)",
    );
  });

  it('tell a kernel that lists bpf but refuses its programs to boot another, the lab VM first (this project\'s CI machine)', async () => {
    const report = await reportOf('firecracker-bpf-lsm-programs-refused');
    expect(remedyFor('bpf-lsm', report)).toBe(
      `needs BPF LSM programs to load, and this kernel refuses them although bpf is in its active LSM list (bpftool -j feature probe kernel: have_lsm_prog_type false; tracing (fentry/fexit) programs, which attach through BPF trampolines as LSM programs do, are refused too): ${labVmRoute(report.labVm)}; or this microVM's kernel is given by its host: boot it with a kernel that loads BPF LSM programs (Debian 12's and 13's do), or do the lessons in a classroom VM (vm/classroom/README.md shows how to make one)`,
    );
    // The lab VM booting this same kernel would refuse them too.
    const ownKernel = { ...report, labVm: { ...report.labVm, kernel: { ...report.labVm.kernel!, source: 'host' as const } } };
    expect(labVmCapabilities(ownKernel).has('bpf-lsm')).toBe(false);
    expect(remedyFor('bpf-lsm', ownKernel)).not.toContain('isolab vm');
    expect(labVmCapabilities(report).has('bpf-lsm')).toBe(true);
  });

  // The guest mounts tracefs and bpffs; the BPF LSM and BTF are its kernel's, as its config says.
  it('offer the lab VM first for the BPF LSM only where its kernel runs it; the VM offers tracing and bpffs, BTF as its kernel has it', async () => {
    for (const report of await reportsOfEveryFixture()) {
      const vm = labVmCapabilities(report);
      expect(vm.has('tracing')).toBe(true);
      expect(vm.has('bpffs')).toBe(true);
      expect(vm.has('bpf-lsm')).toBe(report.labVm.kernel?.bpfLsm === true);
      expect(vm.has('btf')).toBe(report.labVm.kernel?.btf === true);
      const route = labVmRoute(report.labVm);
      const remedy = remedyFor('bpf-lsm', report);
      expect(route !== null && remedy.includes(`: ${route}; or `), remedy).toBe(report.labVm.kernel?.bpfLsm === true && route !== null);
      for (const key of ['tracing', 'bpffs']) expect(remedyFor(key, report)).not.toMatch(/isolab vm|lab VM/);
    }
  });
});
