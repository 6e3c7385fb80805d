import { parseMountInfo } from '../../src/system/index.js';
import { bundleDir, containerCheck, defineChecker, namespaceInodeOf, prepareBundle, readSystemText, removeBundle, runc, runcSaid, runDetached, runningCheck, runningContainer } from '../../src/kit/index.js';
import { listProcesses, namespaceOf, nsPids, readProcess } from '../../src/verify/index.js';

const bundle = bundleDir('run');
const id = 'isolab-run';
const container = { id, bundle };
/** The experiments of step 5: a copy of the bundle, without /proc and without a PID namespace. */
const experiments = { bundle: bundleDir('noproc'), ids: ['isolab-noproc', 'isolab-hostpid'] };

export default defineChecker({
  checks: [
    runningCheck(container, `runc reports ${id} running, from ${bundle}`),
    containerCheck(container, { id: 'pid-namespace', title: 'its process is PID 1 of a PID namespace of its own', tag: 'observe' }, async (context, { pid }) => {
      const inside = namespaceInodeOf(context, pid, 'pid');
      const ours = namespaceInodeOf(context, 'self', 'pid');
      const pids = nsPids(context.system, pid) ?? [];
      const observed = { inside: inside ?? null, ours: ours ?? null, nsPids: pids };
      if (inside === undefined) return { pass: false, message: `cannot read /proc/${pid}/ns/pid`, observed, hint: 'Run isolab as root: reading another process\'s namespaces needs it.' };
      if (inside === ours) {
        return { pass: false, message: `the container shares isolab's PID namespace (pid:[${inside}])`, observed, hint: 'config.json has no { "type": "pid" } in linux.namespaces: put it back, then delete and run the container again.' };
      }
      return { pass: true, message: `host pid ${pid} is pid ${pids.at(-1)} in pid:[${inside}] (isolab is in pid:[${ours}]); NSpid: ${pids.join(' ')}`, observed };
    }),
    containerCheck(container, { id: 'proc-mount', title: 'a proc filesystem is mounted on /proc inside', tag: 'observe' }, async (context, { pid }) => {
      // The container's mount table, as the kernel keeps it for its first process.
      const mounts = parseMountInfo(readSystemText(context, `/proc/${pid}/mountinfo`));
      const proc = mounts.filter((mount) => mount.mountPoint === '/proc');
      const observed = { proc: proc.map((mount) => `${mount.fsType} ${mount.source} ${mount.options.join(',')}`) };
      if (proc.length === 0) return { pass: false, message: 'nothing is mounted on /proc inside', observed, hint: 'Put the { "destination": "/proc", "type": "proc", "source": "proc" } mount back at the top of mounts.' };
      if (proc.at(-1)!.fsType !== 'proc') return { pass: false, message: `/proc inside is a ${proc.at(-1)!.fsType}`, observed, hint: 'The mount at /proc must be of type "proc".' };
      return { pass: true, message: `/proc inside is ${observed.proc.at(-1)}`, observed };
    }),
    containerCheck(container, { id: 'ps-inside', title: 'ps inside lists only the container\'s own processes', tag: 'experiment' }, async (context, { pid }) => {
      const namespace = namespaceOf(context.system, pid, 'pid');
      const members = listProcesses(context.system).filter((entry) => namespaceOf(context.system, entry.pid, 'pid') === namespace);
      const init = readProcess(context.system, pid)?.argv.join(' ') ?? '';
      const ps = await runc(context, ['exec', id, 'ps']);
      if (ps.exitCode !== 0) return { pass: false, message: `runc exec ${id} ps failed: ${runcSaid(ps)}`, observed: {}, hint: 'Is ps in the rootfs (isolab rootfs links it)? Try the command by hand.' };
      const rows = ps.stdout.split('\n').slice(1).map((line) => line.trim().split(/\s+/)).filter((fields) => /^\d+$/.test(fields[0] ?? ''));
      const first = rows.find((fields) => fields[0] === '1');
      const pidOne = first ? first.slice(2).join(' ') : null;
      const observed = { listed: rows.length, inNamespace: members.length, pidOne, init };
      // ps itself (and, for a moment, runc's helper) joins the namespace while it runs.
      if (namespace === namespaceOf(context.system, 'self', 'pid')) {
        return { pass: false, message: `ps inside lists ${rows.length} processes: without a PID namespace of its own, the container's /proc is the host's view`, observed, hint: 'Put { "type": "pid" } back into linux.namespaces, then delete and run the container again.' };
      }
      if (rows.length > members.length + 2) {
        return { pass: false, message: `ps inside lists ${rows.length} processes; the container's PID namespace holds ${members.length}`, observed, hint: 'That /proc shows another PID namespace (the host\'s?): the /proc mount must be a new "proc" mount, made in the container\'s own PID namespace, not a bind of the host\'s /proc.' };
      }
      if (pidOne !== init) return { pass: false, message: `PID 1 inside is "${pidOne}", but the container's process is "${init}"`, observed, hint: 'ps reads /proc: it must be the proc of the container\'s PID namespace.' };
      return { pass: true, message: `ps inside lists ${rows.length} processes, PID 1 is "${pidOne}"; ${members.length} live in that PID namespace`, observed };
    }),
  ],

  setup: (context) => prepareBundle(context, bundle),

  async cleanup(context) {
    await removeBundle(context, experiments.bundle, experiments.ids);
    await removeBundle(context, bundle, [id]);
  },

  // Steps 1 and 2: no terminal, a process that stays, then runc run -d.
  solution: (context) => runDetached(context, bundle, id),
});
