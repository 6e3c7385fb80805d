import { join } from 'node:path';
import { cgroupMounts, readOwnCgroups } from '../cgroup/index.js';
import { pathExists, readLink, readMountInfo, readText, readTrimmed, type SystemRoot } from '../system/index.js';
import type { KernelLayer } from './kernel.js';

export type ContainerKind = 'docker' | 'podman' | 'lxc' | 'systemd-nspawn' | 'wsl' | 'kubernetes' | 'other' | 'none';

export interface ContainerLayer {
  kind: ContainerKind;
  /** Signals that say "container", strongest first. */
  evidence: string[];
  /** Signals seen but not trusted on their own (a stale /.dockerenv), and why. */
  disregarded: string[];
  /** A private cgroup namespace: the cgroup root we see is not the host's. */
  cgroupNamespace: boolean;
}

const knownManagers: Record<string, ContainerKind> = {
  docker: 'docker',
  podman: 'podman',
  lxc: 'lxc',
  'lxc-libvirt': 'lxc',
  'systemd-nspawn': 'systemd-nspawn',
  wsl: 'wsl',
  oci: 'other',
};

/**
 * The inode of the initial PID namespace: fixed by the kernel (PROC_PID_INIT_INO = 0xEFFFFFFC,
 * include/linux/proc_ns.h), so `/proc/self/ns/pid` names it for every process outside a PID namespace of its
 * own. systemd's running_in_pidns() asks the same (namespace_is_init(), src/basic/namespace-util.c).
 */
const initialPidNamespace = 'pid:[4026531836]';

/**
 * Signs that we run beside the machine's own init, outside any container: our PID namespace is the initial one,
 * where the kernel's threads live (init/main.c rest_init(): init is PID 1, kthreadd PID 2, both in init_pid_ns;
 * a PID namespace of our own would show neither), and PID 1 is in our mount namespace. Empty when any of it is
 * missing, or when PID 1's mount namespace is known to differ (a container sharing the host's PIDs).
 */
function besideMachineInit(system: SystemRoot): string[] {
  const signs: string[] = [];
  if (readLink(join(system.proc, 'self/ns/pid')) === initialPidNamespace) signs.push(`our PID namespace is the initial one (${initialPidNamespace})`);
  const two = readText(join(system.proc, '2/status'));
  if (two && /^Name:\s*kthreadd$/m.test(two) && /^PPid:\s*0$/m.test(two)) signs.push('kernel threads are visible (PID 2 is kthreadd)');
  if (signs.length === 0) return [];
  const init = readLink(join(system.proc, '1/ns/mnt'));
  const ours = readLink(join(system.proc, 'self/ns/mnt'));
  // Reading PID 1's namespaces needs root; without it, the signs above stand alone.
  if (init !== undefined && ours !== undefined) {
    if (init !== ours) return [];
    const comm = readTrimmed(join(system.proc, '1/comm'));
    signs.push(`PID 1${comm ? ` (${comm})` : ''} shares our mount namespace (${ours})`);
  }
  return signs;
}

/**
 * Weighs several signals and never decides on one marker (kernel-facts §1, §6): `/.dockerenv` leaks into VM
 * images built from container images (this project's own CI machines carry one), so it counts only when
 * something else agrees. An overlay root does not agree when we run beside the machine's own init: a live
 * system, or a VM whose disk was made from a container image, has one too.
 */
export function readContainer(system: SystemRoot, kernel: KernelLayer): ContainerLayer {
  const strong: Array<[ContainerKind, string]> = [];
  const env = system.env;
  const at = (path: string) => join(system.root, path);

  const manager = readTrimmed(at('run/host/container-manager')) || readTrimmed(at('run/systemd/container'));
  if (manager) strong.push([knownManagers[manager] ?? 'other', `the container manager says "${manager}" (/run)`]);
  if (env.container && process.pid !== 1) strong.push([knownManagers[env.container] ?? 'other', `container=${env.container} in the environment`]);
  const pid1Environ = readText(join(system.proc, '1/environ'));
  const pid1Container = pid1Environ?.split('\0').find((entry) => entry.startsWith('container='))?.slice('container='.length);
  if (pid1Container) strong.push([knownManagers[pid1Container] ?? 'other', `PID 1 has container=${pid1Container}`]);
  if (pathExists(at('run/.containerenv'))) strong.push(['podman', '/run/.containerenv exists (podman)']);
  if (env.KUBERNETES_SERVICE_HOST || pathExists(at('var/run/secrets/kubernetes.io/serviceaccount'))) {
    strong.push(['kubernetes', 'a Kubernetes service account or KUBERNETES_SERVICE_HOST']);
  }

  const mounts = readMountInfo(system.proc);
  const dockerBind = mounts.find((mount) => /\/docker\/containers\/[0-9a-f]{12,}/.test(mount.root));
  if (dockerBind) strong.push(['docker', `${dockerBind.mountPoint} is bind-mounted from /docker/containers/ (mountinfo)`]);
  const podmanBind = mounts.find((mount) => /\/containers\/(storage|overlay-containers)\//.test(mount.root));
  if (podmanBind) strong.push(['podman', `${podmanBind.mountPoint} is bind-mounted from podman's storage (mountinfo)`]);

  const v1Path = readOwnCgroups(system)?.find((line) => line.hierarchy !== 0 && /\/(docker|kubepods|lxc|libpod)[/-]/.test(line.path));
  if (v1Path) {
    const kind: ContainerKind = /kubepods/.test(v1Path.path) ? 'kubernetes' : /lxc/.test(v1Path.path) ? 'lxc' : /libpod/.test(v1Path.path) ? 'podman' : 'docker';
    strong.push([kind, `/proc/self/cgroup names ${v1Path.path}`]);
  }

  const cgroupNamespace = inCgroupNamespace(system);
  const medium: string[] = [];
  if (cgroupNamespace) medium.push('a private cgroup namespace (the cgroup root we see is not the host\'s)');
  const rootMount = mounts.find((mount) => mount.mountPoint === '/');
  if (rootMount && ['overlay', 'fuse-overlayfs', 'aufs'].includes(rootMount.fsType)) medium.push(`the root filesystem is ${rootMount.fsType}`);
  if (kernel.flavour === 'wsl2' || kernel.flavour === 'wsl1') {
    // Under WSL the kernel is shared by every distribution; systemd calls that a container of kind "wsl".
    strong.push(['wsl', `a ${kernel.flavour.toUpperCase()} kernel (${kernel.release})`]);
  }

  const dockerenv = pathExists(at('.dockerenv'));
  const disregarded: string[] = [];
  const evidence = strong.map(([, why]) => why);
  let kind: ContainerKind = strong.find(([candidate]) => candidate !== 'wsl')?.[0] ?? strong[0]?.[0] ?? 'none';

  // Only medium signals can be outweighed: strong ones name a container manager, and a lone /.dockerenv is
  // disregarded below anyway.
  const machineInit = kind === 'none' && medium.length > 0 ? besideMachineInit(system) : [];
  if (machineInit.length > 0) {
    const seen = [...(dockerenv ? ['/.dockerenv exists'] : []), ...medium];
    disregarded.push(`${seen.join(', and ')}, but we run beside this machine's own init: ${machineInit.join('; ')}. A VM or live system whose root filesystem came from a container image, not a container`);
    return { kind, evidence, disregarded, cgroupNamespace };
  }

  if (dockerenv) {
    if (kind !== 'none' && kind !== 'wsl') evidence.push('/.dockerenv exists');
    else if (medium.length > 0) {
      kind = 'docker';
      evidence.push('/.dockerenv exists', ...medium);
    } else {
      disregarded.push('/.dockerenv exists, but nothing else says container (no cgroup namespace, no overlay root, no container bind mounts): a file left in an image, not a container');
    }
  } else if (kind === 'none' && medium.length >= 2) {
    kind = 'other';
    evidence.push(...medium);
  } else if (kind !== 'none') {
    evidence.push(...medium);
  }
  return { kind, evidence, disregarded, cgroupNamespace };
}

/**
 * systemd's running_in_cgroupns(): on v2, `cgroup.events` and `cgroup.type` exist only in non-root cgroups, so
 * seeing them at the top of our mount means the top is not the real root. On v1, only the real root of a
 * hierarchy has `release_agent`.
 */
export function inCgroupNamespace(system: SystemRoot): boolean {
  for (const mount of cgroupMounts(system)) {
    const top = join(system.root, mount.mountPoint);
    if (mount.fsType === 'cgroup2') {
      if (pathExists(join(top, 'cgroup.events')) && pathExists(join(top, 'cgroup.type'))) return true;
    } else if (mount.superOptions.includes('name=systemd') || mount.mountPoint.endsWith('/systemd')) {
      if (!pathExists(join(top, 'release_agent'))) return true;
    }
  }
  return false;
}
