// In-process cost of the environment report, as `list` builds it and as `doctor` builds it (median of many).
import { namespaceKinds, probeEnvironment } from '../src/env/index.js';

async function median(runs: number, work: () => Promise<unknown>): Promise<number> {
  await work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  return samples.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

const runs = Number(process.env.ISOLAB_BENCH_RUNS ?? 51);
const listPath = await median(runs, () => probeEnvironment(undefined, { namespaces: ['user'], sudo: false }));
const doctorPath = await median(runs, () => probeEnvironment(undefined, { namespaces: namespaceKinds, sudo: true }));
console.log(JSON.stringify({ runs, listPath, doctorPath }));
