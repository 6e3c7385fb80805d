/**
 * Real kernels in the test run. Tests named `*.<lane>.test.ts` (lanes: v2, container, systemd; vm/README.md)
 * are bundled by the build into dist/lanes/<lane>.mjs; here each needed lane is booted once, the bundle runs
 * inside with node:test, and every result it reports becomes a test of this run, so the closing line counts
 * them with the host's. A lane that is not prepared is skipped with the reason, or fails when
 * ISOLAB_REQUIRE_LANES names it (CI sets all three).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { laneTestFiles, lanes } from '../scripts/build.js';
import { repoRoot } from './helpers/cli.js';

interface LaneResult {
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  reason?: string;
  error?: string;
}

interface LaneRun {
  lane: string;
  files: string[];
  unavailable?: string;
  results: LaneResult[];
  exitCode: number | null;
  output: string;
  seconds: number;
}

const required = new Set((process.env.ISOLAB_REQUIRE_LANES ?? '').split(',').map((lane) => lane.trim()).filter(Boolean));
const only = process.env.ISOLAB_LANES ? new Set(process.env.ISOLAB_LANES.split(',')) : undefined;

function runLane(lane: string): LaneRun {
  const files = laneTestFiles(lane);
  const run: LaneRun = { lane, files, results: [], exitCode: null, output: '', seconds: 0 };
  if (only && !only.has(lane)) return { ...run, unavailable: 'not selected by ISOLAB_LANES' };
  if (process.geteuid?.() !== 0) return { ...run, unavailable: 'needs root (qemu shares / with the guest)' };
  const check = spawnSync('bash', [join(repoRoot, 'vm/lanes/check.sh'), lane], { encoding: 'utf8' });
  if (check.status !== 0) return { ...run, unavailable: `${check.stdout.trim().replace(/\n\s*/g, '; ')}` };
  const bundle = join(repoRoot, 'dist/lanes', `${lane}.mjs`);
  if (!existsSync(bundle)) return { ...run, unavailable: `${bundle} is missing: run npm run build` };

  const started = Date.now();
  const reporter = join(repoRoot, 'test/lanes/reporter.mjs');
  const guest = spawnSync(
    'bash',
    [join(repoRoot, 'vm/lanes/run.sh'), lane, '--workdir', repoRoot, '--', 'node', `--test-reporter=${reporter}`, bundle],
    { encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, ISOLAB_LANE_TIMEOUT: process.env.ISOLAB_LANE_TIMEOUT ?? '900' } },
  );
  run.seconds = Math.round((Date.now() - started) / 1000);
  run.exitCode = guest.status;
  run.output = `${guest.stdout}\n${guest.stderr}`;
  for (const line of guest.stdout.split('\n')) {
    const marker = line.indexOf('ISOLAB-LANE-RESULT ');
    if (marker >= 0) run.results.push(JSON.parse(line.slice(marker + 'ISOLAB-LANE-RESULT '.length)) as LaneResult);
  }
  return run;
}

// Boot the lanes while collecting, so each guest result can be registered as a test of its own.
const runs = lanes.filter((lane) => laneTestFiles(lane).length > 0).map(runLane);

for (const run of runs) {
  describe(`lane ${run.lane}`, () => {
    if (run.unavailable) {
      if (required.has(run.lane)) {
        it(`is required (ISOLAB_REQUIRE_LANES) but cannot run: ${run.unavailable}`, () => {
          expect.fail(`lane ${run.lane} cannot run: ${run.unavailable}`);
        });
      } else {
        it.skip(`${run.files.length} test files skipped: ${run.unavailable}`, () => {});
      }
      return;
    }
    it(`booted, ran ${run.files.length} test files and reported (${run.seconds} s)`, () => {
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
