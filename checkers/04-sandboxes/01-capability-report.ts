/**
 * 4.1 Capability reports. The learner's exercises/capability-report/ prints which backend this machine gives a
 * sandbox; each field is compared with isolab's own environment report (probeEnvironment), so a report copied
 * from one machine fails on another (this v1/hybrid host, the v2 lane).
 */
import { join } from 'node:path';
import { probeEnvironment } from '../../src/env/index.js';
import { defineChecker, parseJsonObject, systemPath, todoLeft, withLearnerProgram, writeSolution, type CheckContext, type CheckOutcome } from '../../src/kit/index.js';
import { listNames, readMountInfo, readWords } from '../../src/system/index.js';

const entry = 'exercises/capability-report/main.ts';

const v1Names = new Set(['blkio', 'cpu', 'cpuacct', 'cpuset', 'devices', 'freezer', 'hugetlb', 'memory', 'misc', 'net_cls', 'net_prio', 'perf_event', 'pids', 'rdma']);

/** The truth, from isolab's env report; controllers as the lesson defines "usable". */
async function truth(context: CheckContext) {
  const { system } = context;
  const env = await probeEnvironment(system, { namespaces: [], sudo: false });
  const mode: 'v1' | 'hybrid' | 'v2' | 'none' = env.cgroup.mode === 'unknown' ? 'none' : env.cgroup.mode;
  let controllers: string[] = [];
  if (mode === 'v2' && env.cgroup.v2Mount) {
    controllers = (readWords(join(system.root, env.cgroup.v2Mount, 'cgroup.controllers')) ?? []).sort();
  } else if (mode === 'v1' || mode === 'hybrid') {
    // As root this is env.cgroup.v1Controllers; the same rule, without the euid test, for a learner who is not.
    const found = new Set<string>();
    for (const mount of readMountInfo(system.proc)) {
      if (mount.fsType !== 'cgroup' || mount.options.includes('ro')) continue;
      for (const option of mount.superOptions) if (v1Names.has(option)) found.add(option);
    }
    controllers = [...found].sort();
  }
  const match = /^(\d+)\.(\d+)/.exec(env.kernel.release);
  const pidfd = match ? Number(match[1]) > 5 || (Number(match[1]) === 5 && Number(match[2]) >= 3) : false;
  // No /proc/self/ns reads as no namespaces to report.
  const namespaces = listNames(systemPath(context, '/proc/self/ns')).filter((name) => !name.endsWith('_for_children')).sort();
  return { kernel: env.kernel.release, mode, v2Mount: env.cgroup.v2Mount, controllers, pidfd, namespaces };
}

type Truth = Awaited<ReturnType<typeof truth>>;

/** Runs the report and hands its JSON to `compare`. */
async function withReport(context: CheckContext, compare: (report: Record<string, unknown>, truth: Truth) => CheckOutcome): Promise<CheckOutcome> {
  return withLearnerProgram(context, entry, async (program) => {
    const result = await program.mustRun([]);
    const report = parseJsonObject(result.stdout);
    if (!report) return { pass: false, message: `the report is not a JSON object: ${result.stdout.trim().slice(0, 80)}`, hint: 'main.ts prints JSON.stringify(report); keep other output on stderr.' };
    return compare(report, await truth(context));
  });
}

const show = (value: unknown) => JSON.stringify(value);
const sameList = (a: unknown, b: string[]) => Array.isArray(a) && show([...a].sort()) === show(b);

/** The report's `cgroup` object; what is not one has no fields. */
const cgroupOf = (report: Record<string, unknown>) => (report.cgroup ?? {}) as Record<string, unknown>;

export default defineChecker({
  checks: [
    {
      id: 'cgroup-mode',
      title: 'the report names the cgroup mode and the cgroup2 mount as isolab sees them',
      tag: 'observe',
      run: (context) =>
        withReport(context, (report, t) => {
          const cgroup = cgroupOf(report);
          const observed = { reported: { mode: cgroup.mode, v2Mount: cgroup.v2Mount }, isolab: { mode: t.mode, v2Mount: t.v2Mount } };
          if (cgroup.mode !== t.mode) {
            const hint =
              t.mode === 'hybrid'
                ? `cgroup2 is mounted at ${t.v2Mount}, not at /sys/fs/cgroup, and v1 hierarchies sit beside it: that is hybrid. Look at the fsType and mount point of every cgroup line in /proc/self/mountinfo.`
                : t.mode === 'v2'
                  ? 'A cgroup2 filesystem is mounted at /sys/fs/cgroup: that is v2, whatever else is mounted.'
                  : `Look at the cgroup lines of /proc/self/mountinfo: findmnt -t cgroup,cgroup2 shows them.`;
            return { pass: false, message: `your report says cgroup mode ${show(cgroup.mode)}; isolab sees ${t.mode}`, observed, hint };
          }
          if ((cgroup.v2Mount ?? null) !== t.v2Mount) {
            return { pass: false, message: `your report says the cgroup2 mount is ${show(cgroup.v2Mount)}; isolab sees ${show(t.v2Mount)}`, observed, hint: 'findmnt -t cgroup2 shows where cgroup2 is mounted (null when it is not).' };
          }
          return { pass: true, message: `cgroup ${t.mode}, cgroup2 at ${t.v2Mount ?? 'nowhere'}`, observed };
        }),
    },
    {
      id: 'controllers',
      title: 'the report lists the controllers a sandbox can use here',
      tag: 'observe',
      run: (context) =>
        withReport(context, (report, t) => {
          const listed = cgroupOf(report).controllers;
          const observed = { reported: listed, isolab: t.controllers };
          if (sameList(listed, t.controllers)) return { pass: true, message: `controllers: ${t.controllers.join(' ') || '(none)'}`, observed };
          const have = Array.isArray(listed) ? listed.map(String) : [];
          const missing = t.controllers.filter((name) => !have.includes(name));
          const extra = have.filter((name) => !t.controllers.includes(name));
          const where = t.mode === 'v2' ? `${t.v2Mount}/cgroup.controllers` : 'the super options of the v1 cgroup lines in /proc/self/mountinfo (not read-only)';
          return {
            pass: false,
            message: `your report lists ${show(listed)}; ${missing.length > 0 ? `missing ${missing.join(' ')}` : ''}${missing.length > 0 && extra.length > 0 ? ', ' : ''}${extra.length > 0 ? `not usable here: ${extra.join(' ')}` : ''}`,
            observed,
            hint: `On cgroup ${t.mode} the usable controllers come from ${where}; sort them.`,
          };
        }),
    },
    {
      id: 'pidfd',
      title: 'the report says whether pidfd is available, from the kernel release',
      tag: 'observe',
      run: (context) =>
        withReport(context, (report, t) => {
          const observed = { reported: report.pidfd, kernel: t.kernel, isolab: t.pidfd };
          if (report.pidfd === t.pidfd) return { pass: true, message: `pidfd ${t.pidfd ? 'available' : 'not available'} (kernel ${t.kernel})`, observed };
          return {
            pass: false,
            message: `your report says pidfd ${show(report.pidfd)}; kernel ${t.kernel} ${t.pidfd ? 'has' : 'does not show'} it`,
            observed,
            hint: `Compare major and minor as numbers, not as strings ("${t.kernel.split('-')[0]}" against 5.3): "10" < "5" as text.`,
          };
        }),
    },
    {
      id: 'namespaces',
      title: 'the report lists the namespace kinds this kernel has',
      tag: 'observe',
      run: (context) =>
        withReport(context, (report, t) => {
          const observed = { reported: report.namespaces, isolab: t.namespaces };
          if (sameList(report.namespaces, t.namespaces)) return { pass: true, message: `namespaces: ${t.namespaces.join(' ')}`, observed };
          const listed = Array.isArray(report.namespaces) ? report.namespaces.map(String) : [];
          const children = listed.filter((name) => name.endsWith('_for_children'));
          return {
            pass: false,
            message: `your report lists ${show(report.namespaces)}; /proc/self/ns has ${t.namespaces.join(' ')}`,
            observed,
            hint: children.length > 0 ? `${children.join(', ')} are not kinds of their own: they name the namespace the next child gets. Leave them out.` : 'ls /proc/self/ns: one entry per kind, without the *_for_children ones, sorted.',
          };
        }),
    },
    {
      id: 'strict',
      title: '--strict refuses a machine without cgroup v2, and only such a machine',
      tag: 'observe',
      run: (context) =>
        withLearnerProgram(context, entry, async (program) => {
          const t = await truth(context);
          const result = await program.run(['--strict']);
          const said = (result.stderr || '').trim().split('\n')[0] ?? '';
          const observed = { mode: t.mode, exitCode: result.exitCode, stderr: said };
          if (todoLeft(result)) return { ...program.explain(result), observed };
          if (t.mode !== 'v2') {
            if (result.exitCode === 0) return { pass: false, message: `--strict exited 0 on cgroup ${t.mode}`, observed, hint: 'Strict mode must refuse (exit non-zero, the reason on stderr) when cgroup v2 is missing.' };
            if (!/v2/.test(said)) return { pass: false, message: `--strict exited ${result.exitCode} but did not say why: ${show(said)}`, observed, hint: 'Name the reason on stderr: cgroup v2 is missing, and what the machine has instead.' };
            return { pass: true, message: `--strict refuses cgroup ${t.mode}: ${said}`, observed };
          }
          if (result.exitCode !== 0) return { pass: false, message: `--strict exited ${result.exitCode} on a cgroup v2 machine: ${said}`, observed, hint: 'Strict mode refuses only when cgroup v2 is missing; this machine has it.' };
          return { pass: true, message: '--strict runs on cgroup v2', observed };
        }),
    },
  ],

  // The report only reads: no setup, nothing to clean up.
  async solution(context) {
    writeSolution(context, { from: 'checkers/04-sandboxes/solutions/capability-report', to: 'exercises/capability-report', files: ['report.ts'] });
  },
});
