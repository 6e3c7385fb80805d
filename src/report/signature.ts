import { createHmac, timingSafeEqual } from 'node:crypto';
import type { VerifyDocument } from './documents.js';

/**
 * Tamper evidence for verify results: an HMAC-SHA256 over the result's canonical JSON (keys sorted, the
 * signature itself left out), keyed by ISOLAB_REPORT_KEY. It proves a result was not edited after a verify
 * run that had the key; it proves nothing if the learner holds the key, so the trusted path is a
 * teacher-run collection (the teacher's key in the verify run's environment, not the learner's).
 */
export function signResult(result: VerifyDocument, key: string): VerifyDocument {
  const { signature: _, ...unsigned } = result;
  return { ...unsigned, signature: hmac(unsigned, key) };
}

/** 'valid', 'tampered' (a signature that does not match), or 'unsigned'; of a result as read, before any schema. */
export function checkSignature(result: { signature?: unknown }, key: string): 'valid' | 'tampered' | 'unsigned' {
  if (!result.signature) return 'unsigned';
  const { signature, ...unsigned } = result;
  const expected = Buffer.from(hmac(unsigned, key), 'hex');
  const given = Buffer.from(String(signature), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected) ? 'valid' : 'tampered';
}

function hmac(value: unknown, key: string): string {
  return createHmac('sha256', key).update(canonicalJson(value)).digest('hex');
}

/** JSON with object keys sorted at every level, so the same result always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, entry]) => entry !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
