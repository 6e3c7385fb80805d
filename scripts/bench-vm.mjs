// `npm run bench`, lab VM figures (root, and a lab VM that can start: vm/lanes/prepare.sh lab):
// - `isolab vm -- true`, the whole round trip, beside a lane boot (`vm/lanes/run.sh v2 -- true`) measured in the
//   same run, interleaved, so machine load weighs on both alike;
// - the first `isolab list` inside the VM against the host's (a cold start there: the guest's page cache is new).
// Prints one JSON line; scripts/bench.mjs words it. Timed runs use node:child_process (see bench.mjs).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const isolab = join(root, 'dist/isolab.js');
const rounds = Number(process.env.ISOLAB_BENCH_VM_RUNS ?? 3);
const home = mkdtempSync(join(tmpdir(), 'isolab-bench-vm-'));
const env = { ...process.env, ISOLAB_HOME: home, NO_COLOR: '1' };

function seconds(command, args) {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { env, cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: exit ${result.status}\n${result.stderr}`);
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, stdout: result.stdout };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

try {
  // One start first: the trial boot (KVM or not), an initramfs to build, the page cache.
  seconds(process.execPath, [isolab, 'vm', '--', 'true']);
  const vm = [];
  const lane = [];
  for (let i = 0; i < rounds; i++) {
    vm.push(seconds(process.execPath, [isolab, 'vm', '--', 'true']).seconds);
    lane.push(seconds('bash', [join(root, 'vm/lanes/run.sh'), 'v2', '--', 'true']).seconds);
  }
  // Inside: `node -e 0`, then isolab list twice (the first is the one the learner waits for), each timed there.
  const timer = `const { spawnSync } = require('node:child_process');
    const time = (args) => { const t = process.hrtime.bigint(); spawnSync(process.execPath, args, { stdio: 'ignore' }); return Number(process.hrtime.bigint() - t) / 1e6; };
    const node = time(['-e', '0']); const first = time([${JSON.stringify(isolab)}, 'list', '--json']); const second = time([${JSON.stringify(isolab)}, 'list', '--json']);
    console.log('ISOLAB-BENCH ' + JSON.stringify({ node, first, second }));`;
  const guest = seconds(process.execPath, [isolab, 'vm', '--', process.execPath, '-e', timer]).stdout;
  const inside = JSON.parse(guest.slice(guest.indexOf('ISOLAB-BENCH ') + 'ISOLAB-BENCH '.length).split('\n')[0]);
  const hostList = [];
  spawnSync(process.execPath, [isolab, 'list', '--json'], { env, stdio: 'ignore' });
  for (let i = 0; i < 11; i++) {
    const started = process.hrtime.bigint();
    spawnSync(process.execPath, [isolab, 'list', '--json'], { env, stdio: 'ignore' });
    hostList.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  console.log(JSON.stringify({ rounds, vmSeconds: median(vm), laneSeconds: median(lane), guestFirstListMs: inside.first, guestSecondListMs: inside.second, guestNodeMs: inside.node, hostListMs: median(hostList) }));
} finally {
  rmSync(home, { recursive: true, force: true });
}
