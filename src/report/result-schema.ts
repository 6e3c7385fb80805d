import * as z from 'zod/mini';
import type { VerifyDocument } from './documents.js';

// What `isolab report` accepts: src/schemas/verify.schema.json and verify-all.schema.json, as zod/mini schemas
// (the JSON Schemas are the published contract; result-schema.test.ts holds these to the same answers).
// A report reads files a learner could have edited, so every field is checked before any is used.

const checkResultSchema = z.strictObject({
  id: z.string().check(z.minLength(1)),
  title: z.string().check(z.minLength(1)),
  status: z.enum(['pass', 'fail', 'error']),
  message: z.string(),
  observed: z.nullable(z.record(z.string(), z.unknown())),
  hint: z.nullable(z.string()),
  durationMs: z.number().check(z.minimum(0)),
});

const verifySchema = z.strictObject({
  version: z.literal(1),
  isolab: z.string(),
  lesson: z.string().check(z.regex(/^[a-z][a-z0-9]*\/[a-z0-9][a-z0-9-]*$/)),
  short: z.optional(z.string().check(z.regex(/^[0-9]+\.[0-9]+$/))),
  title: z.optional(z.string()),
  status: z.enum(['pass', 'fail', 'error', 'locked']),
  source: z.optional(z.enum(['live', 'recorded'])),
  lockedReasons: z.optional(z.array(z.string())),
  checks: z.array(checkResultSchema),
  startedAt: z.iso.datetime(),
  durationMs: z.number().check(z.minimum(0)),
  env: z.strictObject({ kind: z.string(), cgroupMode: z.enum(['v1', 'hybrid', 'v2', 'unknown']) }),
  learner: z.optional(z.string()),
  signature: z.optional(z.string()),
});

const count = z.number().check(z.int(), z.minimum(0));
const verifyAllSchema = z.strictObject({
  version: z.literal(1),
  results: z.array(verifySchema),
  summary: z.strictObject({ passed: count, failed: count, error: count, locked: count }),
});

export type ParsedResults = { ok: true; results: VerifyDocument[] } | { ok: false; problem: string };

/** A `verify --json` or `verify --all --json` document, or why it is not one: the first way it breaks its schema, in plain words. */
export function parseResults(document: unknown): ParsedResults {
  const isAll = typeof document === 'object' && document !== null && 'results' in document;
  const parsed = isAll ? verifyAllSchema.safeParse(document) : verifySchema.safeParse(document);
  if (!parsed.success) return { ok: false, problem: newerVersion(document) ?? `not an isolab verify result: ${describeIssue(parsed.error.issues[0]!, document)}` };
  const data = parsed.data as z.infer<typeof verifySchema> | z.infer<typeof verifyAllSchema>;
  // A result without a short form or title (the schema allows it) is shown by its id.
  const complete = (result: z.infer<typeof verifySchema>): VerifyDocument => ({ ...result, short: result.short ?? result.lesson, title: result.title ?? result.lesson });
  return { ok: true, results: 'results' in data ? data.results.map(complete) : [complete(data)] };
}

function newerVersion(document: unknown): string | undefined {
  const version = typeof document === 'object' && document !== null ? (document as { version?: unknown }).version : undefined;
  if (typeof version === 'number' && version > 1) return `written by a newer isolab (document version ${version}; this one reads version 1): run isolab report from that version`;
  return undefined;
}

type Issue = z.core.$ZodIssue;

/** `at results[1].checks[0].title, missing`: where the file breaks the schema and how, never its content. */
function describeIssue(issue: Issue, document: unknown): string {
  const where = issue.path.length === 0 ? 'the top' : issue.path.map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`)).join('');
  return `at ${where}, ${what(issue, valueAt(document, issue.path))}`;
}

function what(issue: Issue, found: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      return found === undefined ? 'missing' : `expected ${kindName(issue.expected)}, found ${kindOf(found)}`;
    case 'invalid_value':
      return `expected ${issue.values.length === 1 ? '' : 'one of '}${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'invalid_format':
      if (issue.format === 'datetime') return 'not a date and time (2026-01-31T12:00:00.000Z)';
      return `not in the form ${issue.pattern ?? issue.format}`;
    case 'too_small':
      return issue.origin === 'string' ? 'empty' : `less than ${String(issue.minimum)}`;
    case 'unrecognized_keys': {
      // The names are the file's: a few, each cut short, so no file can fill the report with them.
      const names = issue.keys.slice(0, 3).map((key) => JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key));
      const more = issue.keys.length > 3 ? ` and ${issue.keys.length - 3} more` : '';
      return `unexpected field${issue.keys.length === 1 ? '' : 's'} ${names.join(', ')}${more}`;
    }
    default:
      return issue.message;
  }
}

function valueAt(document: unknown, path: readonly PropertyKey[]): unknown {
  let value = document;
  for (const key of path) value = typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

function kindName(expected: string): string {
  if (expected === 'record') return 'an object';
  if (expected === 'int') return 'a whole number';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return kindName(typeof value);
}
