import { accessSync, constants, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathExists, readText, readTrimmed, type SystemRoot } from '../system/index.js';
import { readKernel, type KernelFlavour, type KernelLayer } from './kernel.js';
import { parseKernelConfig } from './kernel-config.js';
import { findOnPath } from './tools.js';

/** The kernel a lab VM (`isolab vm`) would boot here. */
export interface LabVmKernel {
  source: 'host' | 'distribution';
  /** How run.sh --kernel and prepare.sh lab name it: `host`, or the Debian suite whose cached kernel it is. */
  choice: string;
  release: string;
  /** The kernel image qemu boots, as a path on this machine. */
  image: string;
  /** Its /lib/modules/<release> tree, as a path on this machine. */
  modules: string;
  /** The lanes' kernel directory (vmlinuz, release, root/, initramfs.cpio.gz) for a distribution kernel; null for the host's. */
  kernelDir: string | null;
  /** One sentence for the learner: why this kernel. */
  why: string;
  /**
   * What its build configuration gives the guest, which mounts securityfs, tracefs and bpffs: the BPF LSM active
   * (built in, and in its default CONFIG_LSM: the guest passes no lsm=) and BTF. null when no config is readable.
   */
  bpfLsm: boolean | null;
  btf: boolean | null;
}

export interface LabVmFacts {
  arch: string;
  supported: boolean;
  qemu: string | null;
  busybox: string | null;
  kernel: LabVmKernel | null;
  /** What prepare.sh lab is to make ready: the chosen kernel's `choice`, else the suite fetched when there is none. */
  kernelToPrepare: string;
  /** This machine's kernel release (a KVM trial holds for it). */
  hostRelease: string;
  /** Why the machine's own kernel is not used (null when it is). */
  hostKernelUnusable: string | null;
  kvm: { device: boolean; trial: 'works' | 'fails' | null; detail: string };
  acceleration: 'kvm' | 'tcg' | 'try-kvm';
  cacheDir: string;
  /** What stops a lab VM from starting here, each with its remedy. */
  missing: Array<{ what: string; remedy: string }>;
  canStart: boolean;
}

/** What the runner writes to `kvmTrialFile` after trying KVM. */
export interface KvmTrial {
  key: string;
  works: boolean;
  detail: string;
  at: string;
}

const qemuBinary = 'qemu-system-x86_64';
const busyboxPath = '/bin/busybox';
const defaultCacheDir = '/var/cache/isolab-lanes';
// The lanes' kernels the lab VM falls back to (vm/lanes/kernels.sh: kernels/<suite>/), the first one cached.
// Debian 13's first: it has virtio built in, so its initramfs loads 5 modules instead of 11, and it boots in
// about 6.8 s under TCG here against 8.9 s for Debian 12's. isolab vm has prepare.sh lab fetch it when none is
// cached (kernels.sh's LANE_SUITE[lab], what prepare.sh lab makes ready when asked without a kernel, is held to
// the first of these by a test).
export const distributionSuites: ReadonlyArray<[suite: string, name: string]> = [
  ['trixie', "Debian 13's"],
  ['bookworm', "Debian 12's"],
  ['sid', "Debian unstable's"],
];
// What the initramfs loads to reach the 9p share and build the overlay root (vm/lanes/lib.sh INITRAMFS_MODULES).
const fetchedSuite = distributionSuites[0]!;

/** How the learner is told of a suite's kernel: `Debian 13's`. */
export function distributionName(suite: string): string {
  return distributionSuites.find(([known]) => known === suite)?.[1] ?? `Debian ${suite}'s`;
}
const guestModules = ['9p', '9pnet_virtio', 'virtio_pci', 'overlay'];
const description = 'a cgroup v2 kernel under qemu, this machine untouched';

const machineNames: Partial<Record<string, string>> = { x64: 'x86_64', arm64: 'aarch64', ia32: 'i686', arm: 'armv7l' };

export function kvmTrialFile(cacheDir: string): string {
  return join(cacheDir, 'lab-vm/kvm-trial.json');
}

/** A trial holds for one machine kernel, one qemu and one guest kernel: any of them changing means trying again. */
export function kvmTrialKey(facts: Pick<LabVmFacts, 'qemu' | 'kernel'>, hostRelease: string): string {
  return `${hostRelease}|${facts.qemu ?? ''}|${facts.kernel?.image ?? ''}`;
}

/**
 * What a lab VM would boot here and what it lacks. Reads a handful of files through `system`; boots nothing.
 * `kernel`: the machine's kernel layer, when the caller has read it already.
 */
export function readLabVm(system: SystemRoot, kernel: KernelLayer = readKernel(system)): LabVmFacts {
  const onMachine = (path: string) => join(system.root, path);
  // /proc/sys/kernel/arch exists from Linux 6.0; before it, Node's own build says the same machine.
  const arch = readTrimmed(join(system.proc, 'sys/kernel/arch')) ?? machineNames[process.arch] ?? process.arch;
  const supported = arch === 'x86_64';
  const cacheDir = system.env.ISOLAB_LANE_CACHE || defaultCacheDir;
  const qemu = findOnPath(qemuBinary, system.env, system.root);
  const busybox = pathExists(onMachine(busyboxPath)) ? busyboxPath : null;
  const hostRelease = kernel.release;

  const host = hostKernel(onMachine, hostRelease, kernel.flavour);
  const guestKernel = 'kernel' in host ? host.kernel : distributionKernel(onMachine, cacheDir, host.unusable);
  const hostKernelUnusable = 'unusable' in host ? host.unusable : null;

  const kvm = kvmFacts(onMachine, cacheDir, kvmTrialKey({ qemu, kernel: guestKernel }, hostRelease), qemu !== null && guestKernel !== null);
  const acceleration = kvm.trial === 'works' ? 'kvm' : kvm.device && kvm.trial === null ? 'try-kvm' : 'tcg';

  const missing: LabVmFacts['missing'] = [];
  if (!supported) {
    // What else it lacks is moot: qemu-system-x86_64 and Debian's amd64 kernel are not what this machine needs.
    missing.push({ what: `an x86_64 host (this one is ${arch})`, remedy: 'a lab VM needs an x86_64 host today; on arm64 see vm/README.md' });
  } else {
    if (!qemu) missing.push({ what: qemuBinary, remedy: 'apt-get install qemu-system-x86' });
    if (!busybox) missing.push({ what: `a static busybox (${busyboxPath})`, remedy: 'apt-get install busybox-static' });
    if (!guestKernel) {
      missing.push({ what: 'a kernel to boot', remedy: `isolab vm asks before fetching ${fetchedSuite[1]} kernel (about 110 MB into ${cacheDir}); or run vm/lanes/prepare.sh lab ${fetchedSuite[0]} as root` });
    }
  }
  const canStart = supported && qemu !== null && busybox !== null && guestKernel !== null && missing.length === 0;
  const kernelToPrepare = guestKernel?.choice ?? fetchedSuite[0];
  return { arch, supported, qemu, busybox, kernel: guestKernel, kernelToPrepare, hostRelease, hostKernelUnusable, kvm, acceleration, cacheDir, missing, canStart };
}

/**
 * How a lock remedy names the lab VM here: ready, or the packages it waits for; null where it cannot run at
 * all. A missing kernel does not hold it back: `isolab vm` asks before fetching one.
 */
export function labVmRoute(facts: LabVmFacts): string | null {
  if (!facts.supported) return null;
  const lacking = [facts.qemu ? null : ['qemu', 'qemu-system-x86'], facts.busybox ? null : ['busybox-static', 'busybox-static']].filter((entry) => entry !== null);
  if (lacking.length === 0) return `run it in a lab VM (${description}): isolab vm`;
  const names = lacking.map(([name]) => name).join(' and ');
  const packages = lacking.map(([, name]) => name).join(' ');
  return `run it in a lab VM (${description}): isolab vm, once ${names} ${lacking.length > 1 ? 'are' : 'is'} installed (apt-get install ${packages})`;
}

type HostKernel = { kernel: LabVmKernel } | { unusable: string };

// Why a machine's kernel is not a file here, where the machine's kind tells.
const notInBoot: Partial<Record<KernelFlavour, string>> = {
  firecracker: "a microVM's kernel is given by its hypervisor",
  wsl2: "WSL2's kernel is kept on the Windows side",
  linuxkit: "Docker Desktop's kernel belongs to its own VM",
  orbstack: "OrbStack's kernel belongs to its own VM",
};

function hostKernel(onMachine: (path: string) => string, release: string, flavour: KernelFlavour): HostKernel {
  if (release === 'unknown') return { unusable: "this machine's kernel release could not be read" };
  const candidates = [`/boot/vmlinuz-${release}`, `/lib/modules/${release}/vmlinuz`];
  const image = candidates.find((path) => readable(onMachine(path)));
  if (!image) {
    const present = candidates.find((path) => pathExists(onMachine(path)));
    if (present) return { unusable: `${present} is ${ownedByRootOnly(onMachine(present)) ? 'readable only by root' : 'not readable here'}` };
    const aside = notInBoot[flavour];
    return { unusable: `this machine's kernel ${release} is not in /boot${aside ? ` (${aside})` : ''}` };
  }
  const modules = `/lib/modules/${release}`;
  const dependencies = readText(onMachine(`${modules}/modules.dep`));
  if (dependencies === undefined) return { unusable: `this machine's kernel ${release} has no readable ${modules}/modules.dep` };
  const builtin = readText(onMachine(`${modules}/modules.builtin`)) ?? '';
  const lacking = guestModules.filter((name) => !hasModule(dependencies, builtin, name));
  if (lacking.length > 0) return { unusable: `this machine's kernel ${release} lacks ${lacking.join(', ')} (neither a module nor built in)` };
  return {
    kernel: {
      source: 'host',
      choice: 'host',
      release,
      image,
      modules,
      kernelDir: null,
      why: `this machine's own kernel (${release}), which boots cgroup v2 in the VM whatever layout this machine boots`,
      ...guestFeatures(onMachine, [`/boot/config-${release}`]),
    },
  };
}

function distributionKernel(onMachine: (path: string) => string, cacheDir: string, hostUnusable: string): LabVmKernel | null {
  for (const [suite, name] of distributionSuites) {
    const kernelDir = join(cacheDir, 'kernels', suite);
    const release = readTrimmed(onMachine(join(kernelDir, 'release')));
    if (!release) continue;
    const image = join(kernelDir, 'vmlinuz');
    const modules = join(kernelDir, 'root/lib/modules', release);
    if (!readable(onMachine(image)) || !readable(onMachine(join(modules, 'modules.dep')))) continue;
    const why = `${name} linux-image-amd64 (${release}) from ${cacheDir}: ${hostUnusable}`;
    // Debian puts the config in boot/ up to trixie, beside the modules in sid.
    const features = guestFeatures(onMachine, [join(kernelDir, 'root/boot', `config-${release}`), join(modules, 'config')]);
    return { source: 'distribution', choice: suite, release, image, modules, kernelDir, why, ...features };
  }
  return null;
}

/** The BPF LSM and BTF as the first readable of `configs` (plain text) says the guest kernel has them. */
function guestFeatures(onMachine: (path: string) => string, configs: readonly string[]): Pick<LabVmKernel, 'bpfLsm' | 'btf'> {
  for (const config of configs) {
    const text = readText(onMachine(config));
    if (text === undefined) continue;
    const values = parseKernelConfig(text, ['CONFIG_BPF_LSM', 'CONFIG_LSM', 'CONFIG_DEBUG_INFO_BTF']);
    const lsms = (values.get('CONFIG_LSM') ?? '').split(',');
    return { bpfLsm: values.get('CONFIG_BPF_LSM') === 'y' && lsms.includes('bpf'), btf: values.get('CONFIG_DEBUG_INFO_BTF') === 'y' };
  }
  return { bpfLsm: null, btf: null };
}

/** A module the kernel has, loadable (modules.dep, maybe compressed) or built in (modules.builtin), as vm/lanes/lib.sh's add_module finds it. */
function hasModule(dependencies: string, builtin: string, name: string): boolean {
  return new RegExp(`(^|/)${name}\\.ko(\\.[a-z]+)?:`, 'm').test(dependencies) || new RegExp(`(^|/)${name}\\.ko$`, 'm').test(builtin);
}

function kvmFacts(onMachine: (path: string) => string, cacheDir: string, key: string, triable: boolean): LabVmFacts['kvm'] {
  const device = pathExists(onMachine('/dev/kvm'));
  if (!device) return { device, trial: null, detail: 'no /dev/kvm: TCG, slower' };
  // Only a trial says KVM works: here /dev/kvm exists and qemu's KVM still hangs.
  const trial = triable ? readTrial(onMachine(kvmTrialFile(cacheDir)), key) : null;
  if (!trial) return { device, trial: null, detail: '/dev/kvm present, untried: isolab vm tries it first' };
  return kvmAfterTrial(trial);
}

/** What a KVM trial means for the lab VM, in the words doctor and isolab vm both say. */
export function kvmAfterTrial(trial: Omit<KvmTrial, 'key'>): LabVmFacts['kvm'] {
  // A trial is made only where /dev/kvm is.
  const device = true;
  return trial.works
    ? { device, trial: 'works', detail: `KVM works (tried ${trial.at}${trial.detail ? `: ${trial.detail}` : ''})` }
    : { device, trial: 'fails', detail: `KVM fails, so TCG, slower (tried ${trial.at}${trial.detail ? `: ${trial.detail}` : ''})` };
}

function readTrial(file: string, key: string): KvmTrial | null {
  const text = readText(file);
  if (text === undefined) return null;
  try {
    const trial = JSON.parse(text) as Partial<KvmTrial> | null;
    if (trial?.key !== key || typeof trial.works !== 'boolean') return null;
    return { key, works: trial.works, detail: typeof trial.detail === 'string' ? trial.detail : '', at: typeof trial.at === 'string' ? trial.at : 'earlier' };
  } catch {
    // A torn or foreign file is no trial: isolab vm tries again.
    return null;
  }
}

function readable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/** Ubuntu keeps /boot/vmlinuz-* at 0600 root: a learner's isolab cannot hand it to qemu. */
function ownedByRootOnly(path: string): boolean {
  try {
    const stat = statSync(path);
    return stat.uid === 0 && (stat.mode & 0o004) === 0;
  } catch {
    return false;
  }
}
