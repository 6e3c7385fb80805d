import { readFileSync, accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { SystemRoot } from '../system/index.js';
import { detectCgroupMode, type CgroupMode } from './cgroup-mode.js';

export { detectCgroupMode, type CgroupMode } from './cgroup-mode.js';

/** The tools lessons may require (`tool:<name>`). */
export const knownTools = ['runc', 'ip', 'nft', 'unshare', 'nsenter', 'busybox', 'bpftrace', 'bpftool'] as const;

export interface EnvReport {
  kernel: { release: string };
  cgroup: { mode: CgroupMode };
  privileges: { uid: number; root: boolean };
  tools: Record<string, string | null>;
}

export function probeEnvironment(system: SystemRoot): EnvReport {
  const uid = process.geteuid?.() ?? -1;
  return {
    kernel: { release: readTrimmed(join(system.proc, 'sys/kernel/osrelease')) ?? 'unknown' },
    cgroup: { mode: detectCgroupMode(system) },
    privileges: { uid, root: uid === 0 },
    tools: Object.fromEntries(knownTools.map((tool) => [tool, findOnPath(tool, system.env)])),
  };
}

/** The capability strings of CURRICULUM.md that this report can vouch for. */
export function capabilitiesOf(report: EnvReport, system: SystemRoot): string[] {
  const capabilities: string[] = [];
  if (report.privileges.root) capabilities.push('root');
  if (report.cgroup.mode === 'v2' && (readTrimmed(join(system.sys, 'fs/cgroup/cgroup.controllers')) ?? '') !== '') {
    capabilities.push('cgroup2');
  }
  for (const [tool, path] of Object.entries(report.tools)) if (path) capabilities.push(`tool:${tool}`);
  return capabilities;
}

export function findOnPath(command: string, env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return null;
}

function readTrimmed(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}
