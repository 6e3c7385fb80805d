/**
 * 4.4 Runbook: a cgroup that will not delete. Setup leaves the lesson's cgroup (isolab/rb4) with a child job-<id>
 * that holds a marked process (isolab-rb4-worker), so `rmdir isolab/rb4` fails with EBUSY, plus a leftover
 * network namespace isolab-rb4. On v1 the cgroup exists once per hierarchy; the checks look in every mounted one.
 *
 * The repair alone can be had without a diagnosis (`isolab clean` removes it all), so the learner also records
 * what held the cgroup: the worker's pid and its cgroup, which exist only in the scenario this start made.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { cgroupDirsEverywhere, commandOutput, defineChecker, killLabProcesses, labCgroup, labCgroups, labProcessesNamed, netnsFile, readScenarioRecord, removeCgroupEverywhere, removeScenarioRecord, startInLabCgroup, systemPath, writeScenarioRecord, type CheckContext, type CheckOutcome, type SolutionContext } from '../../src/kit/index.js';
import { listNames, pathExists, readWords } from '../../src/system/index.js';

const workerName = 'isolab-rb4-worker';
const netnsName = 'isolab-rb4';

function checkCgroupGone(context: CheckContext): CheckOutcome {
  const cgroup = labCgroup(context);
  const dirs = cgroupDirsEverywhere(context, cgroup);
  if (dirs.length === 0) return { pass: true, message: `no ${cgroup} in any mounted cgroup hierarchy`, observed: { directories: [] } };
  const tops = dirs.filter((entry) => entry.shown.endsWith(`/${cgroup}`)).map((entry) => entry.shown);
  const children = dirs.filter((entry) => !entry.shown.endsWith(`/${cgroup}`)).map((entry) => entry.shown);
  const populated = dirs
    .map((entry) => ({ ...entry, pids: readWords(join(entry.dir, 'cgroup.procs')) ?? [] }))
    .filter((entry) => entry.pids.length > 0);
  const observed = { directories: dirs.map((entry) => entry.shown), populated: populated.map((entry) => `${entry.shown}: ${entry.pids.join(' ')}`) };
  const message = `${cgroup} is still there: ${tops.join(', ')}${children.length > 0 ? ` (with ${children.length} child cgroup${children.length === 1 ? '' : 's'})` : ''}`;
  let hint: string;
  if (populated.length > 0) {
    const first = populated[0]!;
    hint = `${first.shown}/cgroup.procs lists ${first.pids.join(' ')}: a cgroup with processes cannot be removed (rmdir says Device or resource busy). Kill ${first.pids.length === 1 ? 'it' : 'them'} (kill ${first.pids.join(' ')}), then rmdir the children before their parent.`;
  } else if (children.length > 0) {
    hint = `No process is left, but ${children[0]} still exists: rmdir removes only an empty cgroup, so remove the children first (rmdir ${children.join(' ')}), then ${tops.join(' ')}.`;
  } else {
    hint = `Nothing runs in it any more: rmdir ${tops.join(' ')}${tops.length > 1 ? ' (on cgroup v1 the same cgroup exists once per hierarchy: remove each)' : ''}.`;
  }
  return { pass: false, message, observed, hint };
}

function checkWorkerGone(context: CheckContext): CheckOutcome {
  const workers = labProcessesNamed(context, workerName).map((entry) => entry.pid);
  if (workers.length === 0) return { pass: true, message: `no ${workerName} process is running`, observed: { pids: [] } };
  return {
    pass: false,
    message: `${workerName} is still running: pid ${workers.join(', ')}`,
    observed: { pids: workers },
    hint: `Find it by its name (pgrep -af ${workerName}) or by the cgroup that holds it, and end it: kill ${workers.join(' ')}`,
  };
}

function checkNetnsGone(context: CheckContext): CheckOutcome {
  const observed = { labNetns: listNames(systemPath(context, '/run/netns')).filter((name) => name.startsWith('isolab-')) };
  if (!pathExists(netnsFile(context, netnsName))) return { pass: true, message: `no network namespace ${netnsName} in /run/netns`, observed };
  return {
    pass: false,
    message: `the network namespace ${netnsName} is still there (/run/netns/${netnsName})`,
    observed,
    hint: `ip netns list shows it; remove it with ip netns delete ${netnsName}.`,
  };
}

/** A pid as typed: `1234`. */
const normalPid = (answer: string) => (/^\s*\d+\s*$/.test(answer) ? String(Number(answer)) : answer.trim());

/**
 * A cgroup as a learner may copy it: `isolab/rb4/job-1a2b`, `/isolab/rb4/job-1a2b/`, a /proc/<pid>/cgroup line
 * (`0::/isolab/rb4/job-1a2b`, `4:memory:/isolab/rb4/job-1a2b`) or its directory under /sys/fs/cgroup.
 */
function normalCgroup(answer: string, cgroup: string): string {
  const path = answer.trim().replace(/^\d+:[^:]*:/, '').replace(/\/+$/, '');
  const at = path.indexOf(`${cgroup}/`);
  return at >= 0 ? path.slice(at) : path.replace(/^\/+/, '');
}

/** The diagnosis the lesson asks for, about the lesson's cgroup. */
const diagnosisQuestions = (cgroup: string) => ({
  'blocking-pid': {
    what: `the pid of the process that kept ${cgroup} busy`,
    normal: normalPid,
    howToFind: `Before you repair anything: the cgroup.procs files under ${cgroup} name the pid (find /sys/fs/cgroup -path '*/${cgroup}*' -name cgroup.procs -exec grep -H . {} +).`,
  },
  'blocking-cgroup': {
    what: 'the cgroup that held that process',
    normal: (answer: string) => normalCgroup(answer, cgroup),
    howToFind: 'The directory whose cgroup.procs lists the pid, or the path in /proc/<pid>/cgroup.',
  },
});

function checkDiagnosis(context: CheckContext, key: 'blocking-pid' | 'blocking-cgroup'): CheckOutcome {
  const cgroup = labCgroup(context);
  const question = diagnosisQuestions(cgroup)[key];
  const { short } = context.lesson;
  const command = `isolab answer ${short} ${key} <value>`;
  const record = readScenarioRecord(context);
  if (!record) {
    return {
      pass: false,
      message: `isolab has no record of a ${short} scenario on this machine: nothing to compare a diagnosis with`,
      observed: { scenario: null },
      hint: `isolab clean ${short}, isolab reset ${short} and the machine-wide isolab clean remove the scenario with its record. Run isolab start ${short}, and find what holds ${cgroup} before you repair it.`,
    };
  }
  const answer = context.answers[key];
  if (answer === undefined) {
    return { pass: false, message: `no answer recorded yet for ${question.what}`, observed: { answer: null }, hint: `${question.howToFind} Then record it: \`${command}\`.` };
  }
  if (record.holds(key, question.normal(answer))) return { pass: true, message: `"${answer}" is ${question.what} in the scenario isolab start made`, observed: { answer } };
  // As with quiz answers, the truth stays out of a failure: it is to be found on the machine.
  return {
    pass: false,
    message: `"${answer}" is not ${question.what} in the scenario isolab start made`,
    observed: { answer },
    hint: `${question.howToFind} If you repaired it already, the scenario is gone: isolab reset ${short}, isolab start ${short}, and look first. Then \`${command}\`.`,
  };
}

async function removeLab(context: CheckContext): Promise<void> {
  await killLabProcesses(context, workerName);
  // In every hierarchy: a learner's half-done repair may leave one the manager does not use.
  await removeCgroupEverywhere(context, labCgroup(context));
  if (pathExists(netnsFile(context, netnsName))) await commandOutput(context, 'ip', ['netns', 'delete', netnsName], 15_000);
  removeScenarioRecord(context);
}

/**
 * The runbook's repair, as the lesson types it: find the pids in every hierarchy, kill them, remove the cgroups
 * deepest first (retrying while the killed process exits), remove the netns.
 */
async function repair(context: CheckContext): Promise<void> {
  const cgroup = labCgroup(context);
  const script = [
    `pids=$(find /sys/fs/cgroup -path '*/${cgroup}*' -name cgroup.procs -exec cat {} + | sort -u)`,
    '[ -z "$pids" ] || kill $pids',
    `for try in 1 2 3 4 5 6 7 8 9 10; do find /sys/fs/cgroup -depth -type d -path '*/${cgroup}*' -exec rmdir {} + 2>/dev/null; [ -z "$(find /sys/fs/cgroup -type d -path '*/${cgroup}')" ] && break; sleep 0.2; done`,
    `ip netns delete ${netnsName}`,
  ].join('\n');
  await commandOutput(context, 'sh', ['-c', script], 15_000);
}

/** What the runbook has the learner do first: read the pid and its cgroup from the kernel, and record them. */
async function diagnose(context: SolutionContext): Promise<void> {
  const cgroup = labCgroup(context);
  const script = [
    `pid=$(find /sys/fs/cgroup -path '*/${cgroup}*' -name cgroup.procs -exec cat {} + | sort -u | head -1)`,
    'echo "$pid"',
    `grep -m1 '${cgroup}' /proc/$pid/cgroup`,
  ].join('\n');
  const [pid, line] = (await commandOutput(context, 'sh', ['-c', script], 15_000)).split('\n');
  if (!pid || !line) throw new Error(`the diagnosis found nothing: pid ${pid ?? '?'}, cgroup line ${line ?? '?'}`);
  await context.answer('blocking-pid', pid);
  await context.answer('blocking-cgroup', line);
}

export default defineChecker({
  checks: [
    { id: 'cgroup-removed', title: 'isolab/rb4 is gone from every cgroup hierarchy', tag: 'observe', run: async (context) => checkCgroupGone(context) },
    { id: 'worker-gone', title: `the process ${workerName} is no longer running`, tag: 'observe', run: async (context) => checkWorkerGone(context) },
    { id: 'netns-removed', title: `the network namespace ${netnsName} is gone`, tag: 'observe', run: async (context) => checkNetnsGone(context) },
    { id: 'blocking-pid', title: 'the diagnosis names the pid that kept isolab/rb4 busy', tag: 'observe', run: async (context) => checkDiagnosis(context, 'blocking-pid') },
    { id: 'blocking-cgroup', title: 'the diagnosis names the cgroup that held it', tag: 'observe', run: async (context) => checkDiagnosis(context, 'blocking-cgroup') },
  ],

  async setup(context) {
    await removeLab(context);
    // A crashed run's cgroup is named after its job; the name is this scenario's, to be read, not copied.
    const job = `${labCgroup(context)}/job-${randomBytes(2).toString('hex')}`;
    labCgroups(context).create(job);
    const pid = await startInLabCgroup(context, job, workerName, 'sleep', ['2147483647']);
    writeScenarioRecord(context, { 'blocking-pid': String(pid), 'blocking-cgroup': job });
    await commandOutput(context, 'ip', ['netns', 'add', netnsName], 15_000);
  },

  cleanup: removeLab,

  // What the lesson has the learner type: find the pid and its cgroup and record them, then repair.
  async solution(context) {
    await diagnose(context);
    await repair(context);
  },

  shortcuts: [
    // `isolab clean`, `isolab clean 4.4` and `isolab reset 4.4` all run this cleanup: the mess goes, and so does the
    // scenario that was to be diagnosed.
    { name: 'isolab clean 4.4 instead of the runbook', fails: ['blocking-pid', 'blocking-cgroup'], apply: removeLab },
    {
      name: 'the repair without a diagnosis, then a guess from the lesson text',
      fails: ['blocking-pid', 'blocking-cgroup'],
      async apply(context) {
        await repair(context);
        await context.answer('blocking-pid', '1');
        await context.answer('blocking-cgroup', `${labCgroup(context)}/job`);
      },
    },
  ],
});
