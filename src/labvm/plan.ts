import { isAbsolute, join, relative } from 'node:path';
import type { LabVmFacts, LabVmKernel } from '../env/index.js';

/** What `run.sh lab` is asked to boot for one `isolab vm`, and the line that tells the learner. */
export interface LabVmPlan {
  /** run.sh's --kernel: `host` (this machine's own) or the Debian suite whose cached kernel boots. */
  kernel: string;
  accel: 'kvm' | 'tcg' | 'try-kvm';
  /** Directories the guest writes through to this machine: the checkout, and the state directory if elsewhere. */
  shares: string[];
  /** Inside the checkout, read through the root's cached view: isolab's build and dependencies. */
  cached: string[];
  workdir: string;
  /** Kernel and acceleration, each with its reason. */
  said: string;
}

export interface LabVmPlace {
  checkout: string;
  stateHome: string;
  cwd: string;
  /** ISOLAB_VM_ACCEL: `kvm` or `tcg` instead of what this machine's trial decided. */
  accelOverride?: string;
}

// The guest mounts its own filesystems there; a host path below them is not what the learner left there.
const hiddenInGuest = ['/tmp', '/run', '/proc', '/sys', '/dev'];

export function planLabVm(facts: LabVmFacts & { kernel: LabVmKernel }, place: LabVmPlace): LabVmPlan {
  const shares = [place.checkout];
  if (!isInside(place.stateHome, place.checkout)) shares.push(place.stateHome);
  const visible = shares.some((share) => isInside(place.cwd, share)) || !hiddenInGuest.some((dir) => isInside(place.cwd, dir));
  const accel = place.accelOverride === 'kvm' || place.accelOverride === 'tcg' ? place.accelOverride : facts.acceleration;
  return {
    kernel: facts.kernel.choice,
    accel,
    shares,
    // Uncached shares cost a round trip a read: loading isolab from one took a second more under TCG.
    cached: [join(place.checkout, 'dist'), join(place.checkout, 'node_modules')],
    workdir: visible ? place.cwd : place.checkout,
    said: `kernel ${facts.kernel.release}: ${facts.kernel.why}\n${accelerationWords(accel, facts, place.accelOverride)}`,
  };
}

export function accelerationWords(accel: LabVmPlan['accel'], facts: LabVmFacts, override?: string): string {
  if (override === accel) return `${accel === 'kvm' ? 'KVM' : 'TCG'}: ISOLAB_VM_ACCEL says so`;
  if (accel === 'try-kvm') return 'KVM: /dev/kvm is here, not tried yet (a trial boot decides, once)';
  // What env read of /dev/kvm and the trial, in the words doctor uses too.
  return facts.kvm.detail;
}

function isInside(path: string, dir: string): boolean {
  const rest = relative(dir, path);
  return rest === '' || (!rest.startsWith('..') && !isAbsolute(rest));
}
