import { readOwnCgroups } from '../../src/cgroup/index.js';
import { bundleDir, cgroup2Path, cgroupPids, containerCheck, defineChecker, failCheck, labCgroup, labCgroups, prepareBundle, readCgroupCounters, readCgroupFile, readSpec, removeBundle, removeLessonCgroup, runc, runDetached, type CheckContext } from '../../src/kit/index.js';

const bundle = bundleDir('cgroup');
const id = 'isolab-cg';
const container = { id, bundle };
const memoryLimit = 64 * 1024 * 1024;
const pidsLimit = 32;

/** The lesson's cgroup, which the container's process must be in (this lesson runs on cgroup v2 only); else the check fails. */
function inLabCgroup(context: CheckContext, pid: number): string {
  const cgroup = labCgroup(context);
  const path = readOwnCgroups(context.system, pid)?.find((line) => line.hierarchy === 0)?.path ?? null;
  if (path === `/${cgroup}`) return cgroup;
  let configured;
  try {
    configured = readSpec(bundle).linux?.cgroupsPath;
  } catch {
    // Where the process is, is the evidence; an unreadable config.json only loses the hint.
  }
  return failCheck({
    message: `the container's process is in ${path ?? 'no v2 cgroup'}, not /${cgroup}`,
    observed: { cgroup: path, cgroupsPath: configured ?? null },
    hint: configured
      ? `config.json says cgroupsPath ${configured}: it must be "/${cgroup}" (absolute, from the root of the cgroup tree). Delete and run the container again after the edit.`
      : `Without cgroupsPath, runc makes a cgroup named after the container beside its own. Set "cgroupsPath": "/${cgroup}" in linux, then delete and run the container again.`,
  });
}

export default defineChecker({
  checks: [
    containerCheck(container, { id: 'cgroup-path', title: `${id} runs in the lesson's pre-made cgroup`, tag: 'observe' }, async (context, { pid }) => {
      const cgroup = inLabCgroup(context, pid);
      const procs = cgroupPids(context, cgroup) ?? [];
      return { pass: true, message: `/proc/${pid}/cgroup reads 0::/${cgroup}; ${cgroup2Path(context, cgroup).shown}/cgroup.procs holds ${procs.join(', ')}`, observed: { pid, procs } };
    }),
    containerCheck(container, { id: 'memory-limit', title: "memory.max of the lesson's cgroup is 64 MiB, and runc reports the same limit", tag: 'observe' }, async (context, { pid }) => {
      const cgroup = inLabCgroup(context, pid);
      const max = readCgroupFile(context, cgroup, 'memory.max') ?? null;
      const events = await runc(context, ['events', '--stats', id]);
      const stats = events.exitCode === 0 ? (JSON.parse(events.stdout) as { data?: { memory?: { usage?: { limit?: number; usage?: number } } } }) : undefined;
      const reported = stats?.data?.memory?.usage?.limit ?? null;
      const observed = { memoryMax: max, runcLimit: reported, usage: stats?.data?.memory?.usage?.usage ?? null };
      if (max === null) return { pass: false, message: `${cgroup} has no memory.max`, observed, hint: `The memory controller is not enabled for it: \`cgroup-tool create ${cgroup}\` enables it in each parent's cgroup.subtree_control.` };
      if (max !== String(memoryLimit)) {
        return { pass: false, message: `memory.max of ${cgroup} is ${max}`, observed, hint: `Set linux.resources.memory.limit to ${memoryLimit} (64 MiB, in bytes) in config.json; runc writes it when the container starts, so delete and run again.` };
      }
      if (reported !== memoryLimit) return { pass: false, message: `memory.max is ${max}, but runc events reports a limit of ${reported}`, observed, hint: 'Did something else write memory.max? runc reads it back from the same file.' };
      return { pass: true, message: `memory.max is ${max} (64 MiB); runc events --stats reports limit ${reported}, usage ${observed.usage}`, observed };
    }),
    containerCheck(container, { id: 'pids-limit', title: `pids.max of the lesson's cgroup is ${pidsLimit}, and forks past it are refused inside`, tag: 'experiment', timeoutMs: 60_000 }, async (context, { pid }) => {
      const cgroup = inLabCgroup(context, pid);
      const max = readCgroupFile(context, cgroup, 'pids.max') ?? null;
      if (max !== String(pidsLimit)) {
        return { pass: false, message: `pids.max of ${cgroup} is ${max ?? 'missing'}`, observed: { pidsMax: max }, hint: `Set linux.resources.pids.limit to ${pidsLimit} in config.json, then delete and run the container again.` };
      }
      const before = readCgroupCounters(context, cgroup, 'pids.events').max ?? 0;
      // Forty short sleepers, more than the limit allows; each is gone in two seconds.
      const fork = await runc(context, ['exec', id, 'sh', '-c', 'for i in $(seq 40); do sleep 2 & done; wait'], 30_000);
      const after = readCgroupCounters(context, cgroup, 'pids.events').max ?? 0;
      const refused = /can't fork|Resource temporarily unavailable/.test(fork.stderr);
      const observed = { pidsMax: max, refusedBefore: before, refusedAfter: after, shellSaid: fork.stderr.trim().split('\n')[0] ?? '' };
      if (after <= before) return { pass: false, message: `forty forks inside, and pids.events max stayed at ${after}`, observed, hint: 'Is the container really in this cgroup (see cgroup-path)?' };
      return { pass: true, message: `pids.max is ${max}; forty forks inside: ${after - before} refused by the kernel${refused ? ` (${observed.shellSaid})` : ''}`, observed };
    }),
  ],

  setup: (context) => prepareBundle(context, bundle),

  async cleanup(context) {
    await removeBundle(context, bundle, [id]);
    await removeLessonCgroup(context);
  },

  // Steps 1 and 3: the cgroup made beforehand, config.json pointing at it with the limits, then run.
  async solution(context) {
    const cgroup = labCgroup(context);
    labCgroups(context).create(cgroup);
    await runDetached(context, bundle, id, (spec) => {
      spec.linux = { ...spec.linux, cgroupsPath: `/${cgroup}`, resources: { ...spec.linux?.resources, memory: { limit: memoryLimit }, pids: { limit: pidsLimit } } };
    });
  },
});
