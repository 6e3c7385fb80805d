import { join } from 'node:path';
import { readText, type SystemRoot } from '../system/index.js';

/** PF_KTHREAD in the flags field of /proc/<pid>/stat (include/linux/sched.h). */
const PF_KTHREAD = 0x00200000;

/**
 * The name of a kernel thread, or undefined for a user-space process (or one that is gone). The kernel refuses to
 * move kthreadd and per-CPU kernel threads between cgroups with a bare EINVAL, which reads like a bad value.
 * Older kernels without the flag are told apart by an empty command line and kthreadd (pid 2) for a parent.
 */
export function kernelThreadName(system: SystemRoot, pid: number): string | undefined {
  const stat = readText(join(system.proc, String(pid), 'stat'));
  if (stat === undefined) return undefined;
  const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
  // After the name: state, ppid, pgrp, session, tty_nr, tpgid, flags (proc(5)).
  const fields = stat.slice(stat.lastIndexOf(')') + 1).trim().split(/\s+/);
  const parent = Number(fields[1]);
  const flags = Number(fields[6]);
  if (Number.isFinite(flags) && (flags & PF_KTHREAD) !== 0) return name;
  const cmdline = readText(join(system.proc, String(pid), 'cmdline'));
  return cmdline === '' && (parent === 2 || pid === 2) ? name : undefined;
}
