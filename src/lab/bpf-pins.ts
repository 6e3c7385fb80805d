import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { SystemRoot } from '../system/index.js';
import { isLabName } from './names.js';

/** Where pinned programs, links and maps live (bpffs, as systemd mounts it); a lab's pins are named isolab…. */
export const bpfPinRoot = '/sys/fs/bpf';

/**
 * Whether `path` is where a lab may pin: below /sys/fs/bpf, its first component an isolab name, no component empty
 * or with a dot. The BPF filesystem refuses a dotted name with EPERM (kernel/bpf/inode.c, bpf_lookup(): such names
 * are kept for the kernel's own files), and `..` could leave the lab's directory. The one rule for the loader's pin
 * directories and for what a lesson's clean-up may remove.
 */
export function isLabPinPath(path: string): boolean {
  if (!path.startsWith(`${bpfPinRoot}/`)) return false;
  const parts = path.slice(bpfPinRoot.length + 1).split('/');
  return isLabName(parts[0]!) && parts.every((part) => part !== '' && !part.includes('.'));
}

/** The isolab-named pins at the top of /sys/fs/bpf: a pinned link, map or program, or a lesson's directory of them. */
export function labBpfPins(system: SystemRoot): string[] {
  let names: string[];
  try {
    names = readdirSync(join(system.root, bpfPinRoot));
  } catch {
    // No bpffs here, or not root's to read (bpffs is mounted mode 0700): nothing isolab could have pinned.
    return [];
  }
  return names.filter(isLabName).map((name) => join(bpfPinRoot, name));
}

/**
 * Removes one pin or a directory of pins. Unlinking a pin drops the reference it holds: a pinned link detaches its
 * program once no process holds the link open (the lab's processes are killed first), a map or program is freed
 * once nothing uses it.
 */
export function removeBpfPinPath(system: SystemRoot, pin: string): void {
  rmSync(join(system.root, pin), { recursive: true, force: true });
}

/**
 * Removes `/sys/fs/bpf/<name>` (a lesson's pin directory such as `isolab-enforcer`, or one pin) if it is there;
 * returns whether there was something to remove. The name must be one component that `isLabPinPath` allows, so a
 * lesson can never remove what is not a lab's.
 */
export function removeBpfPinsNamed(system: SystemRoot, name: string): boolean {
  if (name.includes('/') || !isLabPinPath(join(bpfPinRoot, name))) {
    // A lesson's own code passed it: a bug to fix there, not something the learner can do anything about.
    throw new Error(`not a lab pin name (isolab…, one path component under ${bpfPinRoot}, no dot): ${JSON.stringify(name)}`);
  }
  if (!labBpfPins(system).includes(join(bpfPinRoot, name))) return false;
  removeBpfPinPath(system, join(bpfPinRoot, name));
  return true;
}
