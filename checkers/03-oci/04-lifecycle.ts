/**
 * 3.4 Lifecycle. The learner takes isolab-life through create, start, exec, pause, resume, kill and delete, and
 * leaves a new isolab-life created. runc forgets a deleted container, so the trip is read from the container's
 * own output: its program is a heartbeat (lib/heartbeat.ts) whose log the learner's `runc create` hands it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { bundleDir, bundleSpec, containerState, defineChecker, deleteContainer, failCheck, listContainers, prepareBundle, readSpec, removeBundle, runc, runcOrThrow, runcSaid, systemPath, waitForStatus, writeSpec, type CheckContext, type CheckOutcome, type SolutionContext } from '../../src/kit/index.js';
import { hasExited, readProcess } from '../../src/verify/index.js';
import { heartbeatArgs, longestResumedPause, parseHeartbeat, type HeartbeatRun } from './lib/heartbeat.js';

const bundle = bundleDir('life');
/** The learner's container, left in the created state. */
const id = 'isolab-life';
/** The checker's own container, taken through the whole life cycle on the learner's bundle. */
const probeId = 'isolab-life-check';
/** runc keeps each container's state under its root, /run/runc; a created container waits on this fifo there. */
const fifo = `/run/runc/${id}/exec.fifo`;
/** Where the learner's `runc create` sends the container's standard output. */
const heartbeatLog = join(bundle, 'heartbeat.log');
const createCommand = `runc create --bundle ${bundle} ${id} < /dev/null >> ${heartbeatLog}`;
/**
 * A gap this long between two beats is a pause: the program beats once a second (a beat or two late on a busy
 * machine), and the lesson pauses it for ten seconds.
 */
const pauseSeconds = 5;

const argv = (context: CheckContext, pid: number) => readProcess(context.system, pid)?.argv.join(' ') ?? null;

/** The log's runs; without a log to read, the check fails. */
function heartbeatRuns(): HeartbeatRun[] {
  if (existsSync(heartbeatLog)) return parseHeartbeat(readFileSync(heartbeatLog, 'utf8'));
  return failCheck({
    message: `there is no ${heartbeatLog}: no container of this bundle has written its heartbeat`,
    observed: { log: null },
    hint: `Step 1 sets process.args to the heartbeat; Step 2 creates the container with its output in the log: \`${createCommand}\`.`,
  });
}

const describeRun = (run: HeartbeatRun) => ({ first: run.beats[0] ?? null, last: run.beats.at(-1) ?? null, beats: run.beats.length, longestGap: longestResumedPause(run) });
const clock = (seconds: number) => new Date(seconds * 1000).toISOString().slice(11, 19);

function checkStarted(): CheckOutcome {
  const runs = heartbeatRuns();
  const ran = runs.filter((run) => run.beats.length >= 2);
  const observed = { runs: runs.map(describeRun) };
  if (ran.length === 0) {
    return {
      pass: false,
      message: runs.length === 0 ? `${heartbeatLog} holds no "started" line: the program never ran` : `the program started but beat ${runs[0]!.beats.length === 0 ? 'never' : 'once'}`,
      observed,
      hint: `A created container runs nothing until \`runc start ${id}\`. Is process.args the heartbeat of Step 1 (${JSON.stringify(heartbeatArgs)})?`,
    };
  }
  const run = ran[0]!;
  return { pass: true, message: `the heartbeat ran from ${clock(run.beats[0]!)} to ${clock(run.beats.at(-1)!)} UTC (${run.beats.length} beats)`, observed };
}

async function checkPausedResumed(context: CheckContext): Promise<CheckOutcome> {
  const runs = heartbeatRuns();
  const gaps = runs.map(longestResumedPause);
  const longest = Math.max(0, ...gaps);
  const observed = { runs: runs.map(describeRun) };
  if (longest >= pauseSeconds) {
    const run = runs[gaps.indexOf(longest)]!;
    const at = run.beats.findIndex((beat, index) => index > 0 && beat - run.beats[index - 1]! === longest);
    return { pass: true, message: `no beat for ${longest} s after ${clock(run.beats[at - 1]!)} UTC, then beats again: the container was frozen and thawed`, observed };
  }
  const paused = (await listContainers(context)).filter((container) => container.bundle === bundle && container.status === 'paused');
  return {
    pass: false,
    message: paused.length > 0 ? `${paused.map((container) => container.id).join(', ')} is paused now and has not beaten since` : `the heartbeat never stopped for more than ${longest} s`,
    observed,
    hint:
      paused.length > 0
        ? `\`runc resume ${paused[0]!.id}\`: the beats after the gap show it was thawed.`
        : `While it runs: \`runc pause ${id}\`, wait ten seconds, \`runc resume ${id}\`. The beats stop while it is paused.`,
  };
}

async function checkKilledDeleted(context: CheckContext): Promise<CheckOutcome> {
  const runs = heartbeatRuns();
  const lastBeat = Math.max(0, ...runs.flatMap((run) => run.beats));
  if (lastBeat === 0) return { pass: false, message: 'nothing has beaten, so nothing was stopped', observed: { lastBeat: null }, hint: `Start the container first: \`runc start ${id}\`.` };
  const containers = (await listContainers(context)).filter((container) => container.bundle === bundle && container.id !== probeId);
  const observed = { lastBeat: clock(lastBeat), containers: containers.map((container) => `${container.id} ${container.status}`) };
  const others = containers.filter((container) => container.id !== id || container.status !== 'created');
  if (others.length > 0) {
    const first = others[0]!;
    const alive = first.status === 'running' || first.status === 'paused';
    return {
      pass: false,
      message: `${first.id} is still ${first.status}${alive ? ' and beating' : ''}`,
      observed,
      hint: alive ? `Stop it: \`runc kill ${first.id} KILL\` (SIGTERM does nothing to this PID 1), then \`runc delete ${first.id}\`.` : `A stopped container stays listed until \`runc delete ${first.id}\`.`,
    };
  }
  const current = containers.find((container) => container.id === id);
  const created = current?.created ? Date.parse(current.created) / 1000 : undefined;
  if (created === undefined) return { pass: false, message: `the heartbeat stopped at ${clock(lastBeat)} UTC, and there is no ${id} now`, observed, hint: `The last step creates it again: \`${createCommand}\`.` };
  if (created < lastBeat) {
    return { pass: false, message: `${id} was created at ${clock(created)} UTC, but a container of this bundle beat until ${clock(lastBeat)}`, observed, hint: `Take the beating container through kill and delete first, then \`runc delete ${id}\` and create it again.` };
  }
  return { pass: true, message: `the heartbeat stopped at ${clock(lastBeat)} UTC; its container is gone, and ${id} is a new one, created at ${clock(created)}`, observed };
}

export default defineChecker({
  checks: [
    {
      id: 'created',
      title: `${id} is created and not started: runc init waits on exec.fifo`,
      tag: 'observe',
      async run(context) {
        const { state, error } = await containerState(context, id);
        if (!state) return { pass: false, message: `runc knows no container ${id} (${error})`, observed: { status: null }, hint: `Create it and leave it there: \`${createCommand}\`.` };
        const observed = { status: state.status, pid: state.pid, process: state.pid > 0 ? argv(context, state.pid) : null, fifo: existsSync(systemPath(context, fifo)) };
        if (state.bundle !== bundle) return { pass: false, message: `${id} was made from ${state.bundle}`, observed, hint: `Delete it and create it from ${bundle}.` };
        if (state.status !== 'created') {
          const how = state.status === 'running' ? 'it was started' : state.status === 'stopped' ? 'it was started and has stopped' : `it is ${state.status}`;
          return { pass: false, message: `${id} is ${state.status}: ${how}`, observed, hint: `The last step leaves it created, before start: \`runc delete --force ${id}\`, then \`${createCommand}\` and nothing more.` };
        }
        if (observed.process !== 'runc init' || !observed.fifo) {
          return { pass: false, message: `runc says created, but pid ${state.pid} is "${observed.process}" and exec.fifo ${observed.fifo ? 'exists' : 'is missing'}`, observed, hint: `Delete it (\`runc delete --force ${id}\`) and create it again.` };
        }
        return { pass: true, message: `${id} is created: pid ${state.pid} is still "runc init", waiting on ${fifo} for runc start`, observed };
      },
    },
    { id: 'started', title: 'its heartbeat ran: runc start ran the program runc create had prepared', tag: 'observe', run: async () => checkStarted() },
    { id: 'paused-resumed', title: 'the heartbeat stopped while the container was paused, and went on after resume', tag: 'observe', run: checkPausedResumed },
    { id: 'killed-deleted', title: 'the container that beat was killed and deleted before isolab-life was created again', tag: 'observe', run: checkKilledDeleted },
    {
      id: 'lifecycle',
      title: 'the bundle goes through create, start, exec, kill and delete, each seen in runc state',
      tag: 'experiment',
      timeoutMs: 60_000,
      async run(context) {
        bundleSpec(bundle, '3.4');
        const seen: string[] = [];
        const observed: Record<string, unknown> = { transitions: seen };
        const fail = (message: string, hint: string): CheckOutcome => ({ pass: false, message, hint, observed });
        await deleteContainer(context, probeId);
        try {
          // Its output goes nowhere: the learner's log is the learner's container's alone, and a program writing
          // into a pipe nobody reads any more would die of SIGPIPE.
          const create = await context.exec('sh', ['-c', 'exec runc create --bundle "$1" "$2" < /dev/null > /dev/null', 'sh', bundle, probeId], { timeoutMs: 15_000 });
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
          await sleep(300);
          const started = (await containerState(context, probeId)).state;
          if (started?.status !== 'running') {
            return fail(`right after runc start, ${probeId} is ${started?.status ?? 'gone'}`, `process.args exits at once (sh without a terminal reads end-of-file and exits). Use the heartbeat of Step 1: ${JSON.stringify(heartbeatArgs)}.`);
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

  setup: (context) => prepareBundle(context, bundle),

  cleanup: (context) => removeBundle(context, bundle, [id, probeId]),

  // The lesson's steps, with the waits a learner takes while reading: a heartbeat, paused for six seconds.
  async solution(context) {
    await createHeartbeat(context);
    await runcOrThrow(context, ['start', id]);
    await sleep(2_500);
    await runcOrThrow(context, ['pause', id]);
    await sleep((pauseSeconds + 1) * 1000);
    await runcOrThrow(context, ['resume', id]);
    await sleep(2_500);
    await killDeleteCreate(context);
  },

  shortcuts: [
    {
      name: 'only the last step: runc create, and nothing before it',
      fails: ['started', 'paused-resumed', 'killed-deleted'],
      apply: createHeartbeat,
    },
    {
      name: 'start, kill and delete without the pause',
      fails: ['paused-resumed'],
      async apply(context) {
        await createHeartbeat(context);
        await runcOrThrow(context, ['start', id]);
        await sleep(3_000);
        await killDeleteCreate(context);
      },
    },
  ],
});

/** Steps 1 and 2: no terminal, the heartbeat, a hostname; then `runc create … >> heartbeat.log`. */
async function createHeartbeat(context: SolutionContext): Promise<void> {
  await prepareBundle(context, bundle);
  const spec = readSpec(bundle);
  spec.process = { ...spec.process, terminal: false, args: heartbeatArgs };
  spec.hostname = id;
  writeSpec(bundle, spec);
  await deleteContainer(context, id);
  await createLogged(context);
}

/** The end of the round: kill (SIGKILL: PID 1 ignores SIGTERM), delete, and the created container of the last step. */
async function killDeleteCreate(context: SolutionContext): Promise<void> {
  await runcOrThrow(context, ['kill', id, 'KILL']);
  if ((await waitForStatus(context, id, 'stopped'))?.status !== 'stopped') throw new Error(`${id} did not stop after runc kill KILL`);
  await runcOrThrow(context, ['delete', id]);
  await createLogged(context);
}

/** `runc create … < /dev/null >> heartbeat.log`, as the lesson types it. */
async function createLogged(context: SolutionContext): Promise<void> {
  const result = await context.exec('sh', ['-c', createCommand], { timeoutMs: 15_000 });
  if (result.exitCode !== 0) throw new Error(`${createCommand}: ${runcSaid(result)}`);
}
