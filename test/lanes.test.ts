/**
 * Real kernels in the test run. Tests named `*.<machine>.test.ts` (machines: v2, container, systemd;
 * vm/README.md) are bundled by the build into dist/lanes/<machine>.mjs. Every lane `vm/lanes/check.sh --list`
 * names is booted once, the bundle of its machine runs inside with node:test (so the v2 tests run on each
 * kernel of the matrix: v2, v2-trixie, v2-sid), and every result it reports becomes a test of this run, so the
 * closing line counts them with the host's. A lane that is not prepared is skipped with the reason, or fails
 * when ISOLAB_REQUIRE_LANES names it (CI names them all).
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { laneTestFiles, machines } from '../scripts/build.js';
import { repoRoot } from './helpers/cli.js';
import { run as runAsync, runSync } from './helpers/run.js';

interface LaneResult {
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  reason?: string;
  error?: string;
}

/** A line of `check.sh --list`. */
interface Lane {
  name: string;
  machine: string;
  suite: string;
  /** The kernel release cached for it, or undefined when none is. */
  kernel: string | undefined;
}

interface LaneRun {
  lane: Lane;
  files: string[];
  unavailable?: string;
  results: LaneResult[];
  exitCode: number | null;
  output: string;
  seconds: number;
  /** How long Node ran in the guest (start-up, bundle, tests); the rest of `seconds` is boot and power-off. */
  nodeSeconds?: number;
}

function parseLaneList(text: string): Lane[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [name = '', machine = '', suite = '', kernel = '-'] = line.trim().split(/\s+/);
      return { name, machine, suite, kernel: kernel === '-' ? undefined : kernel };
    });
}

const required = new Set((process.env.ISOLAB_REQUIRE_LANES ?? '').split(',').map((lane) => lane.trim()).filter(Boolean));
const only = process.env.ISOLAB_LANES ? new Set(process.env.ISOLAB_LANES.split(',')) : undefined;
const listed = runSync('bash', [join(repoRoot, 'vm/lanes/check.sh'), '--list']);
const allLanes = parseLaneList(listed.stdout);

async function runLane(lane: Lane): Promise<LaneRun> {
  const files = laneTestFiles(lane.machine);
  const run: LaneRun = { lane, files, results: [], exitCode: null, output: '', seconds: 0 };
  if (only && !only.has(lane.name)) return { ...run, unavailable: 'not selected by ISOLAB_LANES' };
  if (process.geteuid?.() !== 0) return { ...run, unavailable: 'needs root (qemu shares / with the guest)' };
  const check = runSync('bash', [join(repoRoot, 'vm/lanes/check.sh'), lane.name]);
  if (check.status !== 0) return { ...run, unavailable: `${check.stdout.trim().replace(/\n\s*/g, '; ')}` };
  const bundle = join(repoRoot, 'dist/lanes', `${lane.machine}.mjs`);
  if (!existsSync(bundle)) return { ...run, unavailable: `${bundle} is missing: run npm run build` };

  const started = Date.now();
  const reporter = join(repoRoot, 'test/lanes/reporter.mjs');
  const guest = await runAsync(
    'bash',
    [join(repoRoot, 'vm/lanes/run.sh'), lane.name, '--workdir', repoRoot, '--', 'node', `--test-reporter=${reporter}`, bundle],
    // A guard against a hung guest, not a speed test: two lanes at once take up to twice as long as one alone.
    { env: { ISOLAB_LANE_TIMEOUT: process.env.ISOLAB_LANE_TIMEOUT ?? '1800' } },
  );
  run.seconds = Math.round((Date.now() - started) / 1000);
  run.exitCode = guest.status;
  run.output = `${guest.stdout}\n${guest.stderr}`;
  for (const line of guest.stdout.split('\n')) {
    const marker = line.indexOf('ISOLAB-LANE-RESULT ');
    if (marker >= 0) run.results.push(JSON.parse(line.slice(marker + 'ISOLAB-LANE-RESULT '.length)) as LaneResult);
    const node = /ISOLAB-LANE-NODE-SECONDS ([\d.]+)/.exec(line);
    if (node) run.nodeSeconds = Number(node[1]);
  }
  return run;
}

function timing(run: LaneRun): string {
  if (run.nodeSeconds === undefined) return `${run.seconds} s`;
  const node = Math.round(run.nodeSeconds);
  return `${run.seconds} s: boot and power-off ${run.seconds - node} s, Node and the tests ${node} s`;
}

describe('the lanes', () => {
  it('are listed by vm/lanes/check.sh --list, each on a machine that has a test bundle', () => {
    expect(listed.status, listed.stderr).toBe(0);
    expect(allLanes.map((lane) => lane.name)).toEqual(expect.arrayContaining(['v2', 'container', 'systemd']));
    for (const lane of allLanes) expect(machines, lane.name).toContain(lane.machine);
  });
  it('ISOLAB_REQUIRE_LANES names only lanes that exist', () => {
    expect([...required].filter((name) => !allLanes.some((lane) => lane.name === name))).toEqual([]);
  });
});

/**
 * Runs `work` on each item, `jobs` at a time, and gives the results in the items' order. A guest under TCG
 * (thread=single) keeps one host core busy and the host's test run waits meanwhile, so a machine with two cores
 * boots two lanes at once. Each run has its own directory, and a guest writes only into its own RAM overlay.
 */
async function inParallel<T, R>(items: readonly T[], jobs: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, worker));
  return results;
}

/** ISOLAB_LANE_JOBS, else one guest per host core, two at most (more would share cores: slower, and timing-sensitive). */
const laneJobs = Number(process.env.ISOLAB_LANE_JOBS) || Math.min(2, availableParallelism());

// Boot the lanes while collecting, so each guest result can be registered as a test of its own.
const runs = await inParallel(allLanes.filter((lane) => laneTestFiles(lane.machine).length > 0), laneJobs, runLane);
// Each lane's time in the run's log, where a passing test's name (which holds it too) is not printed.
for (const run of runs) if (!run.unavailable) console.log(`lane ${run.lane.name} (${laneJobs} at a time): ${timing(run)}`);

for (const run of runs) {
  describe(`lane ${run.lane.name}`, () => {
    if (run.unavailable) {
      if (required.has(run.lane.name)) {
        it(`is required (ISOLAB_REQUIRE_LANES) but cannot run: ${run.unavailable}`, () => {
          expect.fail(`lane ${run.lane.name} cannot run: ${run.unavailable}`);
        });
      } else {
        it.skip(`${run.files.length} test files skipped: ${run.unavailable}`, () => {});
      }
      return;
    }
    it(`booted Debian ${run.lane.suite}'s ${run.lane.kernel}, ran ${run.files.length} test files and reported (${timing(run)})`, () => {
      expect(run.results.length, `no results from the guest; its output:\n${run.output.slice(-4000)}`).toBeGreaterThan(0);
      // The guest's status is node:test's: 0 only when every test passed.
      const failed = run.results.some((result) => result.status === 'failed');
      expect(run.exitCode, run.output.slice(-4000)).toBe(failed ? 1 : 0);
    });
    for (const result of run.results) {
      if (result.status === 'skipped') {
        it.skip(`${result.name}${result.reason ? ` (${result.reason})` : ''}`, () => {});
      } else {
        it(result.name, () => {
          if (result.status === 'failed') expect.fail(result.error ?? 'failed in the guest');
        });
      }
    }
  });
}
