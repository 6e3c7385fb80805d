/**
 * `isolab clean` on the real kernel: it must find and remove isolab-named cgroups (with a process inside),
 * network namespaces, veth pairs, mounts and BPF pins, and leave everything else alone. Needs root.
 */
import { execa, execaSync } from 'execa';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freshHome, isolab, isRoot, repoRoot } from '../../test/helpers/cli.js';
import { inLabSandbox } from '../../test/helpers/lab-sandbox.js';
import { findOnPath } from '../env/index.js';
import { readMountInfo } from '../system/index.js';
import { removeCgroupTree } from './clean.js';

const hasIp = existsSync('/usr/sbin/ip') || existsSync('/sbin/ip') || existsSync('/usr/bin/ip');
// The process tests run in a sandbox (unshare) and answer a question on a terminal (script); both util-linux.
const hasTools = findOnPath('unshare', process.env) !== null && findOnPath('script', process.env) !== null;
const reason = !isRoot ? 'needs root' : !hasIp ? 'needs ip (iproute2)' : !hasTools ? 'needs unshare and script (util-linux)' : '';

/** The cgroup hierarchies mounted here: v1 controllers and/or the v2 tree. */
function cgroupMounts(): string[] {
  return readMountInfo('/proc')
    .filter((mount) => mount.fsType === 'cgroup' || mount.fsType === 'cgroup2')
    .map((mount) => mount.mountPoint);
}

describe.skipIf(reason !== '')(`isolab clean (live${reason ? `: skipped, ${reason}` : ''})`, () => {
  const sleeper = execa('sleep', ['600'], { stdio: 'ignore', reject: false });
  // An unrelated cgroup that clean must not touch.
  const bystander = join(cgroupMounts().find((mount) => mount.endsWith('/pids') || mount === '/sys/fs/cgroup')!, 'notisolab-bystander');

  afterAll(() => {
    sleeper.kill('SIGKILL');
    try {
      execaSync('rmdir', [bystander]);
    } catch {
      // Already gone.
    }
  });

  it('removes lab cgroups with processes, netns, veth pairs and mounts, and nothing else', () => {
    const labCgroups = cgroupMounts().map((mount) => join(mount, 'isolab', 'clean-test', 'inner'));
    for (const dir of labCgroups) mkdirSync(dir, { recursive: true });
    const withProcess = labCgroups.find((dir) => dir.includes('/pids/')) ?? labCgroups[0]!;
    writeFileSync(join(withProcess, 'cgroup.procs'), String(sleeper.pid));
    mkdirSync(bystander, { recursive: true });
    execaSync('ip', ['netns', 'add', 'isolab-clean-test']);
    execaSync('ip', ['link', 'add', 'isolab-ct0', 'type', 'veth', 'peer', 'name', 'isolab-ct1']);
    mkdirSync('/run/isolab/clean-test', { recursive: true });
    execaSync('mount', ['-t', 'tmpfs', 'isolab-clean-test', '/run/isolab/clean-test']);

    const result = isolab(['clean'], { home: freshHome() });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('removed netns isolab-clean-test');
    expect(result.stdout).toContain('removed mount /run/isolab/clean-test');

    for (const mount of cgroupMounts()) expect(existsSync(join(mount, 'isolab')), mount).toBe(false);
    expect(readFileSync(`/proc/${sleeper.pid}/stat`, 'utf8')).toMatch(/\) Z /);
    expect(existsSync('/run/netns/isolab-clean-test')).toBe(false);
    expect(existsSync('/sys/class/net/isolab-ct0')).toBe(false);
    expect(existsSync('/sys/class/net/isolab-ct1')).toBe(false);
    expect(readMountInfo('/proc').some((mount) => mount.mountPoint.startsWith('/run/isolab'))).toBe(false);
    expect(existsSync(bystander)).toBe(true);

    const again = isolab(['clean'], { home: freshHome() });
    expect(again.stdout).toContain('Nothing to clean');
  });

  it('kills a process that moves itself into a lab cgroup after the first kill, then removes the cgroup', async () => {
    // One hierarchy of each kind present: cgroup.kill on v2, a SIGKILL per pid on v1.
    const mounts = cgroupMounts();
    const tops = [mounts.find((mount) => readMountInfo('/proc').some((entry) => entry.mountPoint === mount && entry.fsType === 'cgroup2')), mounts.find((mount) => mount.endsWith('/pids'))];
    for (const top of tops.filter((mount): mount is string => mount !== undefined)) {
      const dir = join(top, 'isolab', 'clean-rejoin');
      mkdirSync(dir, { recursive: true });
      // A supervisor outside the cgroup starts a worker that joins it, and starts it again once when it is killed:
      // what a service manager or a half-finished check does.
      const supervisor = execa('bash', ['-c', `for i in 1 2; do sh -c 'echo $$ > "$0/cgroup.procs" && exec sleep 600' "${dir}"; done`], { stdio: 'ignore', reject: false });
      while (readFileSync(join(dir, 'cgroup.procs'), 'utf8').trim() === '') await new Promise((resolve) => setTimeout(resolve, 10));
      await removeCgroupTree(join(top, 'isolab'));
      expect(existsSync(join(top, 'isolab')), top).toBe(false);
      expect((await supervisor).exitCode, top).not.toBeNull();
    }
  });

  // Real pins: maps made with bpftool (a pinned link is a pin file alike; unlinking it detaches once nothing holds it).
  const bpffsHere = readMountInfo('/proc').some((mount) => mount.mountPoint === '/sys/fs/bpf' && mount.fsType === 'bpf');
  const bpftool = findOnPath('bpftool', process.env);
  it.skipIf(!bpffsHere || !bpftool)(`removes isolab's BPF pins, a lesson's directory of them and a single one, and no other pin${
    bpffsHere && bpftool ? '' : ': skipped, needs bpffs at /sys/fs/bpf and bpftool'
  }`, () => {
    const pin = (path: string, name: string) => execaSync(bpftool!, ['map', 'create', path, 'type', 'hash', 'key', '4', 'value', '4', 'entries', '4', 'name', name]);
    const notLab = '/sys/fs/bpf/notisolab-clean-test';
    mkdirSync('/sys/fs/bpf/isolab-clean-test');
    try {
      pin('/sys/fs/bpf/isolab-clean-test/deny', 'isolab_ct_deny');
      pin('/sys/fs/bpf/isolab-clean-test/seen', 'isolab_ct_seen');
      pin('/sys/fs/bpf/isolab-clean-test-map', 'isolab_ct_one');
      pin(notLab, 'notisolab_ct');
      const result = isolab(['clean'], { home: freshHome() });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('removed bpf-pin /sys/fs/bpf/isolab-clean-test\n');
      expect(result.stdout).toContain('removed bpf-pin /sys/fs/bpf/isolab-clean-test-map\n');
      expect(readdirSync('/sys/fs/bpf').filter((name) => name.startsWith('isolab'))).toEqual([]);
      expect(existsSync(notLab)).toBe(true);
      // Unpinned and held by nothing else, the maps themselves are gone from the kernel.
      const maps = execaSync(bpftool!, ['-j', 'map', 'show']).stdout;
      expect(maps).not.toMatch(/"name":"isolab_ct_/);
      expect(maps).toContain('"name":"notisolab_ct"');
    } finally {
      rmSync(notLab, { force: true });
      rmSync('/sys/fs/bpf/isolab-clean-test', { recursive: true, force: true });
      rmSync('/sys/fs/bpf/isolab-clean-test-map', { force: true });
    }
  });

  it('removes the learner programs a killed verify compiled, and leaves a running isolab\'s', () => {
    // A verify killed with SIGKILL (pid 999999999: gone) and one still running (this test's own pid).
    const left = '/tmp/isolab-exercise-999999999-killed';
    const running = `/tmp/isolab-exercise-${process.pid}-running`;
    for (const dir of [left, running]) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'program.mjs'), 'console.log(1);\n');
    }
    try {
      const result = isolab(['clean'], { home: freshHome() });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`removed compiled ${left}`);
      expect(existsSync(left)).toBe(false);
      expect(existsSync(running)).toBe(true);
    } finally {
      rmSync(running, { recursive: true, force: true });
      rmSync(left, { recursive: true, force: true });
    }
  });

  it('kills processes marked by argv[0] or ISOLAB_LAB with --yes, and spares itself, its ancestors and unmarked processes', () => {
    // The shell clean runs under carries the marker too: it is clean's ancestor.
    const result = inLabSandbox(`
      byName=$(spawn isolab-clean-test)
      byEnv=$(spawn sleeper ISOLAB_LAB=clean-test)
      unmarked=$(spawn notisolab-clean-test)
      echo "pids $byName $byEnv $unmarked"
      ISOLAB_LAB=clean-test bash -c '"$NODE" "$BIN" clean --yes && echo the shell survived'
      state $byName $byEnv $unmarked
    `);
    const [byName, byEnv, unmarked] = /^pids (\d+) (\d+) (\d+)$/m.exec(result.stdout)!.slice(1);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(`removed process ${byName} isolab-clean-test`);
    expect(result.stdout).toContain(`removed process ${byEnv} ISOLAB_LAB=clean-test`);
    expect(result.stdout).toContain('the shell survived');
    expect(result.stdout).not.toContain(`process ${unmarked} `);
    expect(result.stdout).toContain(`${byName} gone\n${byEnv} gone\n${unmarked} alive\n`);
  });

  // Processes isolab started for this checkout (ISOLAB_CHECKOUT, as lesson steps leave them), a learner's by hand
  // (no checkout; isolab-uts is also what lesson 1.1's cleanup kills by name), another checkout's.
  const startAll = `
    handUts=$(spawn isolab-uts)
    other=$(spawn isolab-clean-other ISOLAB_CHECKOUT=/elsewhere/isolab)
    oursUts=$(spawn isolab-uts ISOLAB_CHECKOUT="$CHECKOUT")
    ours=$(spawn isolab-clean-ours ISOLAB_CHECKOUT="$CHECKOUT")
    echo "pids $handUts $other $oursUts $ours"
    isolab list --json | "$NODE" -e 'const list = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log("lesson 1.1", list.lessons.find((lesson) => lesson.short === "1.1").status)'
  `;
  const pidsOf = (stdout: string) => /^pids (\d+) (\d+) (\d+) (\d+)$/m.exec(stdout)!.slice(1) as [string, string, string, string];
  const sandboxEnv = { CHECKOUT: repoRoot };

  it("without a terminal kills only this checkout's processes, reports what lesson cleanups removed, and says what was left and how", () => {
    const result = inLabSandbox(`${startAll}
      isolab clean; echo "exit $?"
      state $handUts $other $oursUts $ours
      echo "--- json"
      isolab clean --json; echo "exit $?"
    `, sandboxEnv);
    const [handUts, other, oursUts, ours] = pidsOf(result.stdout);
    // 1.1's cleanup kills isolab-uts by name: it runs here, and must spare the learner's.
    expect(result.stdout).toContain('lesson 1.1 available');
    expect(result.stderr).toBe('');
    expect(result.stdout.match(/^exit 0$/gm)).toHaveLength(2);
    const [first, json] = result.stdout.split('--- json\n') as [string, string];
    expect(first).toContain(`removed process ${oursUts} isolab-uts`);
    expect(first).toContain(`removed process ${ours} isolab-clean-ours`);
    expect(first).toContain(`kept process ${handUts} isolab-uts (user root, checkout none): isolab-uts 600`);
    expect(first).toContain(`kept process ${other} isolab-clean-other (user root, checkout /elsewhere/isolab): isolab-clean-other 600`);
    expect(first).toContain(`\`isolab clean --yes\` kills them too (or: kill ${handUts} ${other})`);
    expect(first).not.toContain('Nothing to clean');
    expect(result.stdout).toContain(`${handUts} alive\n${other} alive\n${oursUts} gone\n${ours} gone\n`);
    const document = JSON.parse(json.slice(0, json.lastIndexOf('exit 0')));
    expect(document.removed).toEqual([]);
    expect(document.kept).toEqual([
      { kind: 'process', name: `${handUts} isolab-uts`, owner: 'root', command: 'isolab-uts 600', checkout: null },
      { kind: 'process', name: `${other} isolab-clean-other`, owner: 'root', command: 'isolab-clean-other 600', checkout: '/elsewhere/isolab' },
    ]);
  });

  it('on a terminal lists the others (pid, user, checkout, command) and kills them only when told yes', () => {
    const ask = (answer: string) => `printf '${answer}\\n' | script -qec '"$NODE" "$BIN" clean' /dev/null; echo "exit $?"`;
    const result = inLabSandbox(`${startAll}
      ${ask('n')}
      state $handUts $other $oursUts $ours
      echo "--- yes"
      ${ask('y')}
      state $handUts $other
    `, sandboxEnv);
    const [handUts, other, oursUts, ours] = pidsOf(result.stdout);
    const [no, yes] = result.stdout.split('--- yes');
    expect(no).toMatch(new RegExp(`isolab did not start these isolab-marked processes for this checkout \\(${repoRoot.replace(/\/$/, '')}\\)`));
    expect(no).toMatch(/PID +USER +CHECKOUT +COMMAND/);
    expect(no).toMatch(new RegExp(`${handUts} +root +none +isolab-uts 600`));
    expect(no).toMatch(new RegExp(`${other} +root +/elsewhere/isolab +isolab-clean-other 600`));
    expect(no).toContain('Kill them too? [y/N]');
    expect(no).toContain(`kept process ${handUts} isolab-uts`);
    expect(no).toContain(`${handUts} alive\n${other} alive\n${oursUts} gone\n${ours} gone\n`);
    expect(yes).toContain('Kill them too? [y/N]');
    expect(yes).toContain(`removed process ${handUts} isolab-uts`);
    expect(yes).toContain(`removed process ${other} isolab-clean-other`);
    expect(yes).toContain(`${handUts} gone\n${other} gone\n`);
    expect(result.stdout.match(/^exit 0\r?$/gm)).toHaveLength(2);
  });

  it("with a lesson removes only that lesson's lab, the learner's hand-started process too, and keeps its progress", () => {
    const result = inLabSandbox(`
      uts=$(spawn isolab-uts)
      ipc=$(spawn isolab-ipc)
      echo "pids $uts $ipc"
      isolab answer 0.1 pid1 whatever >/dev/null
      isolab clean 1.1; echo "exit $?"
      state $uts $ipc
      isolab clean 1.1; echo "exit $?"
      isolab list --json | "$NODE" -e 'const list = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log("lesson 0.1", list.lessons.find((lesson) => lesson.short === "0.1").status)'
    `);
    const [uts, ipc] = /^pids (\d+) (\d+)$/m.exec(result.stdout)!.slice(1) as [string, string];
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(`removed process ${uts} isolab-uts`);
    expect(result.stdout).toContain('Cleaned up 1.1 UTS: a hostname of your own; its progress is kept.');
    expect(result.stdout).toContain(`${uts} gone\n${ipc} alive\n`);
    expect(result.stdout).toContain("Nothing of 1.1's lab was left to clean.");
    expect(result.stdout.match(/^exit 0$/gm)).toHaveLength(2);
    expect(result.stdout).toContain('lesson 0.1 in-progress');
  });
});
