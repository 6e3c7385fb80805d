import { join } from 'node:path';
import { readText, type SystemRoot } from '../system/index.js';
import type { Probes, SudoStatus } from './probes.js';

export interface Privileges {
  uid: number;
  root: boolean;
  /** CapEff of this process, hex as in /proc/self/status. */
  capEff: string | null;
  capabilities: { sysAdmin: boolean; netAdmin: boolean };
  sudo: SudoStatus;
  /** The learner behind sudo (SUDO_UID), if any. */
  sudoUser: number | null;
}

const CAP_NET_ADMIN = 12n;
const CAP_SYS_ADMIN = 21n;

export async function readPrivileges(system: SystemRoot, probes: Probes, probeSudo: boolean): Promise<Privileges> {
  const status = readText(join(system.proc, 'self/status')) ?? '';
  const capEff = /^CapEff:\s*([0-9a-f]+)$/m.exec(status)?.[1] ?? null;
  const mask = capEff ? BigInt(`0x${capEff}`) : 0n;
  const has = (bit: bigint) => ((mask >> bit) & 1n) === 1n;
  const sudoUser = system.env.SUDO_UID && /^\d+$/.test(system.env.SUDO_UID) ? Number(system.env.SUDO_UID) : null;
  return {
    uid: probes.euid,
    root: probes.euid === 0,
    capEff,
    capabilities: { sysAdmin: has(CAP_SYS_ADMIN), netAdmin: has(CAP_NET_ADMIN) },
    sudo: probes.euid === 0 ? 'root' : probeSudo ? await probes.sudo() : 'not-probed',
    sudoUser,
  };
}
