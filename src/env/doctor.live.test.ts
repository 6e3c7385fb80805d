// doctor on this machine, checked against facts read independently of src/env.
import { execaSync } from 'execa';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { freshHome, isolab } from '../../test/helpers/cli.js';

const report = JSON.parse(isolab(['doctor', '--json'], { home: freshHome() }).stdout);
const statType = (path: string) => {
  try {
    return execaSync('stat', ['-fc', '%T', path]).stdout.trim();
  } catch {
    return 'missing';
  }
};
const expectedMode = statType('/sys/fs/cgroup') === 'cgroup2fs' ? 'v2' : statType('/sys/fs/cgroup/unified') === 'cgroup2fs' ? 'hybrid' : 'v1';
const firecracker = /--firecracker-init|-fc-/.test(readFileSync('/proc/cmdline', 'utf8') + readFileSync('/proc/sys/kernel/osrelease', 'utf8'));

describe('isolab doctor on this machine', () => {
  it('reports the cgroup mode that stat sees', () => {
    expect(report.cgroup.mode).toBe(expectedMode);
  });

  it('reports root as id -u does', () => {
    expect(report.privileges.root).toBe(execaSync('id', ['-u']).stdout.trim() === '0');
  });

  it.skipIf(process.geteuid?.() !== 0)('as an ordinary user, says per namespace kind which ones it may create', () => {
    const run = execaSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, 'dist/isolab.js', 'doctor', '--json'], {
      env: { ISOLAB_HOME: '/nonexistent-isolab-home' },
    });
    const asNobody = JSON.parse(run.stdout);
    expect(asNobody.privileges.root).toBe(false);
    // Without a user namespace, an ordinary user may not make a UTS namespace (CAP_SYS_ADMIN).
    expect(asNobody.namespaces.uts).toBe(false);
    expect(Object.keys(asNobody.namespaces).sort()).toEqual(['cgroup', 'ipc', 'mnt', 'net', 'pid', 'time', 'user', 'uts']);
  });

  it.skipIf(!firecracker)('calls a Firecracker VM a vm, not a container, with the evidence, and disregards a stale /.dockerenv', () => {
    expect(report.environment.kind).toBe('vm');
    expect(report.environment.vm).toBe('firecracker');
    expect(report.environment.container).toBe('none');
    expect(report.environment.evidence.join('\n')).toMatch(/hypervisor flag/);
    if (existsSync('/.dockerenv')) expect(report.environment.disregarded.join('\n')).toMatch(/\/\.dockerenv exists, but nothing else says container/);
  });

  it('reports what a lab VM would boot here, as the files and PATH say', () => {
    const { labVm } = report;
    const which = execaSync('sh', ['-c', 'command -v qemu-system-x86_64 || true']).stdout.trim();
    expect(labVm.qemu).toBe(which || null);
    expect(labVm.kvm.device).toBe(existsSync('/dev/kvm'));
    const release = readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim();
    if (!existsSync(`/boot/vmlinuz-${release}`) && !existsSync(`/lib/modules/${release}/vmlinuz`)) {
      expect(labVm.hostKernelUnusable).toContain(`this machine's kernel ${release} is not in /boot`);
      expect(labVm.kernel?.source ?? 'distribution').toBe('distribution');
    }
    // Only a recorded trial says KVM works, never the device alone.
    if (labVm.acceleration === 'kvm') expect(existsSync(`${labVm.cacheDir}/lab-vm/kvm-trial.json`)).toBe(true);
    expect(labVm.canStart).toBe(labVm.missing.length === 0 && labVm.supported);
  });

  it('says in its text whether a lab VM can start here, how it would run, and what it lacks', () => {
    const text = isolab(['doctor'], { home: freshHome() }).stdout;
    const section = text.slice(text.indexOf('Lab VM (isolab vm)'), text.indexOf('What you can do here'));
    expect(section).toMatch(report.labVm.canStart ? /✓ can start here/ : /✗ cannot start/);
    if (report.labVm.supported) expect(section).toContain(`acceleration: ${report.labVm.kvm.detail}`);
    if (report.labVm.kernel) expect(section).toContain(report.labVm.kernel.why);
    for (const { what, remedy } of report.labVm.missing) expect(section).toContain(`${what}: ${remedy}`);
  });

  it.skipIf(expectedMode === 'v2')('locks the v2-only lessons with a remedy for this hierarchy', () => {
    const locked = new Map<string, string[]>(report.lessons.locked.map((entry: { id: string; reasons: string[] }) => [entry.id, entry.reasons]));
    for (const id of ['cgroups/create-attach-delete', 'cgroups/memory-limits', 'cgroups/cpu-limits', 'cgroups/pids-limits']) {
      expect(locked.get(id)?.join(' '), id).toMatch(expectedMode === 'hybrid' ? /hybrid layout/ : /cgroup v1/);
      if (report.labVm.supported) expect(locked.get(id)?.join(' '), id).toMatch(/: run it in a lab VM \([^)]*\): isolab vm/);
    }
    expect(report.lessons.available).toContain('cgroups/v1-and-v2');
  });
});
