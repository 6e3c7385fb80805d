import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureNames, loadFixture } from '../../test/helpers/fixtures.js';
import { repoRoot } from '../../test/helpers/cli.js';
import { probeEnvironment, remedyFor, type EnvReport } from './index.js';

/** Requirements whose remedies differ by environment: every branch the fixture machines reach. */
const requirements = ['root', 'cgroup2', 'delegation:memory', 'cgroup1:memory', 'ns:user', 'ns:net', 'tool:ip', 'loop-device', 'btf'];

async function reportsOfEveryFixture(): Promise<EnvReport[]> {
  const reports: EnvReport[] = [];
  for (const name of fixtureNames()) reports.push(await probeEnvironment(loadFixture(name).system));
  return reports;
}

async function remediesOnEveryFixture(): Promise<string[]> {
  return (await reportsOfEveryFixture()).flatMap((report) => requirements.map((key) => remedyFor(key, report)));
}

// The locks a lab VM lifts: it boots its own cgroup v2 kernel with every controller, as root.
const liftedByLabVm = ['cgroup2', 'delegation:memory', 'delegation:cpu'];

describe('remedies for locked lessons', () => {
  it('point learners to the classroom VM guide, a file in this repository', async () => {
    const remedies = await remediesOnEveryFixture();
    const vm = remedies.filter((remedy) => /classroom VM/.test(remedy));
    expect(vm.length).toBeGreaterThan(0);
    for (const remedy of vm) expect(remedy).toContain('vm/classroom/README.md');
    // Every guide a remedy names exists; vm/README.md is the test lanes' page, not a learner's.
    const guides = new Set(remedies.flatMap((remedy) => remedy.match(/[\w./-]+\.md\b/g) ?? []));
    expect([...guides]).toEqual(['vm/classroom/README.md']);
    for (const guide of guides) expect(existsSync(join(repoRoot, guide)), guide).toBe(true);
  });

  it('name isolab vm first for every cgroup v2 and delegation lock, before the manual routes', async () => {
    const reports = (await reportsOfEveryFixture()).filter((report) => report.labVm.supported);
    expect(reports.length).toBeGreaterThan(10);
    for (const report of reports) {
      for (const key of liftedByLabVm) {
        const remedy = remedyFor(key, report);
        expect(remedy, `${report.environment.summary}: ${key}`).toMatch(/: run it in a lab VM \(a cgroup v2 kernel under qemu, this machine untouched\): isolab vm(, once [^;]+ installed \(apt-get install [^)]+\))?(;|$)/);
        // The routes this machine had before stay, after it.
        const rest = remedy.slice(remedy.indexOf('isolab vm'));
        for (const route of ['classroom VM', 'doctor --fix', 'Delegate=', 'privileged', 'remount', 'wslconfig', 'unified_cgroup_hierarchy']) {
          if (remedy.includes(route)) expect(rest, `${key}: ${route}`).toContain(route);
        }
      }
    }
  });

  it('say what the lab VM waits for where it cannot start yet, and do not name it where it cannot run (arm64)', async () => {
    const reports = await reportsOfEveryFixture();
    const waiting = reports.find((report) => report.labVm.supported && !report.labVm.qemu)!;
    expect(remedyFor('cgroup2', waiting)).toContain('isolab vm, once qemu and busybox-static are installed (apt-get install qemu-system-x86 busybox-static)');
    const arm = reports.filter((report) => !report.labVm.supported);
    expect(arm.length).toBeGreaterThan(0);
    for (const report of arm) for (const key of liftedByLabVm) expect(remedyFor(key, report)).not.toMatch(/isolab vm|lab VM/);
  });

  it('leave the locks a lab VM does not lift as they were: root, cgroup v1, namespaces, tools', async () => {
    for (const report of await reportsOfEveryFixture()) {
      for (const key of ['root', 'cgroup1:memory', 'ns:user', 'ns:net', 'tool:ip', 'loop-device', 'btf']) expect(remedyFor(key, report)).not.toMatch(/isolab vm|lab VM/);
    }
  });
});

