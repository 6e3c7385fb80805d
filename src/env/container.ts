import { join } from 'node:path';
import { cgroupMounts, readOwnCgroups } from '../cgroup/index.js';
import { pathExists, readMountInfo, readText, readTrimmed, type SystemRoot } from '../system/index.js';
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
 * Weighs several signals and never decides on one marker (kernel-facts §1, §6): `/.dockerenv` leaks into VM
 * images built from container images (this project's own CI machines carry one), so it counts only when
 * something else agrees.
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
