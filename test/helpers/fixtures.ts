/**
 * Fixture machines: fake /proc and /sys trees built from documented facts (kernel-facts.md), for environments
 * this project cannot boot (DevContainer on Docker Desktop, WSL2, Codespaces…). Each lives in
 * test/fixtures/<name>/ with `proc/`, `sys/`, any root files (`.dockerenv`, `run/.containerenv`…; for the lab VM
 * `boot/`, `lib/modules/<release>/`, `dev/kvm`, the lanes' cache, whose `ISOLAB_LANE_CACHE` is a path as the
 * machine sees it, read under the fixture like every other) and a `fixture.json`:
 *   { "description": "...", "source": "where the facts come from",
 *     "env": { variables },
 *     "probes": { "euid": 0, "namespaces": { "user": true, … }, "sudo": "root", "delegationError": "EACCES"?,
 *                 "bpfProgramTypes": { "lsm": false, "tracing": false, … }? },
 *     "expected": { a subset of the doctor document: environment, cgroup, privileges, capabilities… } }
 * What only acting on a kernel can tell comes from `probes`; the delegation probe applies the kernel's rule
 * (a child can enable only what its parent enabled) to the fixture's files.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BpfProgramTypes, DelegationAttempt, NamespaceKind, Probes, SudoStatus } from '../../src/env/index.js';
import { fixtureSystem, readWords, type SystemRoot } from '../../src/system/index.js';
import { repoRoot } from './cli.js';

export interface FixtureFile {
  description: string;
  source: string;
  env: Record<string, string>;
  probes: {
    euid: number;
    namespaces?: Partial<Record<NamespaceKind, boolean>>;
    sudo?: SudoStatus;
    delegationError?: string;
    /** bpftool's program types (`{ "lsm": false, … }`); absent where bpftool is missing, isolab is not root or the probe failed. */
    bpfProgramTypes?: BpfProgramTypes;
  };
  expected: Record<string, unknown>;
}

export const fixturesDir = join(repoRoot, 'test/fixtures');

export function fixtureNames(): string[] {
  return readdirSync(fixturesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

export function loadFixture(name: string): { system: SystemRoot; fixture: FixtureFile } {
  const dir = join(fixturesDir, name);
  const fixture = JSON.parse(readFileSync(join(dir, 'fixture.json'), 'utf8')) as FixtureFile;
  const system = fixtureSystem(dir, fixture.env);
  system.probes = staticProbes(fixture.probes);
  return { system, fixture };
}

function staticProbes(recorded: FixtureFile['probes']): Probes {
  return {
    euid: recorded.euid,
    async namespaces(kinds) {
      return Object.fromEntries(kinds.filter((kind) => recorded.namespaces?.[kind] !== undefined).map((kind) => [kind, recorded.namespaces![kind]!]));
    },
    async sudo() {
      return recorded.sudo ?? (recorded.euid === 0 ? 'root' : 'unavailable');
    },
    async delegation(parent, controllers): Promise<DelegationAttempt> {
      if (recorded.delegationError) return { working: [], error: recorded.delegationError };
      const enabled = readWords(join(parent, 'cgroup.subtree_control')) ?? [];
      return { working: controllers.filter((controller) => enabled.includes(controller)) };
    },
    async bpfProgramTypes() {
      return recorded.bpfProgramTypes ?? null;
    },
  };
}
