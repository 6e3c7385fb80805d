import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { kvmTrialFile, kvmTrialKey, type KvmTrial, type LabVmFacts } from '../env/index.js';
import { runProgram } from '../exec/index.js';

// A KVM boot of the lab VM powers off in a few seconds; one that has not after this will not.
export const kvmTrialSeconds = 25;

/**
 * Boots the lab VM once with KVM, `true` its command, and records the outcome where the environment report reads
 * it (env's kvmTrialFile, under the key of this qemu and kernel). /dev/kvm being there proves nothing: on some
 * hosts qemu's KVM aborts ("failed to set MSR") or hangs in early boot, which only trying shows.
 */
export async function tryKvm(runScript: string, kernel: string, facts: LabVmFacts): Promise<Omit<KvmTrial, 'key'>> {
  const result = await runProgram('bash', [runScript, 'lab', '--kernel', kernel, '--accel', 'kvm', '--', 'true'], {
    timeoutMs: (kvmTrialSeconds + 20) * 1000,
    env: { ...process.env, ISOLAB_LANE_TIMEOUT: String(kvmTrialSeconds) },
  });
  const works = result.exitCode === 0;
  const detail = works
    ? 'a trial boot with KVM worked'
    : result.exitCode === 124 || result.timedOut
      ? `a trial boot with KVM did not finish within ${kvmTrialSeconds} s`
      : `a trial boot with KVM failed: ${lastLine(result.stderr) || `exit ${result.exitCode}`}`;
  const file = kvmTrialFile(facts.cacheDir);
  mkdirSync(dirname(file), { recursive: true });
  const trial: KvmTrial = { key: kvmTrialKey(facts, facts.hostRelease), works, detail, at: new Date().toISOString() };
  writeFileSync(file, `${JSON.stringify(trial, null, 2)}\n`);
  return trial;
}

/** qemu's own complaint when it made one ("failed to set MSR ..."), else run.sh's last word. */
function lastLine(text: string): string {
  const lines = text.split('\n').map((line) => line.replace(/^isolab-lane: /, '').trim()).filter(Boolean);
  const fromQemu = lines.find((line) => /^qemu-system-[\w-]+: /.test(line));
  return (fromQemu ?? lines.at(-1) ?? '').replace(/^qemu-system-[\w-]+: (error: )?/, '').slice(0, 160);
}
