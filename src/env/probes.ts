import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeControlFile } from '../cgroup/index.js';
import { errnoCode } from '../errors/index.js';
import { pathExists, readTrimmed, type BpfProgramTypes, type DelegationAttempt, type NamespaceKind, type Probes, type SudoStatus } from '../system/index.js';
import { findOnPath } from './tools.js';

export { namespaceKinds, type BpfProgramTypes, type DelegationAttempt, type NamespaceKind, type Probes, type SudoStatus } from '../system/index.js';

const unshareFlags: Record<NamespaceKind, string[]> = {
  cgroup: ['--cgroup'],
  ipc: ['--ipc'],
  mnt: ['--mount'],
  net: ['--net'],
  pid: ['--pid', '--fork'],
  time: ['--time'],
  user: ['--user'],
  uts: ['--uts'],
};

export function liveProbes(env: NodeJS.ProcessEnv): Probes {
  return {
    euid: process.geteuid?.() ?? -1,
    async namespaces(kinds) {
      const unshare = findOnPath('unshare', env);
      if (!unshare || kinds.length === 0) return {};
      // One process for all kinds but user first (the usual answer as root); one per kind only to find which one
      // fails. The user namespace is probed on its own: inside a new one every other kind succeeds, which would
      // claim for an ordinary user what it cannot do without it.
      const others = kinds.filter((kind) => kind !== 'user');
      const together = [...new Set(others.flatMap((kind) => unshareFlags[kind]))];
      if (others.length > 0 && (await exitCodeOf(unshare, [...together, 'true'], env)) === 0) {
        const user = kinds.includes('user') ? { user: (await exitCodeOf(unshare, [...unshareFlags.user, 'true'], env)) === 0 } : {};
        return { ...Object.fromEntries(others.map((kind) => [kind, true])), ...user };
      }
      const entries = await Promise.all(
        kinds.map(async (kind) => [kind, (await exitCodeOf(unshare, [...unshareFlags[kind], 'true'], env)) === 0] as const),
      );
      return Object.fromEntries(entries);
    },
    async sudo() {
      if (process.geteuid?.() === 0) return 'root';
      const sudo = findOnPath('sudo', env);
      if (!sudo) return 'unavailable';
      // -n: never prompt; a password prompt would hang a headless run.
      return (await exitCodeOf(sudo, ['-n', 'true'], env)) === 0 ? 'passwordless' : 'password';
    },
    async delegation(parent, controllers) {
      return probeDelegation(parent, controllers);
    },
    async bpfProgramTypes({ fresh }) {
      const bpftool = findOnPath('bpftool', env);
      // As another user bpftool probes only what unprivileged bpf() may load, which says nothing of root's lessons.
      if (process.geteuid?.() !== 0 || !bpftool) return null;
      const boot = readTrimmed('/proc/sys/kernel/random/boot_id');
      const cached = fresh || !boot ? null : cachedProgramTypes(boot);
      if (cached) return cached;
      const output = await outputOf(bpftool, ['-j', 'feature', 'probe', 'kernel'], env);
      const types = output === null ? null : programTypesOf(output);
      if (types && boot) keepProgramTypes(boot, types);
      return types;
    },
  };
}

/**
 * Which program types load changes only with the kernel, so one answer serves the whole boot: kept in /run (root's,
 * and a tmpfs the next boot starts empty; the boot id guards one that is not), it spares every later command
 * bpftool's ~0.15 s. Only root writes or reads it (the probe runs as root only); doctor asks bpftool afresh.
 */
export const programTypesCacheFile = '/run/isolab-bpf-program-types.json';

function cachedProgramTypes(boot: string): BpfProgramTypes | null {
  try {
    const cached = JSON.parse(readFileSync(programTypesCacheFile, 'utf8')) as { boot?: unknown; types?: unknown };
    if (cached.boot !== boot || typeof cached.types !== 'object' || cached.types === null) return null;
    const entries = Object.entries(cached.types);
    return entries.length > 0 && entries.every(([, loads]) => typeof loads === 'boolean') ? (cached.types as BpfProgramTypes) : null;
  } catch {
    return null;
  }
}

function keepProgramTypes(boot: string, types: BpfProgramTypes): void {
  const temporary = `${programTypesCacheFile}.${process.pid}`;
  try {
    writeFileSync(temporary, JSON.stringify({ boot, types }), { mode: 0o644 });
    renameSync(temporary, programTypesCacheFile);
  } catch {
    // A read-only /run: the next command asks bpftool again.
    rmSync(temporary, { force: true });
  }
}

/** `program_types` of bpftool's JSON (`have_lsm_prog_type: false` → `lsm: false`); null when it holds none. */
export function programTypesOf(json: string): BpfProgramTypes | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return null;
  }
  const types = (parsed as { program_types?: unknown } | null)?.program_types;
  if (typeof types !== 'object' || types === null) return null;
  const entries = Object.entries(types)
    .map(([key, value]) => [/^have_(\w+)_prog_type$/.exec(key)?.[1], value] as const)
    .filter((entry): entry is [string, boolean] => entry[0] !== undefined && typeof entry[1] === 'boolean');
  return entries.length > 0 ? Object.fromEntries(entries) : null;
}

/** kernel-facts §3.5 case A: a throw-away cgroup pair, removed whatever happens. */
function probeDelegation(parent: string, controllers: readonly string[]): DelegationAttempt {
  const probe = join(parent, `isolab-probe-${process.pid}`);
  const leaf = join(probe, 'leaf');
  const made: string[] = [];
  try {
    mkdirSync(probe);
    made.push(probe);
    mkdirSync(leaf);
    made.push(leaf);
    const working: string[] = [];
    let error: string | undefined;
    for (const controller of controllers) {
      try {
        writeControlFile(join(probe, 'cgroup.subtree_control'), `+${controller}`);
      } catch (caught) {
        error ??= errnoCode(caught);
        continue;
      }
      if (pathExists(join(leaf, `${controller}.max`)) || pathExists(join(leaf, `${controller}.weight`))) working.push(controller);
    }
    return { working, error };
  } catch (caught) {
    return { working: [], error: errnoCode(caught) ?? 'EIO' };
  } finally {
    for (const dir of made.reverse()) {
      try {
        rmdirSync(dir);
      } catch {
        // Nothing ran inside; rmdir of an empty cgroup does not fail in practice.
      }
    }
  }
}

/**
 * Stays on node:child_process, not execa (src/exec): `isolab list` and `doctor` run these probes on every start,
 * and loading execa there cost them 24–29 ms (list 122 → 151 ms, doctor 130 → 154 ms, measured side by side).
 * `unshare … true` and `sudo -n true` start no grandchildren and print nothing, so the group and output rules
 * that ProcessGroups keeps have nothing to guard here; the 5 s timeout bounds them.
 */
function exitCodeOf(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'ignore', env, timeout: 5_000 });
    child.on('error', () => resolve(null));
    child.on('close', (code) => resolve(code));
  });
}

/** The same for bpftool's probe, which prints its answer (about 20 KiB) and starts no children: stdout on success. */
function outputOf(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string | null> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'ignore'], env, timeout: 5_000 });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', () => resolve(null));
    child.on('close', (code) => resolve(code === 0 ? Buffer.concat(chunks).toString('utf8') : null));
  });
}
