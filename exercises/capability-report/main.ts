// capability-report: which backend does this machine give a sandbox? Complete: it calls the functions of
// report.ts (lesson 4.1) and prints their answers as JSON.
//
//   isolab exercise capability-report            the report, as JSON
//   isolab exercise capability-report --strict   the same, or exit 2 when cgroup v2 is missing
import { cgroupMode, cgroupV2Mount, degradations, kernelRelease, namespaces, pidfdAvailable, usableControllers } from './report.js';

function main(args: string[]): number {
  const strict = args.includes('--strict');
  const unknown = args.filter((arg) => arg !== '--strict');
  if (unknown.length > 0) {
    process.stderr.write(`capability-report: unknown argument ${unknown[0]} (only --strict)\n`);
    return 1;
  }
  const mode = cgroupMode();
  if (strict && mode !== 'v2') {
    process.stderr.write(`capability-report: --strict needs cgroup v2, but this machine has cgroup ${mode}: refusing to run a sandbox whose limits would not hold\n`);
    return 2;
  }
  const report = {
    kernel: kernelRelease(),
    cgroup: { mode, v2Mount: cgroupV2Mount(), controllers: usableControllers(mode) },
    pidfd: pidfdAvailable(),
    namespaces: namespaces(),
    strict,
  };
  process.stdout.write(`${JSON.stringify({ ...report, degraded: degradations(report) }, null, 2)}\n`);
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`capability-report: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
