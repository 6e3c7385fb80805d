// Lesson 3.2, solved.
import type { Namespace, NamespaceType, Spec } from './spec.js';

function processOf(spec: Spec) {
  spec.process ??= { cwd: '/' };
  return spec.process;
}

function namespaces(spec: Spec): Namespace[] {
  spec.linux ??= {};
  spec.linux.namespaces ??= [];
  return spec.linux.namespaces;
}

export function setProcess(spec: Spec, args: string[]): void {
  processOf(spec).args = [...args];
  processOf(spec).terminal = false;
}

export function setHostname(spec: Spec, hostname: string): void {
  spec.hostname = hostname;
  if (!namespaces(spec).some((namespace) => namespace.type === 'uts')) namespaces(spec).push({ type: 'uts' });
}

export function setReadonlyRoot(spec: Spec, readonly: boolean): void {
  spec.root ??= { path: 'rootfs' };
  spec.root.readonly = readonly;
}

export function addTmpfs(spec: Spec, destination: string, sizeMiB: number): void {
  const mount = { destination, type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'nodev', 'mode=1777', `size=${sizeMiB}m`] };
  const mounts = (spec.mounts ??= []);
  const at = mounts.findIndex((existing) => existing.destination === destination);
  if (at >= 0) mounts[at] = mount;
  else mounts.push(mount);
}

export function setNamespace(spec: Spec, type: NamespaceType, path?: string): void {
  const entry: Namespace = path ? { type, path } : { type };
  const list = namespaces(spec);
  const at = list.findIndex((namespace) => namespace.type === type);
  if (at >= 0) list[at] = entry;
  else list.push(entry);
}

export function removeNamespace(spec: Spec, type: NamespaceType): void {
  if (spec.linux?.namespaces) spec.linux.namespaces = spec.linux.namespaces.filter((namespace) => namespace.type !== type);
}

export function setEnv(spec: Spec, name: string, value: string): void {
  const env = (processOf(spec).env ??= []);
  const at = env.findIndex((entry) => entry.startsWith(`${name}=`));
  if (at >= 0) env[at] = `${name}=${value}`;
  else env.push(`${name}=${value}`);
}
