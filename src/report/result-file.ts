import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { errnoCode } from '../errors/index.js';
import type { VerifyDocument } from './documents.js';
import { parseResults } from './result-schema.js';
import { checkSignature } from './signature.js';

// The files `isolab report` reads come from learners' machines: each is read as if hostile, and what is wrong
// with one is said of that file alone.

export interface ResultFile {
  file: string;
  results: VerifyDocument[];
  /** tampered: a signature does not match; unsigned: no signature where a key was given; unreadable: not a result. */
  status: 'valid' | 'unsigned' | 'tampered' | 'unreadable';
  problem?: string;
}

/** A `verify --json` or `verify --all --json` file; with a key, every result's signature is checked. */
export function readResultFile(file: string, key?: string): ResultFile {
  const text = readRegularFile(file);
  if (!text.ok) return { file, results: [], status: 'unreadable', problem: text.problem };
  let document: unknown;
  try {
    document = JSON.parse(text.content);
  } catch {
    return { file, results: [], status: 'unreadable', problem: 'not JSON' };
  }
  // The signature check walks the whole document by recursion; no result isolab writes comes near this depth.
  if (nestedDeeperThan(document, deepestResult)) return { file, results: [], status: 'unreadable', problem: `not an isolab verify result: nested deeper than ${deepestResult} levels` };
  const parsed = parseResults(document);
  // Signatures are checked on the results as read: a signed result edited after the run is tampered, whatever
  // the edit did to its form.
  const verdicts = key ? resultsAsRead(document).map((result) => checkSignature(result, key)) : [];
  if (verdicts.includes('tampered')) return { file, results: [], status: 'tampered' };
  if (!parsed.ok) return { file, results: [], status: 'unreadable', problem: parsed.problem };
  if (!key) return { file, results: parsed.results, status: 'valid' };
  return { file, results: parsed.results, status: verdicts.includes('unsigned') ? 'unsigned' : 'valid' };
}

/** The objects that may carry a signature: each of a verify --all's results, or the one verify result. */
function resultsAsRead(document: unknown): Array<{ signature?: unknown }> {
  const parts: unknown[] = isObject(document) && Array.isArray(document.results) ? document.results : [document];
  return parts.map((part) => (isObject(part) ? part : {}));
}

const deepestResult = 64;

function nestedDeeperThan(document: unknown, limit: number): boolean {
  const pending: Array<{ value: unknown; depth: number }> = [{ value: document, depth: 0 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (!isObject(next.value)) continue;
    if (next.depth >= limit) return true;
    for (const child of Object.values(next.value)) pending.push({ value: child, depth: next.depth + 1 });
  }
  return false;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** Far above any verify --all result; a file this large is not one, and is not read into memory. */
const largestResultFile = 64 * 1024 * 1024;

/**
 * The file's text, if it is a regular file: opened without blocking, so a FIFO or a device among the collected
 * files is named rather than waited on.
 */
function readRegularFile(file: string): { ok: true; content: string } | { ok: false; problem: string } {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return { ok: false, problem: openProblem(errnoCode(error)) };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { ok: false, problem: 'not a regular file' };
    if (stat.size > largestResultFile) return { ok: false, problem: `larger than ${largestResultFile / 1024 / 1024} MiB, far more than any verify result` };
    return { ok: true, content: readFileSync(fd, 'utf8') };
  } catch (error) {
    return { ok: false, problem: openProblem(errnoCode(error)) };
  } finally {
    closeSync(fd);
  }
}

function openProblem(code: string | undefined): string {
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'not a regular file';
  return code ?? 'cannot be read';
}
