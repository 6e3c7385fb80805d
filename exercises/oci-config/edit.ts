// Lesson 3.2: the edits, each one change to the spec object main.ts read from config.json. Keep everything
// else as it was: runc reads the whole file, and a field you drop by accident is a change you did not mean.
import type { NamespaceType, Spec } from './spec.js';

/**
 * process.args = args, and process.terminal = false: without a terminal, `runc run -d` and `runc create` can
 * start the container in the background (with one, runc wants a console socket).
 */
export function setProcess(spec: Spec, args: string[]): void {
  throw new Error(`TODO(3.2): set process.args to ${JSON.stringify(args)} and process.terminal to false`);
}

/**
 * spec.hostname = hostname. runc can set a hostname only in a UTS namespace of the container's own, so make sure
 * linux.namespaces has one ({ type: 'uts' }), once.
 */
export function setHostname(spec: Spec, hostname: string): void {
  throw new Error(`TODO(3.2): set the hostname ${hostname}, with a uts namespace`);
}

/** root.readonly: a read-only root filesystem (mounts on top of it, like /tmp, stay writable). */
export function setReadonlyRoot(spec: Spec, readonly: boolean): void {
  throw new Error(`TODO(3.2): set root.readonly to ${readonly}`);
}

/**
 * A tmpfs at `destination`, at most `sizeMiB` MiB: { destination, type: 'tmpfs', source: 'tmpfs',
 * options: ['nosuid', 'nodev', 'mode=1777', `size=${sizeMiB}m`] }. A mount already at that destination is
 * replaced, not doubled (runc would mount both, one over the other). Other mounts stay, in their order.
 */
export function addTmpfs(spec: Spec, destination: string, sizeMiB: number): void {
  throw new Error(`TODO(3.2): mount a ${sizeMiB} MiB tmpfs at ${destination}`);
}

/**
 * The container gets a namespace of this type: a new one, or with `path`, the existing namespace at that path
 * (runc joins it with setns). An entry of the same type is changed in place, never listed twice (runc refuses
 * duplicates). Without `path`, an existing entry loses its path.
 */
export function setNamespace(spec: Spec, type: NamespaceType, path?: string): void {
  throw new Error(`TODO(3.2): give the container a ${type} namespace${path ? ` at ${path}` : ''}`);
}

/** No namespace of this type: the container shares the host's (e.g. without 'network', the host's network). */
export function removeNamespace(spec: Spec, type: NamespaceType): void {
  throw new Error(`TODO(3.2): remove the ${type} namespace`);
}

/** NAME=value in process.env: replaces the entry for NAME if there is one, otherwise adds it at the end. */
export function setEnv(spec: Spec, name: string, value: string): void {
  throw new Error(`TODO(3.2): set ${name}=${value} in process.env`);
}
