// `npm run bench`: start-up figures as ratios to `node -e 0` measured in the same run (machines differ;
// ratios travel). Each figure is the median of many runs, after a warm-up.
// Timed runs stay on node:child_process, not execa: execa's own work per start would be counted in every figure.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const isolab = join(root, 'dist/isolab.js');
const runs = Number(process.env.ISOLAB_BENCH_RUNS ?? 21);
const home = mkdtempSync(join(tmpdir(), 'isolab-bench-'));
const env = { ...process.env, ISOLAB_HOME: home, NO_COLOR: '1' };

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timeCommand(args) {
  spawnSync(process.execPath, args, { env, stdio: 'ignore' });
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { env, stdio: 'ignore' });
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (result.status === null) throw new Error(`${args.join(' ')} was killed`);
  }
  return median(samples);
}

const cases = [
  { name: 'isolab --version', args: [isolab, '--version'] },
  { name: 'isolab list --json', args: [isolab, 'list', '--json'], target: 2.5 },
  { name: 'isolab verify 0.1 --json', args: [isolab, 'verify', 'orientation/your-machine', '--json'] },
  { name: 'isolab doctor --json', args: [isolab, 'doctor', '--json'], target: 2.5 },
];

const baseline = timeCommand(['-e', '0']);
console.log(`node -e 0: ${baseline.toFixed(1)} ms (median of ${runs})`);
let missed = 0;
for (const { name, args, target } of cases) {
  const ms = timeCommand(args);
  const ratio = ms / baseline;
  const verdict = target === undefined ? '' : ratio <= target ? `  (target ≤ ${target}×: met)` : `  (target ≤ ${target}×: MISSED)`;
  if (target !== undefined && ratio > target) missed++;
  console.log(`${name}: ${ms.toFixed(1)} ms = ${ratio.toFixed(2)}× node -e 0${verdict}`);
}

// The environment report built in-process: what every command pays (list path) and what doctor pays.
const inProcess = spawnSync(join(root, 'node_modules/.bin/tsx'), [join(root, 'scripts/bench-env.ts')], { env, encoding: 'utf8' });
if (inProcess.status === 0) {
  const { runs: reportRuns, listPath, doctorPath } = JSON.parse(inProcess.stdout);
  const target = 30;
  if (doctorPath > target) missed++;
  console.log(`environment report in-process: ${listPath.toFixed(1)} ms as list builds it, ${doctorPath.toFixed(1)} ms as doctor builds it (median of ${reportRuns}; target ≤ ${target} ms: ${doctorPath <= target ? 'met' : 'MISSED'})`);
} else {
  missed++;
  console.log(`environment report in-process: failed\n${inProcess.stderr}`);
}

// cgroup-tool: its engine in-process against libcgroup's CLI for the same sequence, and one `ls` process.
if (process.geteuid?.() === 0) {
  const cgroupBench = spawnSync(join(root, 'node_modules/.bin/tsx'), [join(root, 'scripts/bench-cgroup.ts')], { env, encoding: 'utf8' });
  if (cgroupBench.status === 0) {
    const { rounds, version, inProcessMs, libcgroupMs } = JSON.parse(cgroupBench.stdout);
    const perRound = (ms) => `${(ms / rounds).toFixed(2)} ms a round`;
    if (libcgroupMs === null) {
      console.log(`cgroup create+3 limits+attach+delete ×${rounds} (${version}): ${perRound(inProcessMs)}; libcgroup's CLI not installed, no comparison`);
    } else {
      const ratio = libcgroupMs / inProcessMs;
      if (ratio < 1) missed++;
      console.log(`cgroup create+3 limits+attach+delete ×${rounds} (${version}): ${perRound(inProcessMs)} in-process vs ${perRound(libcgroupMs)} with cgcreate/cgset/cgclassify/cgdelete = ${ratio.toFixed(1)}× faster (target: faster: ${ratio >= 1 ? 'met' : 'MISSED'})`);
    }
  } else {
    missed++;
    console.log(`cgroup bench failed\n${cgroupBench.stderr}`);
  }
} else {
  console.log('cgroup bench: skipped (needs root)');
}
const ls = timeCommand([join(root, 'dist/cgroup-tool.js'), 'ls']);
const lsRatio = ls / baseline;
if (lsRatio > 1.5) missed++;
console.log(`cgroup-tool ls: ${ls.toFixed(1)} ms = ${lsRatio.toFixed(2)}× node -e 0  (target ≤ 1.5×: ${lsRatio <= 1.5 ? 'met' : 'MISSED'})`);
// The workbook: process start to the first full home frame, in a pseudo-terminal (target ≤ 4×).
const tui = spawnSync(process.execPath, [join(root, 'scripts/bench-tui.mjs'), String(Math.min(runs, 15))], { env, encoding: 'utf8' });
process.stdout.write(tui.stdout);
if (tui.status !== 0) missed++;
// The lab VM (isolab vm): its round trip beside a lane boot, and the first isolab list inside against the host's.
if (process.geteuid?.() === 0 && spawnSync('bash', [join(root, 'vm/lanes/check.sh'), 'v2'], { stdio: 'ignore' }).status === 0) {
  const vm = spawnSync(process.execPath, [join(root, 'scripts/bench-vm.mjs')], { env, encoding: 'utf8' });
  if (vm.status === 0) {
    const figures = JSON.parse(vm.stdout.trim().split('\n').at(-1));
    const roundTrip = figures.vmSeconds <= 10;
    const listRatio = figures.guestFirstListMs / figures.hostListMs;
    if (!roundTrip) missed++;
    if (listRatio > 3) missed++;
    console.log(`isolab vm -- true: ${figures.vmSeconds.toFixed(1)} s round trip (median of ${figures.rounds}; target ≤ 10 s: ${roundTrip ? 'met' : 'MISSED'}); lane boot vm/lanes/run.sh v2 -- true in the same run: ${figures.laneSeconds.toFixed(1)} s`);
    console.log(`first isolab list --json inside the VM: ${figures.guestFirstListMs.toFixed(0)} ms (the second ${figures.guestSecondListMs.toFixed(0)} ms; node -e 0 there ${figures.guestNodeMs.toFixed(0)} ms) = ${listRatio.toFixed(2)}× the host's ${figures.hostListMs.toFixed(0)} ms (target ≤ 3×: ${listRatio <= 3 ? 'met' : 'MISSED'})`);
  } else {
    missed++;
    console.log(`lab VM bench failed\n${vm.stderr}`);
  }
} else {
  console.log('lab VM bench: skipped (needs root and a prepared lab VM: vm/lanes/prepare.sh lab)');
}
rmSync(home, { recursive: true, force: true });
process.exitCode = missed > 0 ? 1 : 0;
