// Launchers in one directory: what is there, writing ours, removing ours. No decisions about which directory
// (where.mjs) and no printing (flows.mjs): each function returns what it found or did.
import { chmodSync, existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspectFile, launcherText, shellQuote } from './launcher.mjs';

/** A refusal the person can act on; `code` is the exit code (2 bad input, 3 blocked by the machine). */
export class Refused extends Error {
  constructor(message, code = 3) {
    super(message);
    this.code = code;
  }
}

/** The commands a checkout provides (package.json "bin"), with their bundles' absolute paths. */
export function commandsOf(checkout) {
  const manifest = JSON.parse(readFileSync(join(checkout, 'package.json'), 'utf8'));
  return Object.entries(manifest.bin).map(([name, file]) => ({ name, script: join(checkout, file) }));
}

/** Refuses before anything is written when the bundles are missing (a launcher would only say so later). */
export function requireBuilt(commands, checkout) {
  const missing = commands.filter((command) => !existsSync(command.script));
  if (missing.length > 0) {
    throw new Refused(`${missing.map((command) => command.script).join(', ')} missing: build first, in ${checkout}: npm run build`);
  }
}

function sameCheckout(a, b) {
  if (a === b) return true;
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

/** The command that removes these launchers by hand (printed by a launcher whose checkout is gone). */
export function removeHint(dir, commands) {
  const paths = commands.map((command) => shellQuote(join(dir, command.name))).join(' ');
  let rootOwned = true;
  try {
    rootOwned = statSync(dir).uid === 0;
  } catch {
    // Not created yet: it will be created by whoever runs this, which the caller reports.
  }
  return `${rootOwned ? 'as root, ' : ''}rm -f ${paths}`;
}

/**
 * Each command's file in `dir`, classified against what this checkout would write there:
 * missing, current (exactly ours), stale (ours, this checkout, another Node), other (ours, another checkout),
 * gone (ours, its checkout no longer exists) or foreign (not a launcher of isolab's).
 */
export function inspectDirectory(dir, { checkout, node, commands }) {
  const hint = removeHint(dir, commands);
  return commands.map((command) => {
    const path = join(dir, command.name);
    const wanted = launcherText({ name: command.name, node, script: command.script, checkout, removeHint: hint });
    const found = inspectFile(path);
    const entry = { ...command, path, wanted, found };
    if (found.kind === 'missing' || found.kind === 'foreign') return { ...entry, state: found.kind };
    const recorded = found.launcher.checkout ?? '';
    if (!sameCheckout(recorded, checkout)) return { ...entry, state: existsSync(recorded) ? 'other' : 'gone' };
    return { ...entry, state: found.text === wanted ? 'current' : 'stale' };
  });
}

/**
 * Writes this checkout's launchers into `dir` (created if needed). Refuses, before writing any, when one of
 * the names is a foreign file. Returns every entry with `action`: unchanged, installed, updated or replaced.
 */
export function installInto(dir, options) {
  mkdirSync(dir, { recursive: true });
  const entries = inspectDirectory(dir, options);
  const foreign = entries.filter((entry) => entry.state === 'foreign');
  if (foreign.length > 0) {
    throw new Refused(
      foreign.map((entry) => `${entry.path} exists and is ${entry.found.what}: isolab leaves it alone.`).join('\n') +
        `\nRemove or rename it yourself if it is an old copy, or put the launchers elsewhere: ISOLAB_BIN_DIR=<dir> npm run install-commands`,
    );
  }
  return entries.map((entry) => {
    if (entry.state === 'current') return { ...entry, action: 'unchanged' };
    // A temporary file renamed over the old one: a command running at this moment never reads half a script.
    const temporary = join(dir, `.${entry.name}.isolab-${process.pid}`);
    writeFileSync(temporary, entry.wanted, { mode: 0o755 });
    chmodSync(temporary, 0o755);
    renameSync(temporary, entry.path);
    const action = { missing: 'installed', stale: 'updated', other: 'replaced', gone: 'replaced' }[entry.state];
    return { ...entry, action };
  });
}

/**
 * Removes the launchers of this checkout, and those whose checkout is gone, from `dir`. Foreign files and the
 * launchers of another existing checkout stay. Returns every entry with `action`: removed, kept or absent.
 */
export function removeFrom(dir, options) {
  return inspectDirectory(dir, options).map((entry) => {
    if (entry.state === 'missing') return { ...entry, action: 'absent' };
    if (entry.state === 'foreign' || entry.state === 'other') return { ...entry, action: 'kept' };
    rmSync(entry.path);
    return { ...entry, action: 'removed' };
  });
}
