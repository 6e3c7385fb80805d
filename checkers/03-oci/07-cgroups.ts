import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CgroupManager } from '../../src/cgroup/index.js';
import { defineChecker, type CheckContext, type CheckOutcome } from '../../src/verify/index.js';
import { bundleDir, deleteContainer, detached, prepareBundle, readSpec, removeLab, requireRunning, runc, runcSaid, specForCheck, writeSpec } from './lib/runc.js';

const bundle = bundleDir('cgroup');
const id = 'isolab-cg';
const cgroup = 'isolab/oci';
const memoryLimit = 64 * 1024 * 1024;
const pidsLimit = 32;

const manager = () => new CgroupManager();
/** The cgroup's directory on the unified hierarchy (this lesson runs on cgroup v2 only). */
const cgroupDir = () => manager().backend.directories(cgroup)[0] ?? join('/sys/fs/cgroup', cgroup);
const readControl = (file: string) => {
  const path = join(cgroupDir(), file);
  return existsSync(path) ? readFileSync(path, 'utf8').trim() : null;
};
const keyed = (file: string): Record<string, number> => Object.fromEntries((readControl(file) ?? '').split('\n').filter(Boolean).map((line) => [line.split(' ')[0]!, Number(line.split(' ')[1])]));

/** The container, running, in isolab/oci; otherwise a failed outcome that says which of those is missing. */
async function inLabCgroup(context: CheckContext): Promise<{ pid: number } | { outcome: CheckOutcome }> {
  const running = await requireRunning(context, id, bundle);
  if ('outcome' in running) return running;
  const { pid } = running.state;
  const line = readFileSync(join(context.system.proc, String(pid), 'cgroup'), 'utf8').split('\n').find((entry) => entry.startsWith('0::'));
  const path = line?.slice(3) ?? null;
  if (path !== `/${cgroup}`) {
    const read = specForCheck(bundle, '3.7');
    const configured = 'spec' in read ? read.spec.linux?.cgroupsPath : undefined;
    return {
      outcome: {
        pass: false,
        message: `the container's process is in ${path ?? 'no v2 cgroup'}, not /${cgroup}`,
        observed: { cgroup: path, cgroupsPath: configured ?? null },
        hint: configured
          ? `config.json says cgroupsPath ${configured}: it must be "/${cgroup}" (absolute, from the root of the cgroup tree). Delete and run the container again after the edit.`
          : `Without cgroupsPath, runc makes a cgroup named after the container beside its own. Set "cgroupsPath": "/${cgroup}" in linux, then delete and run the container again.`,
      },
    };
  }
  return { pid };
}

export default defineChecker({
  checks: [
    {
      id: 'cgroup-path',
      title: `${id} runs in the pre-made cgroup ${cgroup}`,
      tag: 'observe',
      async run(context) {
        const found = await inLabCgroup(context);
        if ('outcome' in found) return found.outcome;
        const procs = (readControl('cgroup.procs') ?? '').split('\n').filter(Boolean).map(Number);
        return { pass: true, message: `/proc/${found.pid}/cgroup reads 0::/${cgroup}; ${cgroupDir()}/cgroup.procs holds ${procs.join(', ')}`, observed: { pid: found.pid, procs } };
      },
    },
    {
      id: 'memory-limit',
      title: `memory.max of ${cgroup} is 64 MiB, and runc reports the same limit`,
      tag: 'observe',
      async run(context) {
        const found = await inLabCgroup(context);
        if ('outcome' in found) return found.outcome;
        const max = readControl('memory.max');
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
      },
    },
    {
      id: 'pids-limit',
      title: `pids.max of ${cgroup} is ${pidsLimit}, and forks past it are refused inside`,
      tag: 'experiment',
      timeoutMs: 60_000,
      async run(context) {
        const found = await inLabCgroup(context);
        if ('outcome' in found) return found.outcome;
        const max = readControl('pids.max');
        if (max !== String(pidsLimit)) {
          return { pass: false, message: `pids.max of ${cgroup} is ${max ?? 'missing'}`, observed: { pidsMax: max }, hint: `Set linux.resources.pids.limit to ${pidsLimit} in config.json, then delete and run the container again.` };
        }
        const before = keyed('pids.events').max ?? 0;
        // Forty short sleepers, more than the limit allows; each is gone in two seconds.
        const fork = await runc(context, ['exec', id, 'sh', '-c', 'for i in $(seq 40); do sleep 2 & done; wait'], 30_000);
        const after = keyed('pids.events').max ?? 0;
        const refused = /can't fork|Resource temporarily unavailable/.test(fork.stderr);
        const observed = { pidsMax: max, refusedBefore: before, refusedAfter: after, shellSaid: fork.stderr.trim().split('\n')[0] ?? '' };
        if (after <= before) return { pass: false, message: `forty forks inside, and pids.events max stayed at ${after}`, observed, hint: 'Is the container really in this cgroup (see cgroup-path)?' };
        return { pass: true, message: `pids.max is ${max}; forty forks inside: ${after - before} refused by the kernel${refused ? ` (${observed.shellSaid})` : ''}`, observed };
      },
    },
  ],

  async setup(context) {
    await prepareBundle(context, bundle);
  },

  async cleanup(context) {
    await removeLab(context, bundle, [id]);
    const cgroups = manager();
    if (cgroups.backend.exists(cgroup)) await cgroups.delete(cgroup, { kill: true });
    if (cgroups.backend.exists('isolab') && cgroups.children('isolab').length === 0) await cgroups.delete('isolab', { kill: true });
  },

  // Steps 1 and 3: the cgroup made beforehand, config.json pointing at it with the limits, then run.
  async solution(context) {
    manager().create(cgroup);
    await prepareBundle(context, bundle);
    const spec = detached(readSpec(bundle), 'isolab-cg');
    spec.linux = { ...spec.linux, cgroupsPath: `/${cgroup}`, resources: { ...spec.linux?.resources, memory: { limit: memoryLimit }, pids: { limit: pidsLimit } } };
    writeSpec(bundle, spec);
    await deleteContainer(context, id);
    const result = await runc(context, ['run', '-d', '--bundle', bundle, id]);
    if (result.exitCode !== 0) throw new Error(`runc run -d: ${runcSaid(result)}`);
  },
});
