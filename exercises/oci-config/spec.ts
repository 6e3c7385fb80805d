// Complete: the parts of the OCI runtime spec (config.json) this tool edits, as runc 1.1 reads them. Fields
// not named here are kept as they are: the index signatures carry them through untouched.

/** The namespace kinds of linux.namespaces[].type. */
export type NamespaceType = 'pid' | 'network' | 'mount' | 'ipc' | 'uts' | 'user' | 'cgroup' | 'time';

export interface Namespace {
  type: NamespaceType;
  /** Join this existing namespace (e.g. /run/netns/isolab-oci) instead of creating a new one. */
  path?: string;
}

export interface Mount {
  /** Where it appears inside the container. */
  destination: string;
  /** The filesystem type: proc, tmpfs, sysfs, bind… */
  type?: string;
  /** What is mounted: a device, a host path for bind mounts, or any word for proc and tmpfs. */
  source?: string;
  options?: string[];
}

export interface Process {
  /** true: runc gives the container a pseudo-terminal (and cannot detach without a console socket). */
  terminal?: boolean;
  /** The program runc executes as the container's first process, and its arguments. */
  args?: string[];
  /** NAME=value strings. */
  env?: string[];
  cwd: string;
  [field: string]: unknown;
}

export interface Spec {
  ociVersion: string;
  process?: Process;
  root?: { path: string; readonly?: boolean };
  hostname?: string;
  mounts?: Mount[];
  linux?: {
    namespaces?: Namespace[];
    [field: string]: unknown;
  };
  [field: string]: unknown;
}
