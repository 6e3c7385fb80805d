import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the system is read from. Everything that reads /proc, /sys or the environment takes one of these,
 * so a fixture tree can stand in for a DevContainer, WSL2 or a cgroup v1 host.
 */
export interface SystemRoot {
  proc: string;
  sys: string;
  root: string;
  env: NodeJS.ProcessEnv;
  /** Answers for what only acting on the kernel can tell (src/env/probes.ts); fixtures record them. */
  probes?: import('./probes.js').Probes;
}

export function liveSystem(env: NodeJS.ProcessEnv = process.env): SystemRoot {
  return { proc: '/proc', sys: '/sys', root: '/', env };
}

/** A fixture tree laid out as `<dir>/proc`, `<dir>/sys` and `<dir>` as the root. */
export function fixtureSystem(dir: string, env: NodeJS.ProcessEnv = {}): SystemRoot {
  return { proc: join(dir, 'proc'), sys: join(dir, 'sys'), root: dir, env };
}

let cachedPackageRoot: string | undefined;

/**
 * The isolab checkout this code runs from. Bundled code lives in dist/ and dist/chunks/, source code in src/,
 * so walk up to the package.json that names isolab rather than counting levels.
 */
export function packageRoot(): string {
  if (cachedPackageRoot) return cachedPackageRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && readManifestName(manifest) === 'isolab') return (cachedPackageRoot = dir);
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no isolab package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

function readManifestName(file: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name;
  } catch {
    return undefined;
  }
}

/** isolab's version, as package.json says (read once). */
export function isolabVersion(): string {
  const manifest = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  return manifest.version;
}

export { parseMountInfo, readMountInfo, type MountEntry } from './mountinfo.js';
export { readText, readTrimmed, readWords, readLink, listNames, pathExists, isWritable } from './read.js';
export * from './processes.js';
export { namespaceKinds, type BpfProgramTypes, type DelegationAttempt, type NamespaceKind, type Probes, type SudoStatus } from './probes.js';
export { writeNewFile, replaceFile, readFileNoFollow, linkOnTheWay, refuseLinksOnTheWay, makeDirectories, pathKind, untrustedOnTheWay, LinkRefused, type FileOwner } from './no-follow.js';
