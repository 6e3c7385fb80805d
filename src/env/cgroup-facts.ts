import { join, resolve } from 'node:path';
import { cgroupMounts, detectCgroupMode, readOwnCgroups, unifiedMount, type CgroupMode } from '../cgroup/index.js';
import { isWritable, pathExists, readWords, type SystemRoot } from '../system/index.js';
import { inCgroupNamespace } from './container.js';
import type { Probes } from './probes.js';

export type DelegationStatus = 'ok' | 'needs-nesting' | 'not-delegated' | 'read-only' | 'unsupported' | 'unknown';

/** The controllers lessons limit with. */
export const labControllers = ['cpu', 'io', 'memory', 'pids'] as const;

export interface CgroupFacts {
  mode: CgroupMode;
  /** The cgroup2 mount point, if any. */
  v2Mount: string | null;
  /** Our own cgroup: the v2 path, and each v1 hierarchy's path by controller. */
  own: { v2: string | null; v1: Record<string, string> };
  /** Where isolab makes its lab cgroups (the parent of `isolab/`). */
  labParent: string | null;
  controllers: { available: string[]; enabled: string[] };
  readOnly: boolean | null;
  delegation: { status: DelegationStatus; controllers: string[]; missing: string[]; why: string };
  /** v1 controllers mounted and writable by us (v1 or hybrid). */
  v1Controllers: string[];
  /** v1 controllers mounted read-only. */
  readOnlyV1: string[];
}

export async function readCgroupFacts(system: SystemRoot, probes: Probes): Promise<CgroupFacts> {
  const mode = detectCgroupMode(system);
  const own = readOwnCgroups(system);
  const v1: Record<string, string> = {};
  for (const line of own ?? []) for (const controller of line.controllers) v1[controller] = line.path;
  const mount = unifiedMount(system);
  const v2Path = own?.find((line) => line.hierarchy === 0)?.path ?? null;
  const facts: CgroupFacts = {
    mode,
    v2Mount: mount?.mountPoint ?? null,
    own: { v2: v2Path, v1 },
    labParent: null,
    controllers: { available: [], enabled: [] },
    readOnly: mount ? mount.options.includes('ro') : null,
    delegation: { status: 'unknown', controllers: [], missing: [], why: '' },
    v1Controllers: usableV1Controllers(system, probes),
    readOnlyV1: cgroupMounts(system)
      .filter((mount) => mount.fsType === 'cgroup' && mount.options.includes('ro'))
      .flatMap((mount) => mount.superOptions.filter((option) => v1ControllerNames.has(option)))
      .sort(),
  };
  if (own === undefined) return withDelegation(facts, 'unknown', '/proc/self/cgroup could not be read');
  if (mode === 'v1' || mode === 'hybrid') {
    const why = mode === 'hybrid'
      ? 'the hybrid layout keeps every resource controller on v1; the v2 tree has none to delegate'
      : 'cgroup v1 has no delegation model; limits go straight to the v1 hierarchies';
    return withDelegation(facts, 'unsupported', why);
  }
  if (mode !== 'v2' || !mount) return withDelegation(facts, 'unknown', 'no cgroup2 mount was found');

  // ISOLAB_CGROUP_ROOT is a cgroup path, relative to the mount like cgcreate's names (a delegated scope).
  const labParent = resolve(system.root, `.${mount.mountPoint}`, `.${system.env.ISOLAB_CGROUP_ROOT ?? ''}`);
  const mountDir = resolve(system.root, `.${mount.mountPoint}`);
  if (labParent !== mountDir && !labParent.startsWith(`${mountDir}/`)) {
    return withDelegation(facts, 'unknown', `ISOLAB_CGROUP_ROOT=${system.env.ISOLAB_CGROUP_ROOT} leads outside the cgroup mount ${mount.mountPoint}`);
  }
  facts.labParent = labParent;
  const available = readWords(join(labParent, 'cgroup.controllers'));
  const enabled = readWords(join(labParent, 'cgroup.subtree_control'));
  if (!available || !enabled) return withDelegation(facts, 'unknown', `${labParent} could not be read`);
  facts.controllers = { available, enabled };
  const wanted = [...labControllers];
  const missing = wanted.filter((controller) => !available.includes(controller));

  if (facts.readOnly) return withDelegation(facts, 'read-only', `${mount.mountPoint} is mounted read-only`, [], wanted);
  if (probes.euid !== 0 && !isWritable(labParent)) {
    return withDelegation(facts, 'not-delegated', `${labParent} is not writable by uid ${probes.euid}`, [], wanted);
  }
  if (available.length === 0 || missing.length === wanted.length) {
    return withDelegation(facts, 'not-delegated', `no controllers reach ${labParent} (its cgroup.controllers is empty): the parent did not delegate them`, [], wanted);
  }

  // The real root may enable controllers while it holds processes; a namespace root or any other cgroup may not.
  const realRoot = labParent === mountDir && !inCgroupNamespace(system);
  const populated = (readWords(join(labParent, 'cgroup.procs')) ?? []).length > 0;
  const notEnabled = available.filter((controller) => wanted.includes(controller as (typeof wanted)[number]) && !enabled.includes(controller));
  if (!realRoot && populated && notEnabled.length > 0) {
    return withDelegation(
      facts,
      'needs-nesting',
      `${labParent} holds processes, so it cannot enable ${notEnabled.join(', ')} for children (no internal processes): move them into a child first (isolab doctor --fix)`,
      [],
      wanted.filter((controller) => !enabled.includes(controller)),
    );
  }

  const toProbe = wanted.filter((controller) => enabled.includes(controller));
  const attempt = toProbe.length > 0 ? await probes.delegation(labParent, toProbe) : { working: [] as string[] };
  if (attempt.error === 'EROFS') return withDelegation(facts, 'read-only', `writing under ${labParent} failed with EROFS`, [], wanted);
  if (attempt.error === 'EACCES' || attempt.error === 'EPERM') {
    return withDelegation(facts, 'not-delegated', `making a cgroup under ${labParent} failed with ${attempt.error}`, [], wanted);
  }
  // At the real root, isolab enables what is available but not yet enabled when it makes its lab.
  const working = [...attempt.working, ...(realRoot ? notEnabled : [])].sort();
  const absent = wanted.filter((controller) => !working.includes(controller));
  if (working.length === 0) {
    return withDelegation(facts, 'not-delegated', `a probe cgroup under ${labParent} got none of ${wanted.join(', ')}${attempt.error ? ` (${attempt.error})` : ''}`, [], wanted);
  }
  const why = absent.length === 0
    ? `a probe cgroup under ${labParent} got ${working.join(', ')}`
    : `a probe cgroup under ${labParent} got ${working.join(', ')}, not ${absent.join(', ')}`;
  return withDelegation(facts, 'ok', why, working, absent);
}

function withDelegation(facts: CgroupFacts, status: DelegationStatus, why: string, controllers: string[] = [], missing: string[] = []): CgroupFacts {
  facts.delegation = { status, controllers, missing, why };
  return facts;
}

/** v1 controllers we can use: mounted, on a read-write mount, and we are root (v1 has no safe delegation). */
function usableV1Controllers(system: SystemRoot, probes: Probes): string[] {
  if (probes.euid !== 0) return [];
  const controllers = new Set<string>();
  for (const mount of cgroupMounts(system)) {
    if (mount.fsType !== 'cgroup' || mount.options.includes('ro')) continue;
    if (!pathExists(join(system.root, mount.mountPoint, 'cgroup.procs'))) continue;
    for (const option of mount.superOptions) if (v1ControllerNames.has(option)) controllers.add(option);
  }
  return [...controllers].sort();
}

const v1ControllerNames = new Set(['cpu', 'cpuacct', 'cpuset', 'memory', 'devices', 'freezer', 'net_cls', 'blkio', 'perf_event', 'net_prio', 'hugetlb', 'pids', 'rdma', 'misc']);

