import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { listProcesses, processEnvironment, statusField, type ProcessEntry, type SystemRoot } from '../system/index.js';
import { checkoutEnvName } from './checkout-mark.js';
import { protectedPids } from './kill.js';

/**
 * The markers by which isolab knows its lab processes: an argv[0] that starts with `isolab-`
 * (`exec -a isolab-uts sleep infinity`), or `ISOLAB_LAB=<name>` in the environment.
 */
export const labArgv0Prefix = 'isolab-';
export const labEnvName = 'ISOLAB_LAB';

/** `isolab-uts` or `ISOLAB_LAB=pid` when the process carries an isolab marker, otherwise undefined. */
export function labMarkerOf(system: SystemRoot, entry: ProcessEntry): string | undefined {
  if (entry.name.startsWith(labArgv0Prefix)) return entry.name;
  const value = processEnvironment(system, entry.pid)?.get(labEnvName);
  return value ? `${labEnvName}=${value}` : undefined;
}

/** Lab-marked processes, without the caller, its ancestors and PID 1. */
export function labProcesses(system: SystemRoot): Array<ProcessEntry & { marker: string }> {
  const spared = protectedPids(system);
  const found: Array<ProcessEntry & { marker: string }> = [];
  for (const entry of listProcesses(system)) {
    if (spared.has(entry.pid)) continue;
    const marker = labMarkerOf(system, entry);
    if (marker) found.push({ ...entry, marker });
  }
  return found;
}

/** An isolab-marked process, with what `isolab clean` shows before it kills one it did not start. */
export interface LabProcess {
  pid: number;
  /** What marks it: `isolab-uts` (argv[0]) or `ISOLAB_LAB=pid`. */
  marker: string;
  /** Its command line, as ps shows it. */
  command: string;
  /** The user it runs as (real uid), by name where /etc/passwd has one. */
  owner: string;
  /** The checkout isolab started it for (ISOLAB_CHECKOUT); undefined when started by hand, or unreadable. */
  checkout: string | undefined;
}

/** Every isolab-marked process but the caller, its ancestors and PID 1. */
export function findLabProcesses(system: SystemRoot): LabProcess[] {
  const users = userNames(system);
  return labProcesses(system).map((entry) => {
    const uid = statusField(system, entry.pid, 'Uid')?.split(/\s+/)[0];
    return {
      pid: entry.pid,
      marker: entry.marker,
      command: entry.argv.join(' '),
      owner: uid === undefined ? '?' : (users.get(uid) ?? uid),
      checkout: processEnvironment(system, entry.pid)?.get(checkoutEnvName),
    };
  });
}

/** Whether isolab started the process for this checkout (lesson setup, a solution, a check). */
export function startedFor(entry: LabProcess, checkout: string): boolean {
  return entry.checkout !== undefined && resolve(entry.checkout) === resolve(checkout);
}

/** uid → user name from the machine's /etc/passwd. */
function userNames(system: SystemRoot): Map<string, string> {
  const names = new Map<string, string>();
  let text = '';
  try {
    text = readFileSync(join(system.root, 'etc/passwd'), 'utf8');
  } catch {
    return names;
  }
  for (const line of text.split('\n')) {
    const [name, , uid] = line.split(':');
    if (name && uid && !names.has(uid)) names.set(uid, name);
  }
  return names;
}
