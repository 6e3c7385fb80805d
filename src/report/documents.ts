import type { CgroupMode } from '../env/index.js';
import type { CheckResult } from '../verify/index.js';

/** The versioned JSON documents of ARCHITECTURE.md; each has a schema in src/schemas/. */
export const documentVersion = 1;

export type LessonStatus = 'done' | 'in-progress' | 'available' | 'locked';
export type VerifyStatus = 'pass' | 'fail' | 'error' | 'locked';

/** The latest full verify of a lesson, as recorded (older progress files have no counts). */
export interface LastVerify {
  status: 'pass' | 'fail' | 'error';
  at: string;
  passed?: number;
  total?: number;
}

export interface ListEntry {
  id: string;
  short: string;
  track: string;
  title: string;
  minutes: number;
  kind: string;
  fastPath: boolean;
  status: LessonStatus;
  lockedReasons: string[];
  /** Absent until the lesson has been verified. A done lesson keeps `done` when a later verify fails. */
  lastVerify?: LastVerify;
}

export interface ListDocument {
  version: 1;
  lessons: ListEntry[];
}

export interface VerifyDocument {
  version: 1;
  isolab: string;
  lesson: string;
  short: string;
  title: string;
  status: VerifyStatus;
  source?: 'live' | 'recorded';
  lockedReasons?: string[];
  checks: CheckResult[];
  startedAt: string;
  durationMs: number;
  env: { kind: string; cgroupMode: CgroupMode };
  learner?: string;
  signature?: string;
}

export interface VerifyAllDocument {
  version: 1;
  results: VerifyDocument[];
  summary: { passed: number; failed: number; error: number; locked: number };
}

/** A lesson passes when every check passes; any crashed check makes it an error rather than a failure. */
export function overallStatus(checks: readonly CheckResult[]): 'pass' | 'fail' | 'error' {
  if (checks.some((check) => check.status === 'error')) return 'error';
  if (checks.length === 0 || checks.some((check) => check.status === 'fail')) return 'fail';
  return 'pass';
}

export function summarize(results: readonly VerifyDocument[]): VerifyAllDocument['summary'] {
  const count = (status: VerifyStatus) => results.filter((result) => result.status === status).length;
  return { passed: count('pass'), failed: count('fail'), error: count('error'), locked: count('locked') };
}
