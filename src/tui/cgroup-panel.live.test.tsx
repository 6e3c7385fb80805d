// The live cgroup panel on this machine's real kernel (v1 hierarchies on the project's hybrid machines, the v2
// tree elsewhere): a real lab cgroup with limits, a process in it, rendered as the lesson shows it. Needs root.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRoot } from '../../test/helpers/cli.js';
import { CgroupManager, parseLimit, type CgroupRunResult } from '../cgroup/index.js';
import { liveSystem } from '../system/index.js';
import { cgroupStatsReader } from './cgroup-stats.js';
import { CgroupPanel } from './components/CgroupPanel.js';
import { renderTui } from './testing/render-app.js';

const name = `isolab/tui-panel-${process.pid}`;

describe.skipIf(!isRoot)(`the live cgroup panel on this kernel${isRoot ? '' : ' (skipped: needs root)'}`, () => {
  let manager: CgroupManager;
  let sleeper: Promise<CgroupRunResult> | undefined;
  let madeParent = false;
  beforeAll(() => {
    manager = new CgroupManager(liveSystem());
    madeParent = !manager.backend.exists('isolab');
    manager.create(name);
    manager.set(name, [parseLimit('memory.max', '64M'), parseLimit('pids.max', '32')]);
    sleeper = manager.run(name, 'sleep', ['60'], { stdio: 'ignore' });
  });
  afterAll(async () => {
    await manager.delete(name, { kill: true });
    await sleeper;
    expect(manager.backend.exists(name)).toBe(false);
    // Leave the machine as it was: the isolab parent too, if this test made it and nothing else uses it now.
    if (madeParent && manager.children('isolab').length === 0) await manager.delete('isolab');
  });

  it('shows the limits and the process of a real cgroup, as cgroup-tool stats reads them', async () => {
    const screen = renderTui(<CgroupPanel path={name} reader={cgroupStatsReader(liveSystem())} intervalMs={100} />);
    try {
      // The sleeper is in once `sh` has written its pid and exec'd.
      const frame = await screen.waitFor(/pids +1 of 32/);
      expect(frame).toContain(`cgroup ${name} (${manager.version})`);
      expect(frame).toMatch(/memory +[\d.]+ (B|KiB|MiB) of 64\.0 MiB/);
      expect(frame).toMatch(/cpu +throttled 0 times/);
      expect(frame).not.toContain('not enabled');
      expect(frame).not.toContain('not created yet');
    } finally {
      screen.unmount();
    }
  });
});
