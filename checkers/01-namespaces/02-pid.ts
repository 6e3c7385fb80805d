import { statSync } from 'node:fs';
import { join } from 'node:path';
import { defineChecker, killLabProcesses, ownNamespaceCheck, requireLabProcesses, startLabProcessCalled, type CheckContext } from '../../src/kit/index.js';
import { listProcesses, namespaceOf, nsPids } from '../../src/verify/index.js';

const name = 'isolab-pid1';
const lab = { name, start: `setsid -f unshare --pid --fork --mount-proc bash -c 'sleep infinity & exec -a ${name} sleep infinity'` };

/** The running candidates with their pid in each PID namespace (NSpid), newest first. */
function levels(context: CheckContext) {
  return requireLabProcesses(context, lab).map((candidate) => ({ pid: candidate.pid, nspid: nsPids(context.system, candidate.pid) ?? [] }));
}

const isInit = (nspid: number[]) => nspid.length >= 2 && nspid.at(-1) === 1;

/**
 * What /proc looks like from inside the process's mount namespace (/proc/<pid>/root/proc, read from outside): the
 * pids `ls /proc` shows there with each one's argv[0], whether it is the very procfs isolab reads (the host's),
 * and the PID namespace its PID 1 is in. Undefined when it cannot be read.
 */
function procInside(context: CheckContext, pid: number) {
  const inside = { ...context.system, proc: join(context.system.proc, String(pid), 'root/proc') };
  try {
    const hostProc = statSync(inside.proc).dev === statSync(context.system.proc).dev;
    const listing = listProcesses(inside).map((entry) => ({ pid: entry.pid, name: entry.name })).sort((a, b) => a.pid - b.pid);
    return { hostProc, listing, initNamespace: namespaceOf(inside, 1, 'pid') };
  } catch {
    return undefined;
  }
}

export default defineChecker({
  checks: [
    {
      id: 'own-pid',
      title: `${name} runs in a PID namespace of its own`,
      tag: 'observe',
      timeoutMs: 10_000,
      run: async (context) => ownNamespaceCheck(context, lab, 'pid', '--pid --fork'),
    },
    {
      id: 'pid-one',
      title: 'inside its namespace it is PID 1',
      tag: 'observe',
      timeoutMs: 10_000,
      async run(context) {
        const candidates = levels(context);
        const init = candidates.find((candidate) => isInit(candidate.nspid));
        if (init) {
          return {
            pass: true,
            message: `NSpid of ${name}: ${init.nspid.join(' ')} (pid ${init.pid} outside, 1 inside)`,
            observed: { pid: init.pid, nspid: init.nspid },
          };
        }
        const first = candidates[0]!;
        const nested = first.nspid.length >= 2;
        return {
          pass: false,
          message: `NSpid of ${name} (pid ${first.pid}): ${first.nspid.join(' ') || 'unreadable'}`,
          observed: { candidates },
          hint: nested
            ? `It is in a new PID namespace but is PID ${first.nspid.at(-1)} there, not 1: the first process unshare --fork starts is PID 1, so make ${name} that process (\`exec -a ${name} …\` replaces the shell and keeps its PID).`
            : `One level means it lives in your PID namespace. Start it with \`unshare --pid --fork\`: without --fork, unshare itself stays outside and only its children enter the new namespace.`,
        };
      },
    },
    {
      id: 'proc-inside',
      title: '/proc inside shows only the namespace',
      tag: 'observe',
      timeoutMs: 10_000,
      async run(context) {
        const candidates = levels(context).filter((candidate) => isInit(candidate.nspid));
        if (candidates.length === 0) return { pass: false, message: `no ${name} is PID 1 of a namespace yet`, observed: {}, hint: 'Fix the PID 1 check first; then mount a /proc for the namespace.' };
        const views = candidates.map((candidate) => ({ pid: candidate.pid, view: procInside(context, candidate.pid) }));
        const good = views.find(({ pid, view }) => view && !view.hostProc && view.initNamespace === namespaceOf(context.system, pid, 'pid'));
        if (good) {
          const listing = good.view!.listing;
          return {
            pass: true,
            message: `/proc inside lists ${listing.length} process${listing.length === 1 ? '' : 'es'}: ${listing.map((entry) => `${entry.pid} ${entry.name}`).join(', ')}`,
            observed: { pid: good.pid, listing },
          };
        }
        const { pid, view } = views[0]!;
        if (!view) return { pass: false, message: `cannot read /proc/${pid}/root/proc`, observed: { pid }, hint: 'Reading inside another process needs root: run isolab from a root shell (`sudo -s`).' };
        if (view.hostProc) {
          return {
            pass: false,
            message: `/proc inside is the host's: it lists ${view.listing.length} processes`,
            observed: { pid, processes: view.listing.length },
            hint: '`ps` and `ls /proc` read a procfs, and a procfs shows the PID namespace it was mounted for. Give the namespace its own: start it with `unshare --pid --fork --mount-proc` (a new mount namespace with a fresh /proc).',
          };
        }
        return {
          pass: false,
          message: `/proc inside belongs to another PID namespace (its PID 1 is in ${view.initNamespace ?? 'an unknown namespace'})`,
          observed: { pid, listing: view.listing },
          hint: `Mount /proc from inside the namespace, so that it is the namespace's own: \`unshare --pid --fork --mount-proc …\`.`,
        };
      },
    },
  ],

  async cleanup(context) {
    // PID 1 dying takes every process of its namespace with it: the kernel kills them all.
    await killLabProcesses(context, name);
  },

  // Step 5 of the lesson: PID 1 of a new namespace with a fresh /proc and one child.
  async solution(context) {
    await startLabProcessCalled(context, name, 'unshare', ['--pid', '--fork', '--mount-proc', 'bash', '-c', `sleep infinity & exec -a ${name} sleep infinity`]);
  },
});
