import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { errnoCode } from '../errors/index.js';
import { pathExists, readMountInfo, readTrimmed, type BpfProgramTypes, type MountEntry, type Probes, type SystemRoot } from '../system/index.js';
import { readKernelConfig, type KernelConfig } from './kernel-config.js';
import type { KernelLayer } from './kernel.js';
import { findOnPath } from './tools.js';

/** The kernel config options an eBPF lesson depends on, reported when a config is readable. */
export const ebpfConfigOptions = [
  'CONFIG_BPF_SYSCALL',
  'CONFIG_BPF_JIT',
  'CONFIG_BPF_LSM',
  'CONFIG_LSM',
  'CONFIG_DEBUG_INFO_BTF',
  'CONFIG_BPF_EVENTS',
  'CONFIG_KPROBE_EVENTS',
  'CONFIG_FTRACE_SYSCALLS',
  'CONFIG_CGROUP_BPF',
  'CONFIG_BPF_UNPRIV_DEFAULT_OFF',
] as const;

/** Where the LSM list came from: only securityfs gives the active one; the others say what the kernel was asked. */
export type LsmSource = 'securityfs' | 'cmdline' | 'config' | 'none';

export interface BpfLsm {
  /** Built in (CONFIG_BPF_LSM=y, or bpf in the active list); null when nothing readable says. */
  compiled: boolean | null;
  /** bpf among the LSMs the kernel runs; null when it cannot be told. */
  active: boolean | null;
  /** The LSM list as `source` gives it: the active one from securityfs, the requested one from lsm= or CONFIG_LSM. */
  list: string[] | null;
  source: LsmSource;
  why: string;
  /**
   * Where bpf is not active: the lsm= that adds it to what the kernel was asked for (lsm= given, else CONFIG_LSM),
   * else to the active list; null when bpf is active or nothing tells the list.
   */
  lsmWithBpf: { value: string; from: 'cmdline' | 'config' | 'securityfs' } | null;
  /**
   * Whether a BPF LSM program loads (bpftool's feature probe of the lsm program type): a kernel may list bpf as
   * active and still refuse its programs. Null when not probed or the probe could not tell.
   */
  programsLoad: boolean | null;
  /** How programsLoad was learned, or why it is not known. */
  programsWhy: string;
}

export interface Tracing {
  /** Where tracefs is mounted, or null. */
  tracefs: string | null;
  /** Its events/ directory has tracepoints; null when tracefs is not mounted or not readable by us. */
  tracepoints: boolean | null;
  /** Its kprobe_events file exists (else CONFIG_KPROBE_EVENTS says); null when nothing readable says. */
  kprobeEvents: boolean | null;
  why: string;
}

export interface Libbpf {
  /** The include directory holding bpf/libbpf.h and bpf/bpf_helpers.h, or null. */
  headers: string | null;
  /** A libbpf.so (the development link) or libbpf.a a compiler links with -lbpf, or null. */
  library: string | null;
}

export interface EbpfLayer {
  bpfLsm: BpfLsm;
  /** Where securityfs is mounted, or null. */
  securityfs: string | null;
  /** Where bpf filesystems are mounted (pins live there): /sys/fs/bpf normally. */
  bpffs: string[];
  tracing: Tracing;
  /** Whether programs of the types in `reportedProgramTypes` load (bpftool's feature probe); null when not probed or unknown. */
  programTypes: Record<string, boolean> | null;
  /** The libbpf development files a C loader builds against; both null-free where `libbpf` holds. */
  libbpf: Libbpf;
  /** kernel.unprivileged_bpf_disabled: 0 allowed, 1 disabled until reboot, 2 disabled (root may set 0); null if unreadable. */
  unprivilegedBpfDisabled: number | null;
  /**
   * The options of `ebpfConfigOptions` (null: not set) and where they were read. Null when no config is readable,
   * or when it was not read: doctor always reads it, other commands only where a lesson's bpf-lsm needs it.
   */
  config: { source: string; options: Record<string, string | null> } | null;
}

/**
 * How far to look into the BPF LSM. `always` (doctor): the kernel config and bpftool's probe of which program types
 * load. `when-needed` (a lesson requires bpf-lsm): the config only where securityfs does not show bpf active, the
 * probe only where bpf is active (elsewhere its answer changes nothing). `config` (a lesson that asks what the config
 * says): the config, no probe. `never`: neither.
 */
export type BpfLsmReading = 'always' | 'when-needed' | 'config' | 'never';

/** The program types doctor reports: the track's tracing, and the trampoline-attached kinds the BPF LSM needs. */
export const reportedProgramTypes = ['tracepoint', 'raw_tracepoint', 'kprobe', 'tracing', 'lsm'] as const;

export const securityfsMountPoint = '/sys/kernel/security';
export const tracefsMountPoint = '/sys/kernel/tracing';
export const bpffsMountPoint = '/sys/fs/bpf';

/**
 * The eBPF facts, read through `system`: nothing is mounted, and the one bpf() use is bpftool's feature probe through
 * `probes` (loads and unloads trivial programs), so where securityfs or tracefs is not mounted the report says so and
 * names the next best source. `bpfLsm`: how far to look (see `BpfLsmReading`).
 */
export async function readEbpf(system: SystemRoot, kernel: KernelLayer, options: { bpfLsm: BpfLsmReading; probes: Probes }): Promise<EbpfLayer> {
  const { bpfLsm: reading, probes } = options;
  const mounts = readMountInfo(system.proc);
  // securityfs is mounted at one place in practice; the file answers even where mountinfo could not be read.
  const activeList = readTrimmed(join(system.sys, 'kernel/security/lsm'))?.split(',').filter(Boolean);
  const securityfs = mountOf(mounts, 'securityfs', securityfsMountPoint) ?? (activeList ? securityfsMountPoint : null);
  const requested = requestedLsms(readTrimmed(join(system.proc, 'cmdline')) ?? '');
  // Where securityfs shows bpf active, nothing the gate asks depends on the config.
  const readConfig = reading === 'always' || reading === 'config' || (reading === 'when-needed' && !activeList?.includes('bpf'));
  const config = readConfig ? await readKernelConfig(system, kernel.release, ebpfConfigOptions) : null;
  const tracefs = mountOf(mounts, 'tracefs', tracefsMountPoint);
  const lsm = bpfLsmOf(activeList, securityfs, requested, config);
  const probe = reading === 'always' || (reading === 'when-needed' && lsm.active === true);
  const types = probe ? await probes.bpfProgramTypes({ fresh: reading === 'always' }) : null;
  return {
    bpfLsm: { ...lsm, ...lsmPrograms(probe, types, lsm.active, system, probes.euid) },
    securityfs,
    bpffs: [...new Set(mounts.filter((mount) => mount.fsType === 'bpf').map((mount) => mount.mountPoint))],
    tracing: tracingOf(system, tracefs, mounts, config, probes.euid),
    programTypes: types && Object.fromEntries(reportedProgramTypes.filter((type) => type in types).map((type) => [type, types[type]!])),
    libbpf: readLibbpf(system),
    unprivilegedBpfDisabled: numberOrNull(readTrimmed(join(system.proc, 'sys/kernel/unprivileged_bpf_disabled'))),
    config: config && {
      source: config.source,
      options: Object.fromEntries(ebpfConfigOptions.map((name) => [name, config.values.get(name) ?? null])),
    },
  };
}

const probeCommand = 'bpftool -j feature probe kernel';

/** Whether LSM programs load, and how that is known: bpftool's answer, or why there is none. */
function lsmPrograms(probed: boolean, types: BpfProgramTypes | null, active: boolean | null, system: SystemRoot, euid: number): Pick<BpfLsm, 'programsLoad' | 'programsWhy'> {
  if (!probed) return { programsLoad: null, programsWhy: active === true ? 'not probed: no lesson that needs the BPF LSM is gated here' : 'not probed: the BPF LSM is not active' };
  if (types === null || types.lsm === undefined) {
    const cause =
      euid !== 0
        ? 'only root can load the trial programs'
        : !findOnPath('bpftool', system.env, system.root)
          ? 'bpftool is not on PATH'
          : `${probeCommand} failed or named no lsm program type`;
    return { programsLoad: null, programsWhy: `unknown: ${cause}` };
  }
  if (types.lsm) return { programsLoad: true, programsWhy: `${probeCommand}: lsm programs load${active === true ? '' : ' (attaching one still needs bpf in the active LSM list)'}` };
  // Both kinds attach through a BPF trampoline: said where both are refused, since the cause is then what they share.
  const tracing = types.tracing === false ? '; tracing (fentry/fexit) programs, which attach through BPF trampolines as LSM programs do, are refused too' : '';
  return {
    programsLoad: false,
    programsWhy: `${probeCommand}: lsm programs do not load (have_lsm_prog_type false)${active === true ? ', although bpf is in the active LSM list' : ''}${tracing}`,
  };
}

/** The usual mount point if it is one of them, else the first; null when none is mounted. */
function mountOf(mounts: MountEntry[], fsType: string, usual: string): string | null {
  const points = mounts.filter((mount) => mount.fsType === fsType).map((mount) => mount.mountPoint);
  return points.includes(usual) ? usual : (points[0] ?? null);
}

/**
 * The last `lsm=` before `--` (what follows goes to init), or null. `security=` is left aside: it only chooses
 * among the exclusive LSMs and never turns bpf on or off, and lsm= overrides it.
 */
export function requestedLsms(cmdline: string): string[] | null {
  const words = cmdline.split(/\s+/);
  const end = words.indexOf('--');
  const lsm = (end === -1 ? words : words.slice(0, end)).filter((word) => word.startsWith('lsm=')).at(-1);
  return lsm === undefined ? null : lsm.slice('lsm='.length).split(',').filter(Boolean);
}

/** What the LSM list and the config say, before any probe. */
type ListedBpfLsm = Omit<BpfLsm, 'programsLoad' | 'programsWhy'>;

/**
 * The active list is the only proof. Without securityfs the kernel ran what lsm= asked for, or without lsm= its
 * CONFIG_LSM default, each minus what is not built in: bpf runs when it is asked for and CONFIG_BPF_LSM=y.
 */
function bpfLsmOf(active: string[] | undefined, securityfs: string | null, requested: string[] | null, config: KernelConfig | null): ListedBpfLsm {
  const facts = bpfLsmFacts(active, securityfs, requested, config);
  return { ...facts, lsmWithBpf: facts.active === true ? null : lsmWithBpf(active, requested, config) };
}

/**
 * The list the kernel was asked for comes first: the active one omits some (integrity before 6.9 has no entry)
 * that an lsm= without them would turn off. `capability` is always on and not named.
 */
function lsmWithBpf(active: string[] | undefined, requested: string[] | null, config: KernelConfig | null): BpfLsm['lsmWithBpf'] {
  const defaults = config?.values.get('CONFIG_LSM')?.split(',').filter(Boolean);
  const [from, list] = requested ? (['cmdline', requested] as const) : defaults ? (['config', defaults] as const) : active ? (['securityfs', active] as const) : [null, null];
  if (!from) return null;
  return { value: [...list.filter((name) => name !== 'bpf' && name !== 'capability'), 'bpf'].join(','), from };
}

function bpfLsmFacts(active: string[] | undefined, securityfs: string | null, requested: string[] | null, config: KernelConfig | null): Omit<ListedBpfLsm, 'lsmWithBpf'> {
  const compiledByConfig = config ? config.values.get('CONFIG_BPF_LSM') === 'y' : null;
  const built = compiledByConfig === null ? '' : compiledByConfig ? `, and ${config!.source} has CONFIG_BPF_LSM=y` : `, and this kernel is built without it (${config!.source} has no CONFIG_BPF_LSM=y)`;
  if (active) {
    const on = active.includes('bpf');
    return {
      compiled: on || compiledByConfig,
      active: on,
      list: active,
      source: 'securityfs',
      why: on ? `bpf is in the active LSM list (${securityfsMountPoint}/lsm)` : `bpf is not in the active LSM list (${securityfsMountPoint}/lsm)${built}`,
    };
  }
  const unread = securityfs ? `${securityfs}/lsm could not be read` : 'securityfs is not mounted, so the active LSM list cannot be read';
  if (requested) {
    const asked = requested.includes('bpf');
    return {
      compiled: compiledByConfig,
      active: asked ? compiledByConfig : false,
      list: requested,
      source: 'cmdline',
      why: `${unread}; the kernel command line asks for lsm=${requested.join(',')}, ${asked ? 'with bpf' : 'without bpf'}${asked && compiledByConfig === null ? ', and no readable kernel config tells whether CONFIG_BPF_LSM is built in' : built}`,
    };
  }
  if (config) {
    const defaults = config.values.get('CONFIG_LSM')?.split(',').filter(Boolean) ?? null;
    const asked = defaults?.includes('bpf') ?? false;
    return {
      compiled: compiledByConfig,
      active: asked && compiledByConfig === true,
      list: defaults,
      source: 'config',
      why: `${unread}; there is no lsm= on the kernel command line, so the default applies: CONFIG_LSM in ${config.source} ${
        defaults ? (asked ? 'lists bpf' : 'leaves bpf out') : 'is not set'
      }${built}`,
    };
  }
  return {
    compiled: null,
    active: null,
    list: null,
    source: 'none',
    why: `${unread}; there is no lsm= on the kernel command line and no readable kernel config (/proc/config.gz or /boot/config-<release>)`,
  };
}

/**
 * tracefs as it is mounted. debugfs's tracing/ directory would mount tracefs on first look (an automount), which
 * is acting, so it is named but not looked into. Kprobe events are reported but asked of no lesson: the track's
 * tracing (exec, syscalls, OOM kills, cgroup mkdir and attach) uses tracepoints and its LSM programs attach through
 * BTF, and a kernel without CONFIG_KPROBES (this project's CI machine) would otherwise lock them for nothing.
 */
function tracingOf(system: SystemRoot, tracefs: string | null, mounts: MountEntry[], config: KernelConfig | null, euid: number): Tracing {
  const kprobesByConfig = config ? config.values.get('CONFIG_KPROBE_EVENTS') === 'y' : null;
  if (!tracefs) {
    const debugfs = mountOf(mounts, 'debugfs', '/sys/kernel/debug');
    return {
      tracefs: null,
      tracepoints: null,
      kprobeEvents: kprobesByConfig,
      why: `tracefs is not mounted${debugfs ? ` (debugfs is, at ${debugfs}: its tracing/ would mount tracefs on first use, which isolab does not trigger)` : ''}`,
    };
  }
  // tracefs is root's (mode 0700) on current kernels, and every lesson that traces runs as root: an ordinary user
  // is told to become root rather than what a look that may be refused would say.
  const events = euid === 0 ? entriesOf(join(system.root, tracefs, 'events')) : 'unreadable';
  if (events === 'unreadable') {
    return { tracefs, tracepoints: null, kprobeEvents: kprobesByConfig, why: `tracefs is mounted at ${tracefs}, which only root may look into` };
  }
  const tracepoints = events > 0;
  const kprobeEvents = pathExists(join(system.root, tracefs, 'kprobe_events'));
  return {
    tracefs,
    tracepoints,
    kprobeEvents,
    why: `tracefs is mounted at ${tracefs}${tracepoints ? ' with tracepoints' : ', with no tracepoints under events/'}${kprobeEvents ? ' and kprobe events' : ', without kprobe events'}`,
  };
}

function entriesOf(dir: string): number | 'unreadable' {
  try {
    return readdirSync(dir).length;
  } catch (caught) {
    return errnoCode(caught) === 'EACCES' || errnoCode(caught) === 'EPERM' ? 'unreadable' : 0;
  }
}

// Where gcc and clang look by default; libbpf built from source installs under /usr/local.
const includeDirs = ['/usr/include', '/usr/local/include'];
const libraryDirs = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/usr/local/lib64', '/usr/local/lib'];

/**
 * libbpf-dev's files. The runtime package alone (libbpf1) has only libbpf.so.1, which -lbpf does not find: the
 * unversioned libbpf.so link or the static archive is what makes the development files.
 */
function readLibbpf(system: SystemRoot): Libbpf {
  const at = (path: string) => pathExists(join(system.root, path));
  const headers = includeDirs.find((dir) => at(join(dir, 'bpf/libbpf.h')) && at(join(dir, 'bpf/bpf_helpers.h'))) ?? null;
  const library = libraryDirs.flatMap((dir) => [join(dir, 'libbpf.so'), join(dir, 'libbpf.a')]).find(at) ?? null;
  return { headers, library };
}

function numberOrNull(text: string | undefined): number | null {
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : null;
}
