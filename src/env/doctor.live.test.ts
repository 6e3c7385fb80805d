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

  it('reports the eBPF facts as mountinfo, /proc, /sys and PATH show them', () => {
    const { ebpf } = report;
    const mountinfo = readFileSync('/proc/self/mountinfo', 'utf8').split('\n');
    const mounted = (type: string) => [...new Set(mountinfo.filter((line) => line.includes(` - ${type} `)).map((line) => line.split(' ')[4]))];
    expect(ebpf.bpffs).toEqual(mounted('bpf'));
    expect(ebpf.tracing.tracefs !== null).toBe(mounted('tracefs').length > 0);
    expect(ebpf.securityfs !== null).toBe(mounted('securityfs').length > 0);
    if (existsSync('/sys/kernel/security/lsm')) {
      const list = readFileSync('/sys/kernel/security/lsm', 'utf8').trim().split(',');
      expect(ebpf.bpfLsm).toMatchObject({ source: 'securityfs', list, active: list.includes('bpf') });
    }
    expect(ebpf.unprivilegedBpfDisabled).toBe(Number(readFileSync('/proc/sys/kernel/unprivileged_bpf_disabled', 'utf8')));
    if (existsSync('/proc/config.gz')) {
      const line = execaSync('sh', ['-c', 'zcat /proc/config.gz | grep "^CONFIG_BPF_LSM=" || true']).stdout.trim();
      expect(ebpf.config.source).toBe('/proc/config.gz');
      expect(ebpf.config.options.CONFIG_BPF_LSM).toBe(line ? line.split('=')[1] : null);
    }
    expect(report.features.btf).toBe(existsSync('/sys/kernel/btf/vmlinux'));
    for (const tool of ['bpftrace', 'bpftool', 'clang', 'llc']) {
      expect(report.tools[tool], tool).toBe(execaSync('sh', ['-c', `command -v ${tool} || true`]).stdout.trim() || null);
    }
    for (const [type, loads] of Object.entries(probedTypes())) if (type in ebpf.programTypes) expect(ebpf.programTypes[type], type).toBe(loads);
    expect(report.capabilities.includes('bpf-lsm')).toBe(ebpf.bpfLsm.active === true && ebpf.bpfLsm.programsLoad !== false);
    expect(report.capabilities.includes('libbpf')).toBe(existsSync('/usr/include/bpf/libbpf.h') && ebpf.libbpf.library !== null);
    expect(report.capabilities.includes('tracing')).toBe(ebpf.tracing.tracepoints === true);
    expect(report.capabilities.includes('bpffs')).toBe(ebpf.bpffs.includes('/sys/fs/bpf'));
  });

  // bpftool's answer as it gives it, run here as doctor runs it (the lsm program type refused on CI's kernel).
  function probedTypes(): Record<string, boolean> {
    const bpftool = execaSync('sh', ['-c', 'command -v bpftool || true']).stdout.trim();
    if (!bpftool || process.geteuid?.() !== 0) return {};
    const types = JSON.parse(execaSync(bpftool, ['-j', 'feature', 'probe', 'kernel']).stdout).program_types as Record<string, boolean>;
    return Object.fromEntries(Object.entries(types).map(([key, loads]) => [key.replace(/^have_(.*)_prog_type$/, '$1'), loads]));
  }

  it.skipIf(!firecracker)("on a Firecracker guest like CI's: BTF, the BPF LSM listed by the kernel's default but its programs refused, no kprobe events", () => {
    expect(report.capabilities).toContain('btf');
    expect(report.ebpf.bpfLsm).toMatchObject({ compiled: true, active: true });
    if (report.tools.bpftool) {
      expect(report.ebpf.bpfLsm.programsLoad, report.ebpf.bpfLsm.programsWhy).toBe(false);
      expect(report.capabilities).not.toContain('bpf-lsm');
    }
    expect(report.ebpf.tracing.kprobeEvents).toBe(false);
    expect(report.ebpf.config.options.CONFIG_KPROBE_EVENTS).toBeNull();
  });

  it('says each eBPF fact in its text, with the remedy of each missing one', () => {
    const text = isolab(['doctor'], { home: freshHome() }).stdout;
    const section = text.slice(text.indexOf('eBPF'), text.indexOf('Lab VM (isolab vm)'));
    expect(section).toContain(report.ebpf.bpfLsm.why);
    expect(section).toContain(report.ebpf.bpfLsm.programsWhy);
    if (report.ebpf.bpfLsm.programsLoad === false) expect(section).toContain('needs BPF LSM programs to load, and this kernel refuses them');
    expect(section).toContain(`tracing: ${report.ebpf.tracing.why}`);
    if (!report.ebpf.tracing.tracefs) expect(section).toContain('mount -t tracefs tracefs /sys/kernel/tracing');
    if (!report.ebpf.bpffs.includes('/sys/fs/bpf')) expect(section).toContain('mount -t bpf bpf /sys/fs/bpf');
    for (const tool of ['bpftrace', 'bpftool', 'clang', 'llc']) if (!report.tools[tool]) expect(section).toContain(`needs ${tool} on PATH`);
    expect(section).toContain(`kernel.unprivileged_bpf_disabled = ${report.ebpf.unprivilegedBpfDisabled}`);
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
