import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fixtureSystem, packageRoot } from '../system/index.js';
import { distributionSuites, kvmTrialFile, kvmTrialKey, labVmRoute, readLabVm } from './lab-vm.js';

// Root reads every file, so a file readable only by root is told by these paths refusing R_OK, as they would a learner.
const refused = vi.hoisted(() => new Set<string>());
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const accessSync: typeof fs.accessSync = (path, mode) => {
    if (refused.has(String(path)) && mode !== undefined && (mode & fs.constants.R_OK) !== 0) throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
    fs.accessSync(path, mode);
  };
  return { ...fs, accessSync, default: { ...fs, accessSync } };
});

const dirs: string[] = [];
afterEach(() => {
  refused.clear();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const debianModules = [
  'kernel/drivers/virtio/virtio_ring.ko:',
  'kernel/drivers/virtio/virtio.ko: kernel/drivers/virtio/virtio_ring.ko',
  'kernel/drivers/virtio/virtio_pci.ko: kernel/drivers/virtio/virtio.ko kernel/drivers/virtio/virtio_ring.ko',
  'kernel/net/9p/9pnet.ko.xz:',
  'kernel/net/9p/9pnet_virtio.ko.xz: kernel/net/9p/9pnet.ko.xz',
  'kernel/fs/9p/9p.ko.xz: kernel/net/9p/9pnet.ko.xz',
  'kernel/fs/overlayfs/overlay.ko.xz:',
].join('\n');

const release = '6.8.0-45-generic';
const tools = { '/usr/bin/qemu-system-x86_64': '', '/bin/busybox': '' };
const hostKernel = {
  [`/boot/vmlinuz-${release}`]: 'image',
  [`/lib/modules/${release}/modules.dep`]: debianModules,
  [`/lib/modules/${release}/modules.builtin`]: 'kernel/fs/ext4/ext4.ko\n',
};
const lanesKernel = (cache: string, kernelRelease = '6.1.0-57-amd64', suite = 'bookworm') => ({
  [`${cache}/kernels/${suite}/release`]: `${kernelRelease}\n`,
  [`${cache}/kernels/${suite}/vmlinuz`]: 'image',
  [`${cache}/kernels/${suite}/root/lib/modules/${kernelRelease}/modules.dep`]: debianModules,
});

/** A machine of the given files (paths as the machine sees them), kernel release and environment. */
function machine(files: Record<string, string>, options: { release?: string; arch?: string | null; env?: NodeJS.ProcessEnv } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'isolab-lab-vm-'));
  dirs.push(dir);
  const all: Record<string, string> = { '/proc/sys/kernel/osrelease': `${options.release ?? release}\n`, ...files };
  if (options.arch !== null) all['/proc/sys/kernel/arch'] = `${options.arch ?? 'x86_64'}\n`;
  for (const [path, content] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
    if (path.startsWith('/usr/bin/') || path === '/bin/busybox') chmodSync(join(dir, path), 0o755);
  }
  return { dir, system: fixtureSystem(dir, { PATH: '/usr/bin:/bin', ...options.env }) };
}

describe('the kernel a lab VM boots', () => {
  it("is this machine's own when its image, its modules.dep and the guest's modules (loadable, compressed or built in) are there", () => {
    const { system } = machine({ ...tools, ...hostKernel });
    const facts = readLabVm(system);
    expect(facts.kernel).toEqual({
      source: 'host',
      choice: 'host',
      release,
      image: `/boot/vmlinuz-${release}`,
      modules: `/lib/modules/${release}`,
      kernelDir: null,
      why: expect.stringContaining(`this machine's own kernel (${release})`),
      bpfLsm: null,
      btf: null,
    });
    expect(facts.hostKernelUnusable).toBeNull();
    expect(facts.kernelToPrepare).toBe('host');
    expect(facts).toMatchObject({ supported: true, qemu: '/usr/bin/qemu-system-x86_64', busybox: '/bin/busybox', missing: [], canStart: true });
  });

  it('takes the image beside the modules when /boot has none (Debian sid, Fedora), and a module built in counts', () => {
    const { system } = machine({
      ...tools,
      [`/lib/modules/${release}/vmlinuz`]: 'image',
      [`/lib/modules/${release}/modules.dep`]: debianModules.replace(/^kernel\/drivers\/virtio\/virtio_pci\.ko:.*$/m, ''),
      [`/lib/modules/${release}/modules.builtin`]: 'kernel/drivers/virtio/virtio_pci.ko\n',
    });
    expect(readLabVm(system).kernel).toMatchObject({ source: 'host', image: `/lib/modules/${release}/vmlinuz` });
  });

  it('is not the host\'s when its image is readable only by root (Ubuntu\'s 0600 /boot/vmlinuz-*), and says so', () => {
    const { dir, system } = machine({ ...tools, ...hostKernel });
    chmodSync(join(dir, `boot/vmlinuz-${release}`), 0o600);
    refused.add(join(dir, `boot/vmlinuz-${release}`));
    const facts = readLabVm(system);
    expect(facts.hostKernelUnusable).toBe(`/boot/vmlinuz-${release} is readable only by root`);
    expect(facts.kernel).toBeNull();
  });

  it("is not the host's when it is not in /boot, with why for a microVM", () => {
    const { system } = machine(tools, { release: '6.18.44-fc-v1098' });
    expect(readLabVm(system).hostKernelUnusable).toBe("this machine's kernel 6.18.44-fc-v1098 is not in /boot (a microVM's kernel is given by its hypervisor)");
  });

  it("is not the host's without a readable modules.dep", () => {
    const { system } = machine({ ...tools, [`/boot/vmlinuz-${release}`]: 'image' });
    expect(readLabVm(system).hostKernelUnusable).toBe(`this machine's kernel ${release} has no readable /lib/modules/${release}/modules.dep`);
  });

  it("is not the host's when a module the guest needs is neither loadable nor built in", () => {
    const { system } = machine({ ...tools, ...hostKernel, [`/lib/modules/${release}/modules.dep`]: debianModules.replace(/^kernel\/fs\/9p\/9p\.ko.*$/m, '') });
    expect(readLabVm(system).hostKernelUnusable).toBe(`this machine's kernel ${release} lacks 9p (neither a module nor built in)`);
    // What isolab vm has prepare.sh lab make ready is then a Debian kernel, never the host's it refused.
    expect(readLabVm(system).kernelToPrepare).toBe('trixie');
  });

  it("prefers Debian 13's kernel when the lanes cache several (it boots sooner), then 12's, then unstable's", () => {
    const cache = { ...lanesKernel('/srv/lanes'), ...lanesKernel('/srv/lanes', '6.12.118+deb13-amd64', 'trixie'), ...lanesKernel('/srv/lanes', '7.2.13+deb14-amd64', 'sid') };
    const { system } = machine({ ...tools, ...cache }, { env: { ISOLAB_LANE_CACHE: '/srv/lanes' } });
    expect(readLabVm(system).kernel).toMatchObject({ kernelDir: '/srv/lanes/kernels/trixie', release: '6.12.118+deb13-amd64' });
    expect(readLabVm(system).kernel?.why).toMatch(/^Debian 13's linux-image-amd64 \(6\.12\.118\+deb13-amd64\)/);
    const { system: unstableOnly } = machine({ ...tools, ...lanesKernel('/srv/lanes', '7.2.13+deb14-amd64', 'sid') }, { env: { ISOLAB_LANE_CACHE: '/srv/lanes' } });
    expect(readLabVm(unstableOnly).kernel?.why).toMatch(/^Debian unstable's linux-image-amd64/);
  });

  // The guest mounts securityfs and passes no lsm=: the kernel's default CONFIG_LSM decides.
  it("tells from the guest kernel's config whether it runs the BPF LSM and has BTF (boot/ up to trixie, beside the modules in sid)", () => {
    const debian = 'CONFIG_BPF_LSM=y\nCONFIG_LSM="landlock,lockdown,yama,integrity,apparmor,bpf"\nCONFIG_DEBUG_INFO_BTF=y\n';
    const ubuntu = 'CONFIG_BPF_LSM=y\nCONFIG_LSM="landlock,lockdown,yama,integrity,apparmor"\n# CONFIG_DEBUG_INFO_BTF is not set\n';
    const inBoot = machine({ ...tools, ...lanesKernel('/srv/lanes'), '/srv/lanes/kernels/bookworm/root/boot/config-6.1.0-57-amd64': debian }, { env: { ISOLAB_LANE_CACHE: '/srv/lanes' } });
    expect(readLabVm(inBoot.system).kernel).toMatchObject({ bpfLsm: true, btf: true });
    const besideModules = machine({ ...tools, ...lanesKernel('/srv/lanes'), '/srv/lanes/kernels/bookworm/root/lib/modules/6.1.0-57-amd64/config': ubuntu }, { env: { ISOLAB_LANE_CACHE: '/srv/lanes' } });
    expect(readLabVm(besideModules.system).kernel).toMatchObject({ bpfLsm: false, btf: false });
    const host = machine({ ...tools, ...hostKernel, [`/boot/config-${release}`]: debian });
    expect(readLabVm(host.system).kernel).toMatchObject({ source: 'host', bpfLsm: true, btf: true });
  });

  it("is Debian's from the lanes' cache (ISOLAB_LANE_CACHE) when the host's cannot be used, with both reasons", () => {
    const { system } = machine({ ...tools, ...lanesKernel('/srv/lanes') }, { env: { ISOLAB_LANE_CACHE: '/srv/lanes' } });
    const facts = readLabVm(system);
    expect(facts.cacheDir).toBe('/srv/lanes');
    expect(facts.kernel).toEqual({
      source: 'distribution',
      choice: 'bookworm',
      release: '6.1.0-57-amd64',
      image: '/srv/lanes/kernels/bookworm/vmlinuz',
      modules: '/srv/lanes/kernels/bookworm/root/lib/modules/6.1.0-57-amd64',
      kernelDir: '/srv/lanes/kernels/bookworm',
      why: `Debian 12's linux-image-amd64 (6.1.0-57-amd64) from /srv/lanes: this machine's kernel ${release} is not in /boot`,
      bpfLsm: null,
      btf: null,
    });
    expect(facts.canStart).toBe(true);
    expect(facts.kernelToPrepare).toBe('bookworm');
  });

  it("prefers the host's own over a cached one", () => {
    const { system } = machine({ ...tools, ...hostKernel, ...lanesKernel('/var/cache/isolab-lanes') });
    expect(readLabVm(system).kernel?.source).toBe('host');
  });

  it('is none when neither is there: a kernel to boot is missing, with the cache it would go to', () => {
    const { system } = machine(tools);
    const facts = readLabVm(system);
    expect(facts.kernel).toBeNull();
    expect(facts.cacheDir).toBe('/var/cache/isolab-lanes');
    expect(facts.missing).toEqual([
      { what: 'a kernel to boot', remedy: "isolab vm asks before fetching Debian 13's kernel (about 110 MB into /var/cache/isolab-lanes); or run vm/lanes/prepare.sh lab trixie as root" },
    ]);
    expect(facts.canStart).toBe(false);
    expect(facts.kernelToPrepare).toBe('trixie');
  });

  // prepare.sh lab asked without a kernel (by hand, as vm/README.md shows) makes ready the one isolab vm would fetch.
  it("fetches the suite kernels.sh's lab default names, so the suite order is this module's alone", () => {
    const kernelsScript = readFileSync(join(packageRoot(), 'vm/lanes/kernels.sh'), 'utf8');
    expect(/^LANE_SUITE\[lab\]=(\S+)$/m.exec(kernelsScript)?.[1]).toBe(distributionSuites[0]![0]);
  });
});

describe('what else a lab VM needs', () => {
  it('lists qemu and a static busybox, each with the package to install', () => {
    const { system } = machine(hostKernel);
    const facts = readLabVm(system);
    expect(facts.missing).toEqual([
      { what: 'qemu-system-x86_64', remedy: 'apt-get install qemu-system-x86' },
      { what: 'a static busybox (/bin/busybox)', remedy: 'apt-get install busybox-static' },
    ]);
    expect(facts).toMatchObject({ qemu: null, busybox: null, canStart: false });
  });

  it('is an x86_64 host: on arm64 nothing else is listed, and no remedy names isolab vm', () => {
    const { system } = machine({ ...tools, ...hostKernel }, { arch: 'aarch64' });
    const facts = readLabVm(system);
    expect(facts).toMatchObject({ arch: 'aarch64', supported: false, canStart: false });
    expect(facts.missing).toEqual([{ what: 'an x86_64 host (this one is aarch64)', remedy: 'a lab VM needs an x86_64 host today; on arm64 see vm/README.md' }]);
    expect(labVmRoute(facts)).toBeNull();
  });

  it('reads the arch from process.arch on kernels without /proc/sys/kernel/arch (before 6.0)', () => {
    const { system } = machine(tools, { arch: null });
    expect(readLabVm(system).arch).toBe({ x64: 'x86_64', arm64: 'aarch64' }[process.arch as string] ?? process.arch);
  });
});

describe('acceleration', () => {
  const trial = (dir: string, cache: string, body: object | string) => {
    const file = join(dir, kvmTrialFile(cache));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, typeof body === 'string' ? body : JSON.stringify(body));
  };
  const withKvm = { ...tools, ...hostKernel, '/dev/kvm': '' };
  const key = kvmTrialKey({ qemu: '/usr/bin/qemu-system-x86_64', kernel: { image: `/boot/vmlinuz-${release}` } as never }, release);

  it('is TCG without /dev/kvm', () => {
    const facts = readLabVm(machine({ ...tools, ...hostKernel }).system);
    expect(facts.kvm).toEqual({ device: false, trial: null, detail: 'no /dev/kvm: TCG, slower' });
    expect(facts.acceleration).toBe('tcg');
  });

  it('is to be tried when /dev/kvm exists and no trial was made: the device alone never says KVM works', () => {
    const facts = readLabVm(machine(withKvm).system);
    expect(facts.kvm).toEqual({ device: true, trial: null, detail: '/dev/kvm present, untried: isolab vm tries it first' });
    expect(facts.acceleration).toBe('try-kvm');
  });

  it('is KVM when the trial for this machine kernel, qemu and guest kernel worked', () => {
    const { dir, system } = machine(withKvm);
    trial(dir, '/var/cache/isolab-lanes', { key, works: true, detail: 'booted in 0.8 s', at: '2026-12-03T10:00:00.000Z' });
    const facts = readLabVm(system);
    expect(facts.kvm).toEqual({ device: true, trial: 'works', detail: 'KVM works (tried 2026-12-03T10:00:00.000Z: booted in 0.8 s)' });
    expect(facts.acceleration).toBe('kvm');
  });

  it('is TCG when that trial failed, with what failed', () => {
    const { dir, system } = machine(withKvm);
    trial(dir, '/var/cache/isolab-lanes', { key, works: false, detail: 'no output for 20 s', at: '2026-12-03T10:00:00.000Z' });
    const facts = readLabVm(system);
    expect(facts.kvm).toMatchObject({ trial: 'fails', detail: 'KVM fails, so TCG, slower (tried 2026-12-03T10:00:00.000Z: no output for 20 s)' });
    expect(facts.acceleration).toBe('tcg');
  });

  it('tries again when the trial was for another kernel or qemu, or cannot be read', () => {
    const { dir, system } = machine(withKvm);
    trial(dir, '/var/cache/isolab-lanes', { key: `6.1.0-1-amd64|/usr/bin/qemu-system-x86_64|/boot/vmlinuz-${release}`, works: true, detail: '', at: 'x' });
    expect(readLabVm(system).acceleration).toBe('try-kvm');
    trial(dir, '/var/cache/isolab-lanes', '{"key": ');
    expect(readLabVm(system).acceleration).toBe('try-kvm');
  });

  it('keys a trial by the machine kernel, qemu and the guest kernel image', () => {
    expect(key).toBe(`${release}|/usr/bin/qemu-system-x86_64|/boot/vmlinuz-${release}`);
    expect(kvmTrialFile('/var/cache/isolab-lanes')).toBe('/var/cache/isolab-lanes/lab-vm/kvm-trial.json');
  });
});

describe('how a lock remedy names the lab VM', () => {
  it('as the command when it can start, or with the packages it waits for (a missing kernel it fetches itself)', () => {
    expect(labVmRoute(readLabVm(machine({ ...tools, ...hostKernel }).system))).toBe('run it in a lab VM (a cgroup v2 kernel under qemu, this machine untouched): isolab vm');
    expect(labVmRoute(readLabVm(machine({ '/bin/busybox': '' }).system))).toBe(
      'run it in a lab VM (a cgroup v2 kernel under qemu, this machine untouched): isolab vm, once qemu is installed (apt-get install qemu-system-x86)',
    );
    expect(labVmRoute(readLabVm(machine({}).system))).toContain('isolab vm, once qemu and busybox-static are installed (apt-get install qemu-system-x86 busybox-static)');
  });
});
