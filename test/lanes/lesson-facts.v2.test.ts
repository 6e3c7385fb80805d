/**
 * What the cgroup lessons say about the kernel, asked of the lane's kernel (issue 17: every lesson audited).
 * Where kernels of the matrix differ, the lesson says so in a sentence and each kernel's answer is accepted
 * here by its release; everything else must hold on all of them. Sources are in the lessons' commits.
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { writeControlFile } from '../../src/cgroup/index.js';
import { packageRoot } from '../../src/system/index.js';
import { runChecks } from '../../src/verify/index.js';
import { Workbook } from '../../src/workbook/index.js';
import pidsChecker from '../../checkers/02-cgroups/05-pids-limits.js';
import { runSync } from '../helpers/run.js';

const root = '/sys/fs/cgroup';
const facts = join(root, 'isolab-facts');
const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8').trim();

/** The running kernel as a comparable number: 6.12 → 612, 7.2 → 702. */
const release = (() => {
  const [major, minor] = readFileSync('/proc/sys/kernel/osrelease', 'utf8').split('.').map(Number);
  return major! * 100 + minor!;
})();

/** What a write did: the errno code, or what the file reads afterwards. */
function written(dir: string, file: string, value: string): string {
  try {
    writeControlFile(join(dir, file), value);
    return read(dir, file);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? String(error);
  }
}

function removeTree(dir: string): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) removeTree(join(dir, entry.name));
  for (const pid of read(dir, 'cgroup.procs').split('\n').filter(Boolean)) runSync('kill', ['-9', pid]);
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      return rmdirSync(dir);
    } catch {
      runSync('sleep', ['0.1']);
    }
  }
}

describe('lesson facts (v2 lane)', () => {
  before(() => {
    for (const controller of ['+memory', '+pids', '+cpu', '+io']) writeControlFile(join(root, 'cgroup.subtree_control'), controller);
    mkdirSync(facts, { recursive: true });
    writeControlFile(join(facts, 'cgroup.subtree_control'), '+memory +pids +cpu +io');
  });
  after(() => removeTree(facts));

  test('2.3: memory.max reads K/M/G itself, rounds down to pages, and refuses fractions and other units', () => {
    const dir = join(facts, 'memory');
    mkdirSync(dir);
    assert.equal(written(dir, 'memory.max', '32M'), '33554432');
    assert.equal(written(dir, 'memory.max', '32m'), '33554432');
    assert.equal(written(dir, 'memory.max', '1000'), '0');
    assert.equal(written(dir, 'memory.max', '1.5G'), 'EINVAL');
    assert.equal(written(dir, 'memory.max', '32MB'), 'EINVAL');
  });

  test('2.5: pids.max takes 0, and then no fork succeeds in the cgroup; -1 and 8k are EINVAL', () => {
    const dir = join(facts, 'pids');
    mkdirSync(dir);
    assert.equal(written(dir, 'pids.max', '0'), '0');
    assert.equal(written(dir, 'pids.max', '-1'), 'EINVAL');
    assert.equal(written(dir, 'pids.max', '8k'), 'EINVAL');
    const fork = runSync('sh', ['-c', 'echo $$ > "$0/cgroup.procs" && /bin/true', dir]);
    assert.notEqual(fork.status, 0);
    assert.match(fork.stderr, /Cannot fork/);
  });

  test("2.5: a script's shell ends at its first failed fork, saying so once", () => {
    const dir = join(facts, 'pids-loop');
    mkdirSync(dir);
    writeControlFile(join(dir, 'pids.max'), '8');
    const loop = 'for i in $(seq 30); do sleep 2 & done; echo after-loop; wait';
    const run = runSync('sh', ['-c', 'echo $$ > "$0/cgroup.procs" && exec sh -c "$1"', dir, loop], { timeout: 30_000 });
    assert.equal(run.stderr.match(/Cannot fork/g)?.length, 1, run.stderr);
    assert.doesNotMatch(run.stdout, /after-loop/);
  });

  test('2.4: cpu.max drops a unit after the digits, and refuses what is then too small', () => {
    const dir = join(facts, 'cpu');
    mkdirSync(dir);
    assert.equal(written(dir, 'cpu.max', '50000us 100000'), '50000 100000');
    assert.equal(written(dir, 'cpu.max', '50ms 100000'), 'EINVAL');
    assert.equal(written(dir, 'cpu.weight', '0'), 'ERANGE');
  });

  test('2.6: io.max drops a suffix (wbps=4M is 4 B/s); wbps=1M is EINVAL up to 6.12 and 1 B/s on 7.2', () => {
    runSync('modprobe', ['loop']);
    const image = join(mkdtempSync(join(tmpdir(), 'isolab-facts-')), 'disk.img');
    writeFileSync(image, '');
    runSync('truncate', ['-s', '8M', image]);
    const attach = runSync('losetup', ['--find', '--show', image]);
    assert.equal(attach.status, 0, attach.stderr);
    const device = attach.stdout.trim();
    try {
      const majmin = readFileSync(`/sys/class/block/${device.replace('/dev/', '')}/dev`, 'utf8').trim();
      const dir = join(facts, 'io');
      mkdirSync(dir);
      const wbps = (value: string) => {
        const after = written(dir, 'io.max', `${majmin} wbps=${value}`);
        return /^E[A-Z]+$/.test(after) ? after : (/wbps=(\S+)/.exec(after)?.[1] ?? after);
      };
      assert.equal(wbps('4M'), '4');
      assert.equal(wbps('0'), 'ERANGE');
      const one = wbps('1M');
      if (release <= 612) assert.equal(one, 'EINVAL');
      else if (release >= 702) assert.equal(one, '1');
      else assert.ok(one === 'EINVAL' || one === '1', one);
    } finally {
      runSync('losetup', ['--detach', device]);
    }
  });

  test('1.9: with nsdelegate, moving out of a new cgroup namespace is ENOENT; without, it succeeds', () => {
    const nsdelegate = /\bnsdelegate\b/.test(readFileSync('/proc/self/mountinfo', 'utf8').split('\n').find((line) => line.includes(' - cgroup2 ')) ?? '');
    const session = join(facts, 'session');
    const lab = join(facts, 'cgns-lab');
    mkdirSync(session);
    mkdirSync(lab);
    const script = 'echo $$ > "$0/cgroup.procs"; exec unshare --cgroup bash -c \'echo $$ > "$0/cgroup.procs" && cat /proc/self/cgroup\' "$1"';
    const run = runSync('bash', ['-c', script, session, lab]);
    if (nsdelegate) {
      assert.match(run.stderr, /No such file or directory/);
      assert.notEqual(run.status, 0);
    } else {
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.stdout.trim(), '0::/../cgns-lab');
    }
  });

  test("1.8: a new network namespace copies the host's ip_forward", () => {
    const host = readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim();
    try {
      writeFileSync('/proc/sys/net/ipv4/ip_forward', '1');
      const inside = runSync('unshare', ['--net', 'cat', '/proc/sys/net/ipv4/ip_forward']);
      assert.equal(inside.stdout.trim(), '1');
    } finally {
      writeFileSync('/proc/sys/net/ipv4/ip_forward', host);
    }
  });

  test('2.5: the pids-max check wants 0 accepted; a tool that refuses it fails with why', async () => {
    const workbook = await Workbook.open({ home: mkdtempSync(join(tmpdir(), 'isolab-facts-home-')) });
    const lesson = workbook.catalog.lessons.find((candidate) => candidate.short === '2.5')!;
    const workspace = mkdtempSync(join(tmpdir(), 'isolab-facts-ws-'));
    const tool = join(workspace, 'exercises/my-cgroup-tool');
    cpSync(join(packageRoot(), 'exercises/my-cgroup-tool'), tool, { recursive: true });
    const solutions = join(packageRoot(), 'checkers/02-cgroups/solutions/my-cgroup-tool');
    for (const file of readdirSync(solutions)) copyFileSync(join(solutions, file), join(tool, file));
    const pidsMax = { ...pidsChecker, checks: pidsChecker.checks.filter((check) => check.id === 'pids-max') };
    const options = { lesson, system: workbook.system, answers: {}, workspace };
    try {
      const [solved] = await runChecks(pidsMax, options);
      assert.equal(solved!.status, 'pass', solved!.message);
      // The pids.ts of an older lesson text: at least 1.
      const pids = join(tool, 'pids.ts');
      const solved0 = readFileSync(pids, 'utf8');
      const atLeastOne = solved0.replace('/^(0|[1-9]\\d*)$/', '/^[1-9]\\d*$/');
      assert.notEqual(atLeastOne, solved0);
      writeFileSync(pids, atLeastOne);
      const [refusing] = await runChecks(pidsMax, options);
      assert.equal(refusing!.status, 'fail');
      assert.match(refusing!.hint ?? '', /pids.max 0 is valid/);
    } finally {
      await workbook.cleanup(lesson);
      rmSync(workspace, { recursive: true, force: true });
    }
  });
});
