import { bpfPinRoot, labBpfPins, removeBpfPinsNamed } from '../lab/index.js';
import type { CheckContext } from '../verify/index.js';

export { bpfPinRoot };

/** The isolab-named pins under /sys/fs/bpf now (`/sys/fs/bpf/isolab-enforcer`, …): what a self-test asserts is gone. */
export function bpfPins(context: Pick<CheckContext, 'system'>): string[] {
  return labBpfPins(context.system);
}

/**
 * A lesson's clean-up of its pins: removes `/sys/fs/bpf/<name>` (the lesson's pin directory, e.g. `isolab-enforcer`,
 * or one pin), which detaches a pinned link's program once no process holds it. Returns whether anything was there.
 * Throws on a name that is not a lab's (one path component, isolab…, no dot).
 */
export function removeBpfPins(context: Pick<CheckContext, 'system'>, name: string): boolean {
  return removeBpfPinsNamed(context.system, name);
}
