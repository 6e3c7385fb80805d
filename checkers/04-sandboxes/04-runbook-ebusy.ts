/**
 * 4.4 Runbook: a cgroup that will not delete. Setup leaves isolab/rb4 with a child isolab/rb4/job-<id> that holds
 * a marked process (isolab-rb4-worker), so `rmdir isolab/rb4` fails with EBUSY, plus a leftover network
 * namespace isolab-rb4. On v1 the cgroup exists once per hierarchy; the checks look in every mounted one.
 *
 * The repair alone can be had without a diagnosis (`isolab clean` removes it all), so the learner also records
 * what held the cgroup: the worker's pid and its cgroup, which exist only in the scenario this start made.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startLabProcess } from '../../src/kit/index.js';
import { CgroupManager } from '../../src/cgroup/index.js';
import { errnoCode } from '../../src/errors/index.js';
import { listNames, pathExists, readMountInfo, readText, readWords, type SystemRoot } from '../../src/system/index.js';
import { defineChecker, type CheckContext, type CheckOutcome, type SolutionContext } from '../../src/verify/index.js';

const cgroupName = 'isolab/rb4';
const workerName = 'isolab-rb4-worker';
const netnsName = 'isolab-rb4';
/** Where setup keeps what it broke (under /run/isolab: `isolab clean` removes it, and so does the cleanup). */
const recordPath = 'run/isolab/rb4-scenario.json';

interface Hierarchy {
  /** The mount point as a learner types it. */
  shown: string;
  /** The same on disk. */
  dir: string;
}

function hierarchies(system: SystemRoot): Hierarchy[] {
  const seen = new Set<string>();
  const result: Hierarchy[] = [];
  for (const mount of readMountInfo(system.proc)) {
    if (mount.fsType !== 'cgroup' && mount.fsType !== 'cgroup2') continue;
    if (seen.has(mount.mountPoint)) continue;
    seen.add(mount.mountPoint);
    result.push({ shown: mount.mountPoint, dir: join(system.root, mount.mountPoint) });
  }
  return result;
}

/** Every directory of isolab/rb4 and below, deepest first, in every hierarchy. */
function rb4Dirs(system: SystemRoot): Array<{ shown: string; dir: string }> {
  const found: Array<{ shown: string; dir: string }> = [];
  const walk = (shown: string, dir: string) => {
    for (const entry of safeDirs(dir)) walk(`${shown}/${entry}`, join(dir, entry));
    found.push({ shown, dir });
  };
  for (const h of hierarchies(system)) {
    const dir = join(h.dir, cgroupName);
    if (pathExists(join(dir, 'cgroup.procs'))) walk(`${h.shown}/${cgroupName}`, dir);
  }
  return found;
}

function safeDirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  } catch {
    return [];
  }
}

function findWorkers(system: SystemRoot): number[] {
  return listNames(system.proc)
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => readText(join(system.proc, pid, 'cmdline'))?.split('\0')[0] === workerName)
    .map(Number);
}

function checkCgroupGone(context: CheckContext): CheckOutcome {
  const dirs = rb4Dirs(context.system);
  if (dirs.length === 0) return { pass: true, message: `no ${cgroupName} in any mounted cgroup hierarchy`, observed: { directories: [] } };
  const tops = dirs.filter((entry) => entry.shown.endsWith(`/${cgroupName}`)).map((entry) => entry.shown);
  const children = dirs.filter((entry) => !entry.shown.endsWith(`/${cgroupName}`)).map((entry) => entry.shown);
  const populated = dirs
    .map((entry) => ({ ...entry, pids: readWords(join(entry.dir, 'cgroup.procs')) ?? [] }))
    .filter((entry) => entry.pids.length > 0);
  const observed = { directories: dirs.map((entry) => entry.shown), populated: populated.map((entry) => `${entry.shown}: ${entry.pids.join(' ')}`) };
  const message = `${cgroupName} is still there: ${tops.join(', ')}${children.length > 0 ? ` (with ${children.length} child cgroup${children.length === 1 ? '' : 's'})` : ''}`;
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
  const workers = findWorkers(context.system);
  if (workers.length === 0) return { pass: true, message: `no ${workerName} process is running`, observed: { pids: [] } };
  return {
    pass: false,
    message: `${workerName} is still running: pid ${workers.join(', ')}`,
    observed: { pids: workers },
    hint: `Find it by its name (pgrep -af ${workerName}) or by the cgroup that holds it, and end it: kill ${workers.join(' ')}`,
  };
}

function checkNetnsGone(context: CheckContext): CheckOutcome {
  const names = safeList(join(context.system.root, 'run/netns'));
  const left = names.filter((name) => name.startsWith('isolab-'));
  if (!names.includes(netnsName)) {
    return { pass: true, message: `no network namespace ${netnsName} in /run/netns`, observed: { labNetns: left } };
  }
  return {
    pass: false,
    message: `the network namespace ${netnsName} is still there (/run/netns/${netnsName})`,
    observed: { labNetns: left },
    hint: `ip netns list shows it; remove it with ip netns delete ${netnsName}.`,
  };
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * What setup broke, kept as salted digests: verify can tell a right diagnosis from a wrong one, and reading the
 * file does not give the answers away.
 */
interface ScenarioRecord {
  salt: string;
  pid: string;
  cgroup: string;
}

const digest = (salt: string, value: string) => createHash('sha256').update(`${salt}\0${value}`).digest('hex');

function writeRecord(system: SystemRoot, pid: number, cgroup: string): void {
  const salt = randomBytes(16).toString('hex');
  const file = join(system.root, recordPath);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ salt, pid: digest(salt, String(pid)), cgroup: digest(salt, cgroup) } satisfies ScenarioRecord)}\n`);
}

function readRecord(system: SystemRoot): ScenarioRecord | undefined {
  try {
    return JSON.parse(readFileSync(join(system.root, recordPath), 'utf8')) as ScenarioRecord;
  } catch {
    return undefined;
  }
}

/** A pid as typed: `1234`. */
const normalPid = (answer: string) => (/^\s*\d+\s*$/.test(answer) ? String(Number(answer)) : answer.trim());

/**
 * A cgroup as a learner may copy it: `isolab/rb4/job-1a2b`, `/isolab/rb4/job-1a2b/`, a /proc/<pid>/cgroup line
 * (`0::/isolab/rb4/job-1a2b`, `4:memory:/isolab/rb4/job-1a2b`) or its directory under /sys/fs/cgroup.
 */
function normalCgroup(answer: string): string {
  const path = answer.trim().replace(/^\d+:[^:]*:/, '').replace(/\/+$/, '');
  const at = path.indexOf(`${cgroupName}/`);
  return at >= 0 ? path.slice(at) : path.replace(/^\/+/, '');
}

const diagnosisQuestions = {
  'blocking-pid': {
    what: 'the pid of the process that kept isolab/rb4 busy',
    normal: normalPid,
    howToFind: `Before you repair anything: the cgroup.procs files under isolab/rb4 name the pid (find /sys/fs/cgroup -path '*/${cgroupName}*' -name cgroup.procs -exec grep -H . {} +).`,
  },
  'blocking-cgroup': {
    what: 'the cgroup that held that process',
    normal: normalCgroup,
    howToFind: 'The directory whose cgroup.procs lists the pid, or the path in /proc/<pid>/cgroup.',
  },
} as const;

type DiagnosisKey = keyof typeof diagnosisQuestions;

function checkDiagnosis(context: CheckContext, key: DiagnosisKey): CheckOutcome {
  const question = diagnosisQuestions[key];
  const command = `isolab answer ${context.lesson.short} ${key} <value>`;
  const record = readRecord(context.system);
  if (!record) {
    return {
      pass: false,
      message: 'isolab has no record of a 4.4 scenario on this machine: nothing to compare a diagnosis with',
      observed: { scenario: null },
      hint: 'isolab clean 4.4, isolab reset 4.4 and the machine-wide isolab clean remove the scenario with its record. Run isolab start 4.4, and find what holds isolab/rb4 before you repair it.',
    };
  }
  const answer = context.answers[key];
  if (answer === undefined) {
    return { pass: false, message: `no answer recorded yet for ${question.what}`, observed: { answer: null }, hint: `${question.howToFind} Then record it: \`${command}\`.` };
  }
  if (digest(record.salt, question.normal(answer)) === record[key === 'blocking-pid' ? 'pid' : 'cgroup']) {
    return { pass: true, message: `"${answer}" is ${question.what} in the scenario isolab start made`, observed: { answer } };
  }
  // As with quiz answers, the truth stays out of a failure: it is to be found on the machine.
  return {
    pass: false,
    message: `"${answer}" is not ${question.what} in the scenario isolab start made`,
    observed: { answer },
    hint: `${question.howToFind} If you repaired it already, the scenario is gone: isolab reset 4.4, isolab start 4.4, and look first. Then \`${command}\`.`,
  };
}

async function run(context: CheckContext, command: string, args: string[]): Promise<void> {
  const result = await context.exec(command, args, { timeoutMs: 15_000 });
  if (result.exitCode !== 0) throw new Error(`${command} ${args.join(' ')}: ${(result.stderr || result.spawnError || `exit ${result.exitCode}`).trim()}`);
}

async function removeLab(context: CheckContext): Promise<void> {
  const { system } = context;
  for (const pid of findWorkers(system)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
  const manager = new CgroupManager(system);
  if (manager.backend.exists(cgroupName)) await manager.delete(cgroupName, { kill: true });
  // Leftovers a learner's half-done repair may leave in a hierarchy the manager does not use.
  for (const entry of rb4Dirs(system)) {
    try {
      rmdirSync(entry.dir);
    } catch (error) {
      if (errnoCode(error) !== 'ENOENT') throw error;
    }
  }
  for (let attempt = 0; attempt < 40 && findWorkers(system).length > 0; attempt++) await sleep(25);
  for (const h of hierarchies(system)) {
    try {
      rmdirSync(join(h.dir, 'isolab'));
    } catch (error) {
      // Another lesson's cgroups (EBUSY), or no isolab/ at all: not ours to remove.
      if (!['EBUSY', 'ENOENT', 'ENOTEMPTY'].includes(errnoCode(error) ?? '')) throw error;
    }
  }
  if (pathExists(join(system.root, 'run/netns', netnsName))) await run(context, 'ip', ['netns', 'delete', netnsName]);
  rmSync(join(system.root, recordPath), { force: true });
  try {
    rmdirSync(dirname(join(system.root, recordPath)));
  } catch {
    // Other lessons' lab files live there, or it is gone already.
  }
}

/**
 * The runbook's repair, as the lesson types it: find the pids in every hierarchy, kill them, remove the cgroups
 * deepest first (retrying while the killed process exits), remove the netns.
 */
async function repair(context: CheckContext): Promise<void> {
  const script = [
    `pids=$(find /sys/fs/cgroup -path '*/${cgroupName}*' -name cgroup.procs -exec cat {} + | sort -u)`,
    '[ -z "$pids" ] || kill $pids',
    `for try in 1 2 3 4 5 6 7 8 9 10; do find /sys/fs/cgroup -depth -type d -path '*/${cgroupName}*' -exec rmdir {} + 2>/dev/null; [ -z "$(find /sys/fs/cgroup -type d -path '*/${cgroupName}')" ] && break; sleep 0.2; done`,
    `ip netns delete ${netnsName}`,
  ].join('\n');
  await run(context, 'sh', ['-c', script]);
}

/** What the runbook has the learner do first: read the pid and its cgroup from the kernel, and record them. */
async function diagnose(context: SolutionContext): Promise<void> {
  const script = [
    `pid=$(find /sys/fs/cgroup -path '*/${cgroupName}*' -name cgroup.procs -exec cat {} + | sort -u | head -1)`,
    'echo "$pid"',
    `grep -m1 '${cgroupName}' /proc/$pid/cgroup`,
  ].join('\n');
  const result = await context.exec('sh', ['-c', script], { timeoutMs: 15_000 });
  const [pid, line] = result.stdout.trim().split('\n');
  if (result.exitCode !== 0 || !pid || !line) throw new Error(`the diagnosis found nothing: ${(result.stderr || result.stdout).trim()}`);
  await context.answer('blocking-pid', pid);
  await context.answer('blocking-cgroup', line);
}

export default defineChecker({
  checks: [
    { id: 'cgroup-removed', title: `${cgroupName} is gone from every cgroup hierarchy`, tag: 'observe', run: async (context) => checkCgroupGone(context) },
    { id: 'worker-gone', title: `the process ${workerName} is no longer running`, tag: 'observe', run: async (context) => checkWorkerGone(context) },
    { id: 'netns-removed', title: `the network namespace ${netnsName} is gone`, tag: 'observe', run: async (context) => checkNetnsGone(context) },
    { id: 'blocking-pid', title: 'the diagnosis names the pid that kept isolab/rb4 busy', tag: 'observe', run: async (context) => checkDiagnosis(context, 'blocking-pid') },
    { id: 'blocking-cgroup', title: 'the diagnosis names the cgroup that held it', tag: 'observe', run: async (context) => checkDiagnosis(context, 'blocking-cgroup') },
  ],

  async setup(context) {
    await removeLab(context);
    const manager = new CgroupManager(context.system);
    // A crashed run's cgroup is named after its job; the name is this scenario's, to be read, not copied.
    const jobName = `${cgroupName}/job-${randomBytes(2).toString('hex')}`;
    manager.create(cgroupName);
    manager.create(jobName);
    const pid = await startLabProcess('sleep', ['2147483647'], { argv0: workerName });
    try {
      manager.attach(jobName, pid);
    } catch (error) {
      process.kill(pid, 'SIGKILL');
      throw error;
    }
    writeRecord(context.system, pid, jobName);
    await run(context, 'ip', ['netns', 'add', netnsName]);
  },

  async cleanup(context) {
    await removeLab(context);
  },

  // What the lesson has the learner type: find the pid and its cgroup and record them, then repair.
  async solution(context) {
    await diagnose(context);
    await repair(context);
  },

  shortcuts: [
    // `isolab clean`, `isolab clean 4.4` and `isolab reset 4.4` all run this cleanup: the mess goes, and so does the
    // scenario that was to be diagnosed.
    { name: 'isolab clean 4.4 instead of the runbook', fails: ['blocking-pid', 'blocking-cgroup'], apply: (context) => removeLab(context) },
    {
      name: 'the repair without a diagnosis, then a guess from the lesson text',
      fails: ['blocking-pid', 'blocking-cgroup'],
      async apply(context) {
        await repair(context);
        await context.answer('blocking-pid', '1');
        await context.answer('blocking-cgroup', `${cgroupName}/job`);
      },
    },
  ],
});
