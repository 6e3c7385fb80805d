import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { testCheckContext, type TestCheckContext } from '../../test/helpers/check-context.js';
import { findOnPath } from '../env/index.js';
import { CheckFailed } from '../verify/index.js';
import { bundleSpec, prepareBundle, readSpec, removeBundle, runcTemplate, writeSpec } from './oci-bundle.js';

let context: TestCheckContext;
let dir: string;
afterEach(() => {
  context?.dispose();
  rmSync(dir, { recursive: true, force: true });
});
const scratch = () => (dir = mkdtempSync(join(tmpdir(), 'isolab-bundle-')));
const withRunc = findOnPath('runc', process.env) && findOnPath('busybox', process.env) ? it : it.skip;

/** The outcome a check ends with when `read` fails it. */
function failure(read: () => unknown) {
  try {
    read();
  } catch (error) {
    if (error instanceof CheckFailed) return error.outcome;
    throw error;
  }
  throw new Error('the check did not fail');
}

describe('config.json of a bundle', () => {
  it('is written whole and read back', () => {
    const bundle = scratch();
    writeSpec(bundle, { hostname: 'isolab-box', process: { args: ['sh'] } });
    expect(readSpec(bundle)).toEqual({ hostname: 'isolab-box', process: { args: ['sh'] } });
    expect(existsSync(join(bundle, 'config.json.tmp'))).toBe(false);
    expect(bundleSpec(bundle).hostname).toBe('isolab-box');
  });

  it('fails a check that finds none, or one that is not JSON, saying how to get it back', () => {
    const bundle = scratch();
    expect(failure(() => bundleSpec(bundle, '3.4'))).toMatchObject({ pass: false, message: `there is no ${join(bundle, 'config.json')}`, hint: expect.stringContaining('isolab start 3.4') });
    writeFileSync(join(bundle, 'config.json'), '{ "ociVersion": ');
    expect(failure(() => bundleSpec(bundle))).toMatchObject({ pass: false, message: expect.stringContaining('is not valid JSON'), hint: expect.stringContaining('Fix the syntax') });
  });
});

describe('a bundle with runc', () => {
  withRunc("takes runc's template, and prepares only what is missing", async () => {
    context = testCheckContext();
    expect((await runcTemplate(context)).ociVersion).toMatch(/^1\./);
    const bundle = join(scratch(), 'bundle');
    mkdirSync(bundle);
    writeSpec(bundle, { hostname: 'kept' });
    await prepareBundle(context, bundle);
    expect(existsSync(join(bundle, 'rootfs/bin/busybox'))).toBe(true);
    expect(readSpec(bundle)).toEqual({ hostname: 'kept' });
    await removeBundle(context, bundle);
    expect(existsSync(bundle)).toBe(false);
  });
});
