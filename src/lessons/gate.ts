import type { LessonMeta } from './schema.js';

export interface GateResult {
  available: boolean;
  /** One sentence per missing capability, with what to do about it. */
  reasons: string[];
}

/** A lesson is available when every requirement is among the machine's capabilities. */
export function gateLesson(lesson: LessonMeta, capabilities: ReadonlySet<string>): GateResult {
  const reasons = lesson.requires.filter((key) => !capabilities.has(key)).map(explainMissing);
  return { available: reasons.length === 0, reasons };
}

export function explainMissing(key: string): string {
  const [kind, name] = key.split(':') as [string, string | undefined];
  switch (kind) {
    case 'root':
      return 'needs root: run isolab with sudo (see the README for the line that keeps your Node)';
    case 'cgroup2':
      return 'needs cgroup v2 with controllers: this machine has no unified hierarchy with controllers (use the classroom VM, or boot with systemd.unified_cgroup_hierarchy=1)';
    case 'tool':
      return `needs ${name} on PATH: install it (on Debian: apt-get install ${debianPackageFor(name ?? '')})`;
    case 'delegation':
      return `needs the ${name} controller delegated to isolab's cgroup (isolab doctor explains how)`;
    case 'cgroup1':
      return `needs the cgroup v1 ${name} controller mounted`;
    case 'ns':
      return `needs permission to create a ${name} namespace`;
    case 'btf':
      return 'needs kernel BTF (/sys/kernel/btf/vmlinux)';
    case 'loop-device':
      return 'needs loop devices (modprobe loop)';
    default:
      return `needs ${key}`;
  }
}

const debianPackages: Record<string, string> = {
  ip: 'iproute2',
  nft: 'nftables',
  unshare: 'util-linux',
  nsenter: 'util-linux',
  busybox: 'busybox-static',
};

function debianPackageFor(tool: string): string {
  return debianPackages[tool] ?? tool;
}
