import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defineChecker, type CheckContext } from '../../src/verify/index.js';
import { bundleDir, deleteContainer, detached, prepareBundle, readSpec, removeLab, requireRunning, runc, runcSaid, seccompMode, specForCheck, writeSpec, type ContainerState, runningCheck } from './lib/runc.js';

const bundle = bundleDir('seccomp');
const id = 'isolab-seccomp';
/** /dev/shm is a tmpfs in runc spec's template: writable even with a read-only root, so only the filter can say no. */
const denied = '/dev/shm/isolab-denied';
const allowed = '/dev/shm/isolab-allowed';

/** A path inside the container, seen from the host through the container process's root. */
const throughRoot = (context: CheckContext, state: ContainerState, path: string) => join(context.system.proc, String(state.pid), 'root', path);

/** What config.json asks for, to explain what the kernel did. */
function filterInFile(): string {
  const read = specForCheck(bundle, '3.5');
  if ('outcome' in read) return 'config.json cannot be read';
  const seccomp = read.spec.linux?.seccomp;
  if (!seccomp) return 'config.json has no linux.seccomp';
  const rules = (seccomp.syscalls ?? []).map((rule) => `${rule.names.join(',')} → ${rule.action}${rule.errnoRet !== undefined ? ` (errno ${rule.errnoRet})` : ''}`);
  return `config.json: defaultAction ${seccomp.defaultAction}; ${rules.join('; ') || 'no syscall rules'}`;
}

export default defineChecker({
  checks: [
    runningCheck(id, bundle),
    {
      id: 'filter-loaded',
      title: 'the kernel has a seccomp filter on the container process',
      tag: 'observe',
      async run(context) {
        const running = await requireRunning(context, id, bundle);
        if ('outcome' in running) return running.outcome;
        const { mode, filters } = seccompMode(context, running.state.pid);
        const observed = { seccomp: mode ?? null, filters: filters ?? null };
        if (mode !== '2') {
          return { pass: false, message: `/proc/${running.state.pid}/status says Seccomp: ${mode ?? '?'} (0: none, 2: filter)`, observed, hint: `${filterInFile()}. Add linux.seccomp, then runc delete --force ${id} and run it again: a filter is loaded once, when the process starts.` };
        }
        return { pass: true, message: `Seccomp: 2 (filter mode), Seccomp_filters: ${filters}`, observed };
      },
    },
    {
      id: 'denied',
      title: 'mkdir inside fails with EPERM (Operation not permitted), and no directory appears',
      tag: 'experiment',
      async run(context) {
        const running = await requireRunning(context, id, bundle);
        if ('outcome' in running) return running.outcome;
        const result = await runc(context, ['exec', id, 'mkdir', denied]);
        const made = existsSync(throughRoot(context, running.state, denied));
        if (made) await runc(context, ['exec', id, 'rmdir', denied]);
        const said = (result.stderr || result.stdout).trim();
        const observed = { exitCode: result.exitCode, signal: result.signal, said, made };
        if (result.exitCode === 0 || made) return { pass: false, message: `mkdir ${denied} succeeded inside`, observed, hint: `${filterInFile()}. The rule needs "mkdir" and "mkdirat" (libc may use either) with action SCMP_ACT_ERRNO. A misspelled name is skipped without a word.` };
        if (/Operation not permitted/.test(said)) return { pass: true, message: `runc exec ${id} mkdir ${denied}: "${said}"; the directory does not exist`, observed };
        if (result.exitCode === 159 || result.signal === 'SIGSYS' || /Bad system call/.test(said)) {
          return { pass: false, message: 'mkdir was killed (SIGSYS) instead of failing', observed, hint: 'That is SCMP_ACT_KILL or SCMP_ACT_TRAP. The lesson asks for SCMP_ACT_ERRNO: the call fails and the program goes on.' };
        }
        if (/runc|exec failed/.test(said)) return { pass: false, message: `runc exec itself failed: ${runcSaid(result)}`, observed, hint: 'The filter may block something runc needs to start the process: keep defaultAction SCMP_ACT_ALLOW and deny only mkdir and mkdirat.' };
        return { pass: false, message: `mkdir failed, but with "${said}"`, observed, hint: 'SCMP_ACT_ERRNO returns EPERM unless errnoRet says otherwise: remove errnoRet (or set it to 1).' };
      },
    },
    {
      id: 'allowed',
      title: 'a call the filter allows still works (creating a file)',
      tag: 'experiment',
      async run(context) {
        const running = await requireRunning(context, id, bundle);
        if ('outcome' in running) return running.outcome;
        const result = await runc(context, ['exec', id, 'touch', allowed]);
        const made = existsSync(throughRoot(context, running.state, allowed));
        await runc(context, ['exec', id, 'rm', '-f', allowed]);
        const observed = { exitCode: result.exitCode, said: (result.stderr || result.stdout).trim(), made };
        if (result.exitCode !== 0 || !made) {
          return { pass: false, message: `touch ${allowed} failed inside: ${observed.said || `exit ${result.exitCode}`}`, observed, hint: `${filterInFile()}. Deny only what you mean to: defaultAction SCMP_ACT_ALLOW, and a rule for mkdir and mkdirat.` };
        }
        return { pass: true, message: `touch ${allowed} worked inside (openat is allowed); the file appeared under /proc/${running.state.pid}/root`, observed };
      },
    },
  ],

  async setup(context) {
    await prepareBundle(context, bundle);
  },

  async cleanup(context) {
    await removeLab(context, bundle, [id]);
  },

  // Step 2: everything allowed except mkdir and mkdirat, which fail with EPERM; then run it.
  async solution(context) {
    await prepareBundle(context, bundle);
    const spec = detached(readSpec(bundle), 'isolab-seccomp');
    spec.linux = { ...spec.linux, seccomp: { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO' }] } };
    writeSpec(bundle, spec);
    await deleteContainer(context, id);
    const result = await runc(context, ['run', '-d', '--bundle', bundle, id]);
    if (result.exitCode !== 0) throw new Error(`runc run -d: ${runcSaid(result)}`);
  },
});
