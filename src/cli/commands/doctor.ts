import chalk from 'chalk';
import { remedyFor, type EnvReport, type LabVmFacts } from '../../env/index.js';
import type { Workbook } from '../../workbook/index.js';
import type { Command } from '../command.js';
import { out } from '../output.js';

export const doctor: Command = {
  name: 'doctor',
  usage: 'doctor [--json] [--fix [--yes]]',
  summary: 'what this machine is, what the kernel lets isolab do, and which lessons can run here',
  example: 'isolab doctor --json',
  async run(context) {
    if (context.flags.fix) {
      const { fixNesting } = await import('./doctor-fix.js');
      return fixNesting(context);
    }
    const workbook = await context.workbook({ fullProbe: true });
    const document = doctorDocument(workbook);
    out(context.flags.json ? JSON.stringify(document, null, 2) : formatDoctor(workbook.env, document.lessons, workbook));
    return 0;
  },
};

export function doctorDocument(workbook: Workbook) {
  const locked = workbook.catalog.lessons
    .map((lesson) => ({ id: lesson.id, reasons: workbook.gate(lesson).reasons }))
    .filter((entry) => entry.reasons.length > 0);
  const available = workbook.catalog.lessons.filter((lesson) => workbook.gate(lesson).available).map((lesson) => lesson.id);
  return { version: 1, ...workbook.env, capabilities: [...workbook.capabilities].sort(), lessons: { available, locked } };
}

const mark = (ok: boolean | null) => (ok === null ? chalk.yellow('?') : ok ? chalk.green('✓') : chalk.red('✗'));

function formatDoctor(env: EnvReport, lessons: { available: string[]; locked: Array<{ id: string; reasons: string[] }> }, workbook: Workbook): string {
  const { environment, kernel, vm, container, cgroup, privileges } = env;
  const lines: string[] = [chalk.bold(environment.summary), ''];
  const section = (title: string) => lines.push(chalk.bold(title));
  const line = (ok: boolean | null, text: string) => lines.push(`  ${mark(ok)} ${text}`);
  const note = (text: string) => lines.push(chalk.dim(`      ${text}`));
  // A fact no lesson requires: neither a pass nor a failure.
  const fact = (text: string) => lines.push(`  ${chalk.dim('·')} ${text}`);

  section('Machine');
  line(true, `kernel ${kernel.release}${kernel.flavour !== 'distro' ? ` (${kernel.flavour})` : ''}`);
  line(vm.detected === null ? null : true, vm.detected ? `virtual machine: ${vm.hypervisor}` : vm.detected === false ? 'bare metal' : 'virtualization unknown');
  for (const evidence of vm.evidence) note(evidence);
  line(true, container.kind === 'none' ? 'not a container' : `container: ${container.kind}`);
  for (const evidence of container.evidence) note(evidence);
  for (const disregarded of container.disregarded) note(`disregarded: ${disregarded}`);
  if (environment.product !== 'none') line(true, `product: ${environment.product}`);

  section('Cgroups');
  line(cgroup.mode === 'v2', `mode ${cgroup.mode}${cgroup.v2Mount ? ` (cgroup2 at ${cgroup.v2Mount})` : ''}`);
  if (cgroup.own.v2 !== null) note(`your cgroup: ${cgroup.own.v2}`);
  if (cgroup.mode === 'v2') {
    line(cgroup.controllers.available.length > 0, `controllers available: ${cgroup.controllers.available.join(' ') || 'none'}; enabled for children: ${cgroup.controllers.enabled.join(' ') || 'none'}`);
  }
  line(cgroup.delegation.status === 'ok', `delegation ${cgroup.delegation.status}${cgroup.delegation.controllers.length ? `: ${cgroup.delegation.controllers.join(' ')}` : ''}`);
  note(cgroup.delegation.why);
  if (cgroup.v1Controllers.length > 0) line(true, `v1 controllers usable: ${cgroup.v1Controllers.join(' ')}`);

  section('Privileges');
  line(privileges.root, privileges.root ? `root${privileges.sudoUser !== null ? ` (through sudo, for uid ${privileges.sudoUser})` : ''}` : `uid ${privileges.uid}; sudo: ${privileges.sudo}`);
  line(privileges.capabilities.sysAdmin, `CAP_SYS_ADMIN ${privileges.capabilities.sysAdmin ? 'held' : 'missing'} (CapEff ${privileges.capEff ?? '?'})`);
  const namespaces = Object.entries(env.namespaces);
  if (namespaces.length > 0) line(namespaces.every(([, ok]) => ok), `namespaces: ${namespaces.map(([kind, ok]) => `${ok ? '' : 'no '}${kind}`).join(' ')}`);

  section('Tools and kernel features');
  lines.push(`  ${Object.entries(env.tools).map(([tool, path]) => `${mark(path !== null)} ${tool}`).join('  ')}`);
  lines.push(`  ${Object.entries(env.features).map(([feature, ok]) => `${mark(ok)} ${feature}`).join('  ')}`);

  formatEbpf(env, workbook, section, line, note, fact);
  formatLabVm(env.labVm, section, line, note);

  lines.push('', chalk.bold(`What you can do here: ${lessons.available.length} of ${workbook.catalog.lessons.length} lessons`));
  for (const entry of lessons.locked) {
    const lesson = workbook.catalog.require(entry.id);
    lines.push(`  ${chalk.dim('✗')} ${lesson.short} ${lesson.title}`);
    for (const reason of entry.reasons) note(reason);
  }
  return lines.join('\n');
}

type Line = (ok: boolean | null, text: string) => void;

const unprivilegedBpf: Record<number, string> = {
  0: 'allowed for ordinary users',
  1: 'disabled for ordinary users until reboot',
  2: 'disabled for ordinary users (root may allow it)',
};

const lsmListSays: Record<string, string> = { securityfs: 'active', cmdline: 'lsm= asks for', config: 'CONFIG_LSM asks for', none: '' };

/** Each eBPF fact a lesson may require, with the remedy where it is missing; then the facts that only inform. */
function formatEbpf(env: EnvReport, workbook: Workbook, section: (title: string) => void, line: Line, note: (text: string) => void, fact: (text: string) => void): void {
  const { ebpf, features, tools } = env;
  const remedy = (key: string) => note(remedyFor(key, env));
  section('eBPF');
  line(features.btf, `BTF ${features.btf ? 'at' : 'missing:'} /sys/kernel/btf/vmlinux`);
  if (!features.btf) remedy('btf');
  const { bpfLsm, tracing } = ebpf;
  const lsmState = bpfLsm.active ? 'active' : bpfLsm.active === false ? (bpfLsm.compiled === false ? 'not built in' : 'not active') : 'unknown';
  line(bpfLsm.active, `BPF LSM ${lsmState}${bpfLsm.list ? ` (${lsmListSays[bpfLsm.source]}: ${bpfLsm.list.join(',')})` : ''}`);
  note(bpfLsm.why);
  if (bpfLsm.active !== false) {
    line(bpfLsm.programsLoad, `BPF LSM programs ${bpfLsm.programsLoad ? 'load' : bpfLsm.programsLoad === false ? 'do not load' : 'may or may not load'}`);
    note(bpfLsm.programsWhy);
  }
  if (!workbook.capabilities.has('bpf-lsm')) remedy('bpf-lsm');
  const bpffs = ebpf.bpffs.includes('/sys/fs/bpf');
  line(bpffs, ebpf.bpffs.length > 0 ? `bpffs at ${ebpf.bpffs.join(', ')}` : 'bpffs not mounted');
  if (!bpffs) remedy('bpffs');
  line(tracing.tracepoints ?? (tracing.tracefs ? null : false), `tracing: ${tracing.why}`);
  if (!tracing.tracepoints) remedy('tracing');
  for (const tool of ['bpftrace', 'bpftool', 'clang', 'llc', 'cc']) {
    line(tools[tool] != null, tools[tool] ? `${tool}: ${tools[tool]}` : `${tool} missing`);
    if (!tools[tool]) remedy(`tool:${tool}`);
  }
  const { libbpf } = ebpf;
  const libbpfFound = workbook.capabilities.has('libbpf');
  line(libbpfFound, libbpfFound ? `libbpf development files: ${libbpf.headers}/bpf, ${libbpf.library}` : 'libbpf development files missing');
  if (!libbpfFound) remedy('libbpf');
  if (ebpf.programTypes) {
    const types = Object.entries(ebpf.programTypes);
    fact(`program types that load: ${types.filter(([, loads]) => loads).map(([type]) => type).join(' ') || 'none'}${types.some(([, loads]) => !loads) ? `; refused: ${types.filter(([, loads]) => !loads).map(([type]) => type).join(' ')}` : ''}`);
  }
  fact(ebpf.securityfs ? `securityfs at ${ebpf.securityfs}` : 'securityfs not mounted (where the active LSM list is read: mount -t securityfs securityfs /sys/kernel/security)');
  fact(`kprobe events ${tracing.kprobeEvents ? 'available' : tracing.kprobeEvents === false ? 'not available' : 'unknown'} (no lesson needs them: the track traces through tracepoints)`);
  const sysctl = ebpf.unprivilegedBpfDisabled;
  fact(`kernel.unprivileged_bpf_disabled = ${sysctl ?? '? (unreadable)'}${sysctl !== null && unprivilegedBpf[sysctl] ? `: bpf() ${unprivilegedBpf[sysctl]}` : ''}`);
  if (ebpf.config) {
    fact(`kernel config (${ebpf.config.source}):`);
    note(Object.entries(ebpf.config.options).map(([name, value]) => `${name}=${value ?? 'n'}`).join(' '));
  } else fact('kernel config not readable (/proc/config.gz, /boot/config-<release>)');
}

/** Whether `isolab vm` can start here, what it would boot and how fast, and what it lacks. */
function formatLabVm(labVm: LabVmFacts, section: (title: string) => void, line: Line, note: (text: string) => void): void {
  section('Lab VM (isolab vm)');
  line(labVm.canStart, labVm.canStart ? 'can start here' : labVm.supported ? 'cannot start here yet' : `cannot start on ${labVm.arch}`);
  if (!labVm.supported) {
    for (const { what, remedy } of labVm.missing) line(false, `${what}: ${remedy}`);
    return;
  }
  if (labVm.qemu) line(true, `qemu: ${labVm.qemu}`);
  if (labVm.kernel) {
    line(true, `kernel ${labVm.kernel.release} (${labVm.kernel.source === 'host' ? "this machine's own" : "Debian's"}): ${labVm.kernel.image}`);
    note(labVm.kernel.why);
  }
  line(labVm.acceleration === 'kvm' ? true : null, `acceleration: ${labVm.kvm.detail}`);
  for (const { what, remedy } of labVm.missing) line(false, `missing ${what}: ${remedy}`);
  // A missing kernel is listed last: why not this machine's own goes under it.
  if (!labVm.kernel && labVm.hostKernelUnusable) note(labVm.hostKernelUnusable);
}
