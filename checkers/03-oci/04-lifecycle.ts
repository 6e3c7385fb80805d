import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defineChecker, hasExited, readProcess, type CheckContext, type CheckOutcome } from '../../src/verify/index.js';
import { bundleDir, containerState, deleteContainer, detached, prepareBundle, readSpec, removeLab, runc, runcSaid, specForCheck, waitForStatus, writeSpec } from './lib/runc.js';

const bundle = bundleDir('life');
/** The learner's container, left in the created state. */
const id = 'isolab-life';
/** The checker's own container, taken through the whole life cycle on the learner's bundle. */
const probeId = 'isolab-life-check';
/** runc keeps each container's state, and the fifo a created container waits on, under its root. */
const runcRoot = '/run/runc';

const argv = (context: CheckContext, pid: number) => readProcess(context.system, pid)?.argv.join(' ') ?? null;

export default defineChecker({
  checks: [
    {
      id: 'created',
      title: `${id} is created and not started: runc init waits on exec.fifo`,
      tag: 'observe',
      async run(context) {
        const { state, error } = await containerState(context, id);
        if (!state) return { pass: false, message: `runc knows no container ${id} (${error})`, observed: { status: null }, hint: `Create it and leave it there: \`runc create --bundle ${bundle} ${id}\`.` };
        const observed = { status: state.status, pid: state.pid, process: state.pid > 0 ? argv(context, state.pid) : null, fifo: existsSync(join(runcRoot, id, 'exec.fifo')) };
        if (state.bundle !== bundle) return { pass: false, message: `${id} was made from ${state.bundle}`, observed, hint: `Delete it and create it from ${bundle}.` };
        if (state.status !== 'created') {
          const how = state.status === 'running' ? 'it was started' : state.status === 'stopped' ? 'it was started and has stopped' : `it is ${state.status}`;
          return { pass: false, message: `${id} is ${state.status}: ${how}`, observed, hint: `The last step leaves it created, before start: \`runc delete --force ${id}\`, then \`runc create --bundle ${bundle} ${id}\` and nothing more.` };
        }
        if (observed.process !== 'runc init' || !observed.fifo) {
          return { pass: false, message: `runc says created, but pid ${state.pid} is "${observed.process}" and exec.fifo ${observed.fifo ? 'exists' : 'is missing'}`, observed, hint: `Delete it (\`runc delete --force ${id}\`) and create it again.` };
        }
        return { pass: true, message: `${id} is created: pid ${state.pid} is still "runc init", waiting on ${join(runcRoot, id, 'exec.fifo')} for runc start`, observed };
      },
    },
    {
      id: 'lifecycle',
      title: 'the bundle goes through create, start, exec, kill and delete, each seen in runc state',
      tag: 'experiment',
      timeoutMs: 60_000,
      async run(context) {
        const read = specForCheck(bundle, '3.4');
        if ('outcome' in read) return read.outcome;
        const seen: string[] = [];
        const observed: Record<string, unknown> = { transitions: seen };
        const fail = (message: string, hint: string): CheckOutcome => ({ pass: false, message, hint, observed });
        await deleteContainer(context, probeId);
        try {
          const create = await runc(context, ['create', '--bundle', bundle, probeId]);
          if (create.exitCode !== 0) {
            const said = runcSaid(create);
            return fail(`runc create refused the bundle: ${said}`, /allocate tty/.test(said) ? 'Set "terminal": false in config.json: a created container has no terminal to give its process.' : 'Read runc\'s message; "When it goes wrong" lists the usual ones.');
          }
          const created = (await containerState(context, probeId)).state;
          if (created?.status !== 'created') return fail(`after runc create, runc state says ${created?.status ?? 'nothing'}`, 'Run the steps by hand and compare with runc state.');
          const pid = created.pid;
          seen.push(`created (pid ${pid}: ${argv(context, pid)})`);

          const start = await runc(context, ['start', probeId]);
          if (start.exitCode !== 0) return fail(`runc start failed: ${runcSaid(start)}`, 'Read runc\'s message.');
          // start returns once the process is exec'd; give a process that exits at once a moment to do so.
          await new Promise((resolve) => setTimeout(resolve, 300));
          const started = (await containerState(context, probeId)).state;
          if (started?.status !== 'running') {
            return fail(`right after runc start, ${probeId} is ${started?.status ?? 'gone'}`, 'process.args exits at once (sh without a terminal reads end-of-file and exits). Use a process that stays, such as ["sleep", "3600"].');
          }
          seen.push(`running (pid ${pid}: ${argv(context, pid)})`);

          const exec = await runc(context, ['exec', probeId, 'cat', '/proc/1/cmdline']);
          const pidOne = exec.stdout.split('\0').filter(Boolean).join(' ');
          if (exec.exitCode !== 0) return fail(`runc exec failed: ${runcSaid(exec)}`, 'Is cat in the rootfs? isolab rootfs links it.');
          if (pidOne !== argv(context, pid)) return fail(`runc exec sees PID 1 as "${pidOne}", the container's process is "${argv(context, pid)}"`, 'The exec\'d process must be in the container\'s PID namespace: keep { "type": "pid" } in linux.namespaces.');
          seen.push(`exec (PID 1 inside: ${pidOne})`);

          const kill = await runc(context, ['kill', probeId, 'KILL']);
          if (kill.exitCode !== 0) return fail(`runc kill failed: ${runcSaid(kill)}`, 'Read runc\'s message.');
          const stopped = await waitForStatus(context, probeId, 'stopped');
          if (stopped?.status !== 'stopped') return fail(`after runc kill KILL, ${probeId} is ${stopped?.status ?? 'gone'}`, 'SIGKILL cannot be caught: is the process stuck in the kernel (state D)?');
          seen.push(`stopped (pid ${pid} ${hasExited(context.system, pid) ? 'gone' : 'still there'})`);

          const remove = await runc(context, ['delete', probeId]);
          if (remove.exitCode !== 0) return fail(`runc delete failed: ${runcSaid(remove)}`, 'Read runc\'s message.');
          const after = await containerState(context, probeId);
          if (after.state) return fail(`after runc delete, runc state still knows ${probeId}`, 'Run runc delete again and read what it says.');
          seen.push(`deleted (runc state: ${after.error})`);
          return { pass: true, message: seen.join(' → '), observed };
        } finally {
          await deleteContainer(context, probeId);
        }
      },
    },
  ],

  async setup(context) {
    await prepareBundle(context, bundle);
  },

  async cleanup(context) {
    await removeLab(context, bundle, [id, probeId]);
  },

  // Step 1, then the last step: the container created and left there.
  async solution(context) {
    await prepareBundle(context, bundle);
    writeSpec(bundle, detached(readSpec(bundle), 'isolab-life'));
    await deleteContainer(context, id);
    const result = await runc(context, ['create', '--bundle', bundle, id]);
    if (result.exitCode !== 0) throw new Error(`runc create: ${runcSaid(result)}`);
  },
});

