// Runs a real container with runc: run under the shared lock (flock /work/wt/live.lock …) on a root machine.
import { afterAll, describe, expect, it } from 'vitest';
import { testCheckContext } from '../../test/helpers/check-context.js';
import { findOnPath } from '../env/index.js';
import { readProcess } from '../verify/index.js';
import { bundleDir, readSpec, removeBundle } from './oci-bundle.js';
import { containerState } from './runc.js';
import { namespaceInodeOf, runDetached, runningContainer } from './runc-container.js';

const ready = process.geteuid?.() === 0 && findOnPath('runc', process.env) !== null && findOnPath('busybox', process.env) !== null;
const context = testCheckContext();
const bundle = bundleDir(`kit-test-${process.pid}`);
const id = `isolab-kit-${process.pid}`;

afterAll(async () => {
  await removeBundle(context, bundle, [id]);
  context.dispose();
});

describe.skipIf(!ready)('runDetached', () => {
  it('runs the bundle with a process that stays, edited as asked, in namespaces of its own', async () => {
    await runDetached(context, bundle, id, (spec) => {
      spec.process = { ...spec.process, env: [...(spec.process?.env ?? []), 'ISOLAB_KIT=1'] };
    });
    const state = await runningContainer(context, id, bundle);
    expect(readProcess(context.system, state.pid)?.argv).toEqual(['sleep', '3600']);
    expect(readSpec(bundle)).toMatchObject({ hostname: id, process: { terminal: false, env: expect.arrayContaining(['ISOLAB_KIT=1']) } });
    expect(namespaceInodeOf(context, state.pid, 'pid')).not.toBe(namespaceInodeOf(context, 'self', 'pid'));
    // Run again, it replaces the container of that id rather than failing on it.
    await runDetached(context, bundle, id);
    expect((await runningContainer(context, id, bundle)).pid).not.toBe(state.pid);
    await removeBundle(context, bundle, [id]);
    expect((await containerState(context, id)).state).toBeUndefined();
  });
});
