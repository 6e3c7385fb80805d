import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CheckContext } from '../verify/index.js';
import { systemPath } from './system-files.js';

/**
 * What a scenario's setup broke (the pid it started, the cgroup it named at random), kept so verify can judge a
 * learner's diagnosis: only salted digests are written, so reading the file does not give the answers away. It
 * lies under /run/isolab, which `isolab clean` removes with the rest of the lab: a clean-up that skips the
 * diagnosis takes the scenario with it.
 */
export interface ScenarioRecord {
  /** Whether `answer` (normalised as the fact was when written) is the fact recorded under `key`. */
  holds(key: string, answer: string): boolean;
}

interface StoredRecord {
  salt: string;
  digests: Record<string, string>;
}

const recordPath = (context: Pick<CheckContext, 'system' | 'lesson'>) => systemPath(context, `/run/isolab/${context.lesson.id.replaceAll('/', '-')}.scenario.json`);

const digest = (salt: string, value: string) => createHash('sha256').update(`${salt}\0${value}`).digest('hex');

/** Records the lesson's scenario facts (`{ 'blocking-pid': '1234' }`), replacing an earlier record. */
export function writeScenarioRecord(context: Pick<CheckContext, 'system' | 'lesson'>, facts: Readonly<Record<string, string>>): void {
  const salt = randomBytes(16).toString('hex');
  const digests = Object.fromEntries(Object.entries(facts).map(([key, value]) => [key, digest(salt, value)]));
  const file = recordPath(context);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ salt, digests } satisfies StoredRecord)}\n`);
}

/** The lesson's scenario record, or undefined when no scenario was set up (or it was cleaned away). */
export function readScenarioRecord(context: Pick<CheckContext, 'system' | 'lesson'>): ScenarioRecord | undefined {
  let stored: StoredRecord;
  try {
    stored = JSON.parse(readFileSync(recordPath(context), 'utf8')) as StoredRecord;
  } catch {
    return undefined;
  }
  return { holds: (key, answer) => stored.digests[key] !== undefined && stored.digests[key] === digest(stored.salt, answer) };
}

/** Removes the record, and /run/isolab if nothing else is left in it. */
export function removeScenarioRecord(context: Pick<CheckContext, 'system' | 'lesson'>): void {
  const file = recordPath(context);
  rmSync(file, { force: true });
  try {
    rmdirSync(dirname(file));
  } catch {
    // Other lessons' lab files live there, or it is gone already.
  }
}
