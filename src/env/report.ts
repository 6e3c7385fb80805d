import { liveSystem, type SystemRoot } from '../system/index.js';
import { readCgroupFacts, type CgroupFacts } from './cgroup-facts.js';
import { readContainer, type ContainerLayer } from './container.js';
import { bpffsMountPoint, readEbpf, type EbpfLayer, type BpfLsmReading } from './ebpf.js';
import { readFeatures, type KernelFeatures } from './features.js';
import { readKernel, type KernelLayer } from './kernel.js';
import { readLabVm, type LabVmFacts } from './lab-vm.js';
import { readPrivileges, type Privileges } from './privileges.js';
import { liveProbes, namespaceKinds, type NamespaceKind, type Probes } from './probes.js';
import { readProduct, type Product } from './product.js';
import { findTools } from './tools.js';
import { readVirtualization, type VmLayer } from './virtualization.js';

export type EnvironmentKind = 'bare-metal' | 'vm' | 'container' | 'devcontainer' | 'codespaces' | 'wsl2' | 'unknown';

export interface EnvReport {
  environment: {
    kind: EnvironmentKind;
    vm: string | null;
    container: ContainerLayer['kind'];
    product: Product;
    /** Why the headline says what it says, strongest signals first. */
    evidence: string[];
    /** Signals seen but not believed, with the reason. */
    disregarded: string[];
    /** One line for banners: "VM (firecracker) · cgroup hybrid · root". */
    summary: string;
  };
  kernel: KernelLayer;
  vm: VmLayer;
  container: ContainerLayer;
  cgroup: CgroupFacts;
  privileges: Privileges;
  namespaces: Partial<Record<NamespaceKind, boolean>>;
  tools: Record<string, string | null>;
  features: KernelFeatures;
  /** BPF LSM, bpffs, tracefs, the unprivileged-bpf sysctl and the kernel config's eBPF options. */
  ebpf: EbpfLayer;
  /** What a lab VM (`isolab vm`) would boot here and what it lacks. */
  labVm: LabVmFacts;
}

export interface ProbeOptions {
  /** Which namespace kinds to try creating: each costs a process. `doctor` tries all. */
  namespaces?: readonly NamespaceKind[];
  /** Ask sudo (without prompting) whether it would let us in: only `doctor` needs to know. */
  sudo?: boolean;
  /**
   * How far to look into the BPF LSM: the kernel config (/proc/config.gz loads node:zlib and is compressed by the
   * kernel as it is read) and bpftool's probe of the program types that load (~0.15 s). `always` for `doctor`,
   * which shows both; `when-needed` where a lesson requires bpf-lsm (each only where it can change the answer, see
   * `BpfLsmReading`); by default `never`.
   */
  bpfLsm?: BpfLsmReading;
}

/** Everything isolab knows about where it runs. Reads through `system`; acts only through `probes`. */
export async function probeEnvironment(
  system: SystemRoot = liveSystem(),
  options: ProbeOptions = { namespaces: namespaceKinds, sudo: true, bpfLsm: 'always' },
  probes: Probes = system.probes ?? liveProbes(system.env),
): Promise<EnvReport> {
  const kernel = readKernel(system);
  const vm = readVirtualization(system, kernel);
  const container = readContainer(system, kernel);
  const product = readProduct(system.env, kernel, container);
  const [cgroup, privileges, namespaces, ebpf] = await Promise.all([
    readCgroupFacts(system, probes),
    readPrivileges(system, probes, options.sudo ?? false),
    probes.namespaces(options.namespaces ?? []),
    readEbpf(system, kernel, { bpfLsm: options.bpfLsm ?? 'never', probes }),
  ]);
  const kind = headlineKind(vm, container, product.product, kernel);
  const evidence = [...product.evidence, ...container.evidence, ...vm.evidence];
  return {
    environment: {
      kind,
      vm: vm.hypervisor,
      container: container.kind,
      product: product.product,
      evidence,
      disregarded: container.disregarded,
      summary: summaryLine(kind, vm, container, cgroup, privileges),
    },
    kernel,
    vm,
    container,
    cgroup,
    privileges,
    namespaces,
    tools: findTools(system.env, system.root),
    features: readFeatures(system),
    ebpf,
    labVm: readLabVm(system, kernel),
  };
}

function headlineKind(vm: VmLayer, container: ContainerLayer, product: Product, kernel: KernelLayer): EnvironmentKind {
  if (product === 'codespaces') return 'codespaces';
  if (product === 'devcontainer') return 'devcontainer';
  if (container.kind !== 'none' && container.kind !== 'wsl') return 'container';
  if (kernel.flavour === 'wsl2' || kernel.flavour === 'wsl1') return 'wsl2';
  if (vm.detected === true) return 'vm';
  if (vm.detected === false) return 'bare-metal';
  return 'unknown';
}

const kindNames: Record<EnvironmentKind, string> = {
  'bare-metal': 'Bare metal',
  vm: 'VM',
  container: 'Container',
  devcontainer: 'DevContainer',
  codespaces: 'Codespace',
  wsl2: 'WSL2',
  unknown: 'Unknown machine',
};

function summaryLine(kind: EnvironmentKind, vm: VmLayer, container: ContainerLayer, cgroup: CgroupFacts, privileges: Privileges): string {
  const detail = kind === 'vm' ? vm.hypervisor : kind === 'container' || kind === 'devcontainer' || kind === 'codespaces' ? container.kind : null;
  const parts = [`${kindNames[kind]}${detail && detail !== 'none' ? ` (${detail})` : ''}`];
  parts.push(cgroup.mode === 'hybrid' ? 'cgroup hybrid (v1 limits)' : cgroup.mode === 'unknown' ? 'cgroup mode unknown' : `cgroup ${cgroup.mode}`);
  if (cgroup.mode === 'v2') parts.push(`delegation ${cgroup.delegation.status}`);
  parts.push(privileges.root ? 'root' : `uid ${privileges.uid}`);
  return parts.join(' · ');
}

/** The capability strings of CURRICULUM.md that this report vouches for. */
export function capabilitiesOf(report: EnvReport): string[] {
  const capabilities: string[] = [];
  if (report.privileges.root) capabilities.push('root');
  if (report.cgroup.mode === 'v2' && report.cgroup.controllers.available.length > 0) capabilities.push('cgroup2');
  // A v2 tree, controllers or not (hybrid's /sys/fs/cgroup/unified has none): BPF's cgroup ids are its cgroups'.
  if (report.cgroup.mode === 'v2' || report.cgroup.mode === 'hybrid') capabilities.push('cgroup2-tree');
  if (report.cgroup.delegation.status === 'ok') for (const controller of report.cgroup.delegation.controllers) capabilities.push(`delegation:${controller}`);
  for (const controller of report.cgroup.v1Controllers) capabilities.push(`cgroup1:${controller}`);
  for (const kind of namespaceKinds) if (report.namespaces[kind]) capabilities.push(`ns:${kind}`);
  for (const [tool, path] of Object.entries(report.tools)) if (path) capabilities.push(`tool:${tool}`);
  if (report.features.btf) capabilities.push('btf');
  // Listed active is not enough: a kernel may list bpf and refuse its programs (no BPF trampolines). Where the probe
  // cannot tell (no bpftool, not root), the list decides: every lesson that needs bpf-lsm also requires root and
  // tool:bpftool, whose own remedies say what to do, and once they hold the probe answers.
  if (report.ebpf.bpfLsm.active && report.ebpf.bpfLsm.programsLoad !== false) capabilities.push('bpf-lsm');
  // Tracepoints, not kprobes: see tracingOf in ebpf.ts for why no lesson asks for kprobe events.
  if (report.ebpf.tracing.tracepoints) capabilities.push('tracing');
  // Pins go under /sys/fs/bpf/isolab…: a bpf filesystem elsewhere (a runtime's own) does not hold them.
  if (report.ebpf.bpffs.includes(bpffsMountPoint)) capabilities.push('bpffs');
  if (report.ebpf.libbpf.headers && report.ebpf.libbpf.library) capabilities.push('libbpf');
  if (report.features.loopDevice && report.privileges.root) capabilities.push('loop-device');
  return capabilities;
}
