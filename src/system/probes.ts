/** The kernel's namespace kinds, as /proc/<pid>/ns names them. */
export const namespaceKinds = ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'time', 'user', 'uts'] as const;
export type NamespaceKind = (typeof namespaceKinds)[number];

export type SudoStatus = 'root' | 'passwordless' | 'password' | 'unavailable' | 'not-probed';

export interface DelegationAttempt {
  /** Controllers whose files appeared in the throw-away leaf. */
  working: string[];
  /** The errno that stopped the attempt, if it was stopped. */
  error?: string;
}

/** bpftool's name of a program type (`lsm`, `tracing`, `kprobe`, `tracepoint`…) → whether a program of it loads. */
export type BpfProgramTypes = Record<string, boolean>;

/**
 * What can only be learned by asking the kernel to do something. Live probes act (and undo); fixtures give
 * recorded answers, since a fixture tree is only files.
 */
export interface Probes {
  euid: number;
  namespaces(kinds: readonly NamespaceKind[]): Promise<Partial<Record<NamespaceKind, boolean>>>;
  sudo(): Promise<SudoStatus>;
  /** mkdir `<parent>/isolab-probe-<pid>/leaf`, enable the controllers, look, remove both. */
  delegation(parent: string, controllers: readonly string[]): Promise<DelegationAttempt>;
  /**
   * Which program types load, by `bpftool -j feature probe kernel` (it loads a trivial program of each, ~0.15 s);
   * null when it cannot tell: bpftool not on PATH, not root, or bpftool failed. The answer holds for the boot and
   * may be kept for it; `fresh` asks bpftool again.
   */
  bpfProgramTypes(options: { fresh: boolean }): Promise<BpfProgramTypes | null>;
}
