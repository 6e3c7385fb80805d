import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureSystem, type BpfProgramTypes, type Probes } from '../system/index.js';
import { readEbpf, requestedLsms, type BpfLsmReading } from './ebpf.js';
import { parseKernelConfig, readKernelConfig } from './kernel-config.js';
import { readKernel } from './kernel.js';

const release = '6.8.0-51-generic';
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const mountLine = {
  securityfs: '36 25 0:7 / /sys/kernel/security rw,nosuid,nodev,noexec,relatime shared:8 - securityfs securityfs rw',
  tracefs: '40 25 0:12 / /sys/kernel/tracing rw,nosuid,nodev,noexec,relatime shared:16 - tracefs tracefs rw',
  debugfs: '41 25 0:13 / /sys/kernel/debug rw,nosuid,nodev,noexec,relatime shared:17 - debugfs debugfs rw',
  bpffs: '42 25 0:14 / /sys/fs/bpf rw,nosuid,nodev,noexec,relatime shared:18 - bpf bpf rw,mode=700',
  ciliumBpffs: '43 25 0:15 / /run/cilium/bpffs rw,relatime shared:19 - bpf bpf rw',
};

interface Machine {
  mounts?: Array<keyof typeof mountLine>;
  lsm?: string;
  cmdline?: string;
  /** Kernel config text, at /proc/config.gz (`proc`) or /boot/config-<release> (`boot`). */
  config?: { at: 'proc' | 'boot' | 'other-boot'; text: string };
  events?: string[];
  kprobeEvents?: boolean;
  unprivileged?: string;
  /** An executable /usr/sbin/bpftool on PATH. */
  bpftool?: boolean;
}

/** A fake machine tree with only what the eBPF layer reads. */
function machine(spec: Machine) {
  const dir = mkdtempSync(join(tmpdir(), 'isolab-ebpf-'));
  dirs.push(dir);
  const write = (path: string, content: string | Buffer) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  };
  write('proc/sys/kernel/osrelease', `${release}\n`);
  write('proc/cmdline', `${spec.cmdline ?? 'BOOT_IMAGE=/vmlinuz root=/dev/sda1 ro quiet'}\n`);
  write('proc/self/mountinfo', `${(spec.mounts ?? []).map((name) => mountLine[name]).join('\n')}\n`);
  if (spec.lsm !== undefined) write('sys/kernel/security/lsm', spec.lsm);
  if (spec.config?.at === 'proc') write('proc/config.gz', gzipSync(spec.config.text));
  if (spec.config?.at === 'boot') write(`boot/config-${release}`, spec.config.text);
  if (spec.config?.at === 'other-boot') write('boot/config-6.1.0-28-amd64', spec.config.text);
  for (const event of spec.events ?? []) mkdirSync(join(dir, 'sys/kernel/tracing/events', event), { recursive: true });
  if (spec.kprobeEvents) write('sys/kernel/tracing/kprobe_events', '');
  if (spec.unprivileged !== undefined) write('proc/sys/kernel/unprivileged_bpf_disabled', spec.unprivileged);
  if (spec.bpftool) {
    write('usr/sbin/bpftool', '#!/bin/sh\n');
    chmodSync(join(dir, 'usr/sbin/bpftool'), 0o755);
  }
  return fixtureSystem(dir, spec.bpftool ? { PATH: '/usr/sbin:/usr/bin' } : {});
}

/** What bpftool's probe answers (null: no answer), and how often it was asked. */
function probesOf(euid: number, programTypes: BpfProgramTypes | null) {
  const asked = { count: 0 };
  const probes: Probes = {
    euid,
    namespaces: async () => ({}),
    sudo: async () => 'root',
    delegation: async () => ({ working: [] }),
    bpfProgramTypes: async () => {
      asked.count += 1;
      return programTypes;
    },
  };
  return { probes, asked };
}

async function ebpfOf(spec: Machine, reading: BpfLsmReading = 'always', euid = 0, programTypes: BpfProgramTypes | null = null) {
  const system = machine(spec);
  return readEbpf(system, readKernel(system), { bpfLsm: reading, probes: probesOf(euid, programTypes).probes });
}

const config = (...lines: string[]) => `#\n# Automatically generated file; DO NOT EDIT.\n#\n${lines.join('\n')}\n`;
const ubuntuConfig = config('CONFIG_BPF_SYSCALL=y', 'CONFIG_BPF_JIT=y', 'CONFIG_BPF_LSM=y', 'CONFIG_LSM="landlock,lockdown,yama,integrity,apparmor"', '# CONFIG_KPROBES is not set');
const debianConfig = config('CONFIG_BPF_LSM=y', 'CONFIG_LSM="landlock,lockdown,yama,loadpin,safesetid,integrity,apparmor,selinux,smack,tomoyo,bpf"', 'CONFIG_KPROBE_EVENTS=y');
const noBpfLsmConfig = config('CONFIG_BPF_SYSCALL=y', '# CONFIG_BPF_LSM is not set', 'CONFIG_LSM="landlock,lockdown,yama,integrity,selinux,bpf"');

describe('the kernel config', () => {
  it('keeps set options with quotes taken off, and leaves out what is not set', () => {
    const values = parseKernelConfig(config('CONFIG_BPF_LSM=y', 'CONFIG_LSM="landlock,bpf"', '# CONFIG_KPROBES is not set', 'CONFIG_HZ=250'));
    expect(Object.fromEntries(values)).toEqual({ CONFIG_BPF_LSM: 'y', CONFIG_LSM: 'landlock,bpf', CONFIG_HZ: '250' });
  });

  it('keeps only the options asked for, where names are given', () => {
    const values = parseKernelConfig(config('CONFIG_BPF_JIT=y', 'CONFIG_BPF_JIT_ALWAYS_ON=y', 'CONFIG_LSM="bpf"'), ['CONFIG_BPF_JIT', 'CONFIG_LSM']);
    expect(Object.fromEntries(values)).toEqual({ CONFIG_BPF_JIT: 'y', CONFIG_LSM: 'bpf' });
  });

  it("reads /proc/config.gz, then /boot/config-<release>, and never another kernel's file in /boot", async () => {
    const fromProc = machine({ config: { at: 'proc', text: debianConfig } });
    expect((await readKernelConfig(fromProc, release))?.source).toBe('/proc/config.gz');
    const fromBoot = machine({ config: { at: 'boot', text: debianConfig } });
    expect((await readKernelConfig(fromBoot, release))?.source).toBe(`/boot/config-${release}`);
    expect(await readKernelConfig(machine({ config: { at: 'other-boot', text: debianConfig } }), release)).toBeNull();
  });

  it('is reported with the eBPF options only, null for those not set', async () => {
    const layer = await ebpfOf({ config: { at: 'boot', text: ubuntuConfig } });
    expect(layer.config?.options).toMatchObject({ CONFIG_BPF_LSM: 'y', CONFIG_LSM: 'landlock,lockdown,yama,integrity,apparmor', CONFIG_KPROBE_EVENTS: null });
    expect(Object.keys(layer.config!.options)).not.toContain('CONFIG_KPROBES');
  });
});

describe('lsm= on the kernel command line', () => {
  it('is the last one before --, whose words go to init', () => {
    expect(requestedLsms('root=/dev/sda1 lsm=landlock,bpf quiet')).toEqual(['landlock', 'bpf']);
    expect(requestedLsms('lsm=yama lsm=lockdown,capability,bpf')).toEqual(['lockdown', 'capability', 'bpf']);
    expect(requestedLsms('console=ttyS0 -- lsm=bpf')).toBeNull();
    expect(requestedLsms('security=apparmor quiet')).toBeNull();
  });
});

describe('the BPF LSM', () => {
  it('is active when securityfs lists bpf, and a lesson that requires it needs no kernel config to say so', async () => {
    const layer = await ebpfOf({ mounts: ['securityfs'], lsm: 'lockdown,capability,landlock,yama,apparmor,bpf', config: { at: 'proc', text: debianConfig } }, 'when-needed');
    expect(layer.bpfLsm).toMatchObject({ compiled: true, active: true, source: 'securityfs', list: ['lockdown', 'capability', 'landlock', 'yama', 'apparmor', 'bpf'] });
    expect(layer.securityfs).toBe('/sys/kernel/security');
    expect(layer.config).toBeNull();
  });

  it('is built in but not active where securityfs leaves bpf out and the config has CONFIG_BPF_LSM=y (Ubuntu)', async () => {
    const layer = await ebpfOf({ mounts: ['securityfs'], lsm: 'lockdown,capability,landlock,yama,apparmor', config: { at: 'boot', text: ubuntuConfig } }, 'when-needed');
    expect(layer.bpfLsm).toMatchObject({ compiled: true, active: false, source: 'securityfs' });
    expect(layer.bpfLsm.why).toBe(`bpf is not in the active LSM list (/sys/kernel/security/lsm), and /boot/config-${release} has CONFIG_BPF_LSM=y`);
    // Read where a lesson requires bpf-lsm: whether it is built in changes the remedy.
    expect(layer.config?.source).toBe(`/boot/config-${release}`);
  });

  it('is not active and of unknown build where securityfs leaves bpf out and no config is readable', async () => {
    const layer = await ebpfOf({ mounts: ['securityfs'], lsm: 'lockdown,capability,landlock' });
    expect(layer.bpfLsm).toMatchObject({ compiled: null, active: false, source: 'securityfs' });
  });

  it('is not built in where the config lacks CONFIG_BPF_LSM, even with bpf in CONFIG_LSM', async () => {
    const layer = await ebpfOf({ config: { at: 'proc', text: noBpfLsmConfig } });
    expect(layer.bpfLsm).toMatchObject({ compiled: false, active: false, source: 'config' });
    expect(layer.bpfLsm.why).toContain('this kernel is built without it (/proc/config.gz has no CONFIG_BPF_LSM=y)');
  });

  it('follows lsm= on the command line where securityfs is not mounted', async () => {
    const asked = await ebpfOf({ cmdline: 'root=/dev/vda lsm=lockdown,yama,bpf', config: { at: 'boot', text: ubuntuConfig } });
    expect(asked.bpfLsm).toMatchObject({ compiled: true, active: true, source: 'cmdline', list: ['lockdown', 'yama', 'bpf'] });
    expect(asked.bpfLsm.why).toMatch(/^securityfs is not mounted, so the active LSM list cannot be read; the kernel command line asks for lsm=lockdown,yama,bpf, with bpf/);
    const left = await ebpfOf({ cmdline: 'root=/dev/vda lsm=lockdown,yama', config: { at: 'boot', text: debianConfig } });
    expect(left.bpfLsm).toMatchObject({ compiled: true, active: false, source: 'cmdline' });
    const unknown = await ebpfOf({ cmdline: 'lsm=landlock,bpf' });
    expect(unknown.bpfLsm).toMatchObject({ compiled: null, active: null, source: 'cmdline' });
    expect(unknown.bpfLsm.why).toContain('no readable kernel config tells whether CONFIG_BPF_LSM is built in');
  });

  it("follows the config's CONFIG_LSM default where securityfs is not mounted and there is no lsm= (this project's CI machine)", async () => {
    const layer = await ebpfOf({ config: { at: 'proc', text: debianConfig } }, 'when-needed');
    expect(layer.bpfLsm).toMatchObject({ compiled: true, active: true, source: 'config' });
    expect(layer.bpfLsm.list).toContain('bpf');
    expect(layer.bpfLsm.why).toContain('CONFIG_LSM in /proc/config.gz lists bpf');
    const ubuntu = await ebpfOf({ config: { at: 'boot', text: ubuntuConfig } });
    expect(ubuntu.bpfLsm).toMatchObject({ compiled: true, active: false, source: 'config' });
    expect(ubuntu.bpfLsm.why).toContain('leaves bpf out');
  });

  it('is left unknown without securityfs where no lesson asks for it: the config is not read', async () => {
    const layer = await ebpfOf({ config: { at: 'proc', text: debianConfig } }, 'never');
    expect(layer.bpfLsm).toMatchObject({ compiled: null, active: null, source: 'none' });
    expect(layer.config).toBeNull();
  });

  it('is unknown with nothing to read, and says where the answer would come from', async () => {
    const layer = await ebpfOf({});
    expect(layer.bpfLsm).toEqual({
      compiled: null,
      active: null,
      list: null,
      source: 'none',
      why: 'securityfs is not mounted, so the active LSM list cannot be read; there is no lsm= on the kernel command line and no readable kernel config (/proc/config.gz or /boot/config-<release>)',
      lsmWithBpf: null,
      programsLoad: null,
      programsWhy: 'unknown: bpftool is not on PATH',
    });
    expect(layer.securityfs).toBeNull();
    expect(layer.config).toBeNull();
  });

  it('names securityfs mounted but its lsm file unreadable', async () => {
    const layer = await ebpfOf({ mounts: ['securityfs'] });
    expect(layer.bpfLsm.why).toMatch(/^\/sys\/kernel\/security\/lsm could not be read; there is no lsm=/);
  });
});

describe('whether LSM programs load', () => {
  const listed = { mounts: ['securityfs'] as Array<keyof typeof mountLine>, lsm: 'lockdown,capability,landlock,bpf', bpftool: true };
  const refused = { kprobe: true, tracepoint: true, raw_tracepoint: true, tracing: false, lsm: false, xdp: true };

  it("is bpftool's answer: a kernel may list bpf as active and refuse its programs (this project's CI machine)", async () => {
    const layer = await ebpfOf(listed, 'always', 0, refused);
    expect(layer.bpfLsm).toMatchObject({ active: true, programsLoad: false });
    expect(layer.bpfLsm.programsWhy).toBe(
      'bpftool -j feature probe kernel: lsm programs do not load (have_lsm_prog_type false), although bpf is in the active LSM list; tracing (fentry/fexit) programs, which attach through BPF trampolines as LSM programs do, are refused too',
    );
    expect(layer.programTypes).toEqual({ tracepoint: true, raw_tracepoint: true, kprobe: true, tracing: false, lsm: false });
  });

  it('loads where bpftool says so', async () => {
    const layer = await ebpfOf(listed, 'when-needed', 0, { ...refused, tracing: true, lsm: true });
    expect(layer.bpfLsm).toMatchObject({ programsLoad: true, programsWhy: 'bpftool -j feature probe kernel: lsm programs load' });
  });

  it('is unknown, with the reason, where the probe has no answer', async () => {
    expect((await ebpfOf(listed, 'always', 0, null)).bpfLsm).toMatchObject({ programsLoad: null, programsWhy: 'unknown: bpftool -j feature probe kernel failed or named no lsm program type' });
    expect((await ebpfOf({ ...listed, bpftool: false }, 'always', 0, null)).bpfLsm.programsWhy).toBe('unknown: bpftool is not on PATH');
    expect((await ebpfOf(listed, 'always', 1000, null)).bpfLsm.programsWhy).toBe('unknown: only root can load the trial programs');
  });

  it('is probed where a lesson needs it only when bpf is active, and never by default or for the config alone', async () => {
    const count = async (spec: Machine, reading: BpfLsmReading) => {
      const system = machine(spec);
      const { probes, asked } = probesOf(0, refused);
      const layer = await readEbpf(system, readKernel(system), { bpfLsm: reading, probes });
      return { asked: asked.count, layer };
    };
    expect((await count(listed, 'when-needed')).asked).toBe(1);
    const inactive = await count({ ...listed, lsm: 'lockdown,capability,landlock' }, 'when-needed');
    expect(inactive).toMatchObject({ asked: 0, layer: { bpfLsm: { programsLoad: null, programsWhy: 'not probed: the BPF LSM is not active' }, programTypes: null } });
    expect((await count(listed, 'never')).layer.bpfLsm.programsWhy).toBe('not probed: no lesson that needs the BPF LSM is gated here');
    expect((await count(listed, 'never')).asked).toBe(0);
    // A lesson that asks what the config says reads it, and loads nothing.
    const configOnly = await count({ ...listed, config: { at: 'proc', text: debianConfig } }, 'config');
    expect(configOnly).toMatchObject({ asked: 0, layer: { config: { source: '/proc/config.gz', options: { CONFIG_BPF_LSM: 'y' } } } });
  });
});

describe('the lsm= that adds bpf', () => {
  it('keeps what the kernel was asked for: lsm= first, then CONFIG_LSM (which names integrity, absent from the active list)', async () => {
    const ubuntu = await ebpfOf({ mounts: ['securityfs'], lsm: 'lockdown,capability,landlock,yama,apparmor', config: { at: 'boot', text: ubuntuConfig } });
    expect(ubuntu.bpfLsm.lsmWithBpf).toEqual({ value: 'landlock,lockdown,yama,integrity,apparmor,bpf', from: 'config' });
    const booted = await ebpfOf({ mounts: ['securityfs'], lsm: 'lockdown,capability,yama', cmdline: 'ro lsm=lockdown,yama', config: { at: 'boot', text: ubuntuConfig } });
    expect(booted.bpfLsm.lsmWithBpf).toEqual({ value: 'lockdown,yama,bpf', from: 'cmdline' });
  });

  it('falls back to the active list without capability, which is always on, and is null where bpf is active', async () => {
    const bare = await ebpfOf({ mounts: ['securityfs'], lsm: 'lockdown,capability,landlock,yama,apparmor' });
    expect(bare.bpfLsm.lsmWithBpf).toEqual({ value: 'lockdown,landlock,yama,apparmor,bpf', from: 'securityfs' });
    const on = await ebpfOf({ mounts: ['securityfs'], lsm: 'lockdown,capability,bpf' });
    expect(on.bpfLsm.lsmWithBpf).toBeNull();
  });
});

describe('tracing', () => {
  it('has tracepoints and kprobe events where tracefs is mounted with both', async () => {
    const layer = await ebpfOf({ mounts: ['tracefs'], events: ['sched', 'syscalls'], kprobeEvents: true });
    expect(layer.tracing).toEqual({ tracefs: '/sys/kernel/tracing', tracepoints: true, kprobeEvents: true, why: 'tracefs is mounted at /sys/kernel/tracing with tracepoints and kprobe events' });
  });

  it('has tracepoints without kprobe events on a kernel built without kprobes', async () => {
    const layer = await ebpfOf({ mounts: ['tracefs'], events: ['sched'] });
    expect(layer.tracing).toMatchObject({ tracepoints: true, kprobeEvents: false });
  });

  it("is not looked into by an ordinary user: tracefs is root's", async () => {
    const layer = await ebpfOf({ mounts: ['tracefs'], events: ['sched'], config: { at: 'proc', text: ubuntuConfig } }, 'always', 1000);
    expect(layer.tracing).toEqual({ tracefs: '/sys/kernel/tracing', tracepoints: null, kprobeEvents: false, why: 'tracefs is mounted at /sys/kernel/tracing, which only root may look into' });
  });

  it('has no tracepoints where events/ is empty', async () => {
    const layer = await ebpfOf({ mounts: ['tracefs'], kprobeEvents: true });
    expect(layer.tracing).toMatchObject({ tracepoints: false, why: 'tracefs is mounted at /sys/kernel/tracing, with no tracepoints under events/ and kprobe events' });
  });

  it("is unknown where tracefs is not mounted, with kprobe events from the config, and leaves debugfs's automount untouched", async () => {
    const layer = await ebpfOf({ mounts: ['debugfs'], config: { at: 'proc', text: debianConfig } });
    expect(layer.tracing).toMatchObject({ tracefs: null, tracepoints: null, kprobeEvents: true });
    expect(layer.tracing.why).toBe('tracefs is not mounted (debugfs is, at /sys/kernel/debug: its tracing/ would mount tracefs on first use, which isolab does not trigger)');
    expect((await ebpfOf({})).tracing).toEqual({ tracefs: null, tracepoints: null, kprobeEvents: null, why: 'tracefs is not mounted' });
  });
});

describe('bpffs and the unprivileged-bpf sysctl', () => {
  it('lists every bpf filesystem mounted, /sys/fs/bpf or a runtime of its own', async () => {
    expect((await ebpfOf({ mounts: ['bpffs', 'ciliumBpffs'] })).bpffs).toEqual(['/sys/fs/bpf', '/run/cilium/bpffs']);
    expect((await ebpfOf({})).bpffs).toEqual([]);
  });

  it('reads kernel.unprivileged_bpf_disabled, null where unreadable', async () => {
    expect((await ebpfOf({ unprivileged: '2\n' })).unprivilegedBpfDisabled).toBe(2);
    expect((await ebpfOf({})).unprivilegedBpfDisabled).toBeNull();
  });
});
