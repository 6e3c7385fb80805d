import { existsSync } from 'node:fs';
import { bundleDir, containerCheck, defineChecker, prepareBundle, readSpec, removeBundle, runc, runcSaid, runDetached, runningCheck, systemPath, type CheckContext } from '../../src/kit/index.js';
import { statusField } from '../../src/verify/index.js';

const bundle = bundleDir('seccomp');
const id = 'isolab-seccomp';
const container = { id, bundle };
/** /dev/shm is a tmpfs in runc spec's template: writable even with a read-only root, so only the filter can say no. */
const denied = '/dev/shm/isolab-denied';
const allowed = '/dev/shm/isolab-allowed';

/**
 * Runs `command path` inside the container and `undo path` after it, and says whether the path appeared inside,
 * seen from the host through the container process's root.
 */
async function tryInside(context: CheckContext, pid: number, command: string, path: string, undo: string[]) {
  const result = await runc(context, ['exec', id, command, path]);
  const made = existsSync(systemPath(context, `/proc/${pid}/root${path}`));
  if (made) await runc(context, ['exec', id, ...undo, path]);
  return { result, made, said: (result.stderr || result.stdout).trim() };
}

/** What config.json asks for, to explain what the kernel did. */
function filterInFile(): string {
  let seccomp;
  try {
    seccomp = readSpec(bundle).linux?.seccomp;
  } catch {
    return 'config.json cannot be read';
  }
  if (!seccomp) return 'config.json has no linux.seccomp';
  const rules = (seccomp.syscalls ?? []).map((rule) => `${rule.names.join(',')} → ${rule.action}${rule.errnoRet !== undefined ? ` (errno ${rule.errnoRet})` : ''}`);
  return `config.json: defaultAction ${seccomp.defaultAction}; ${rules.join('; ') || 'no syscall rules'}`;
}

export default defineChecker({
  checks: [
    runningCheck(container),
    containerCheck(container, { id: 'filter-loaded', title: 'the kernel has a seccomp filter on the container process', tag: 'observe' }, async (context, { pid }) => {
      const mode = statusField(context.system, pid, 'Seccomp');
      const filters = statusField(context.system, pid, 'Seccomp_filters');
      const observed = { seccomp: mode ?? null, filters: filters ?? null };
      if (mode !== '2') {
        return { pass: false, message: `/proc/${pid}/status says Seccomp: ${mode ?? '?'} (0: none, 2: filter)`, observed, hint: `${filterInFile()}. Add linux.seccomp, then runc delete --force ${id} and run it again: a filter is loaded once, when the process starts.` };
      }
      return { pass: true, message: `Seccomp: 2 (filter mode), Seccomp_filters: ${filters}`, observed };
    }),
    containerCheck(container, { id: 'denied', title: 'mkdir inside fails with EPERM (Operation not permitted), and no directory appears', tag: 'experiment' }, async (context, { pid }) => {
      const { result, made, said } = await tryInside(context, pid, 'mkdir', denied, ['rmdir']);
      const observed = { exitCode: result.exitCode, signal: result.signal, said, made };
      if (result.exitCode === 0 || made) return { pass: false, message: `mkdir ${denied} succeeded inside`, observed, hint: `${filterInFile()}. The rule needs "mkdir" and "mkdirat" (libc may use either) with action SCMP_ACT_ERRNO. A misspelled name is skipped without a word.` };
      if (/Operation not permitted/.test(said)) return { pass: true, message: `runc exec ${id} mkdir ${denied}: "${said}"; the directory does not exist`, observed };
      if (result.exitCode === 159 || result.signal === 'SIGSYS' || /Bad system call/.test(said)) {
        return { pass: false, message: 'mkdir was killed (SIGSYS) instead of failing', observed, hint: 'That is SCMP_ACT_KILL or SCMP_ACT_TRAP. The lesson asks for SCMP_ACT_ERRNO: the call fails and the program goes on.' };
      }
      if (/runc|exec failed/.test(said)) return { pass: false, message: `runc exec itself failed: ${runcSaid(result)}`, observed, hint: 'The filter may block something runc needs to start the process: keep defaultAction SCMP_ACT_ALLOW and deny only mkdir and mkdirat.' };
      return { pass: false, message: `mkdir failed, but with "${said}"`, observed, hint: 'SCMP_ACT_ERRNO returns EPERM unless errnoRet says otherwise: remove errnoRet (or set it to 1).' };
    }),
    containerCheck(container, { id: 'allowed', title: 'a call the filter allows still works (creating a file)', tag: 'experiment' }, async (context, { pid }) => {
      const { result, made, said } = await tryInside(context, pid, 'touch', allowed, ['rm', '-f']);
      const observed = { exitCode: result.exitCode, said, made };
      if (result.exitCode !== 0 || !made) {
        return { pass: false, message: `touch ${allowed} failed inside: ${said || `exit ${result.exitCode}`}`, observed, hint: `${filterInFile()}. Deny only what you mean to: defaultAction SCMP_ACT_ALLOW, and a rule for mkdir and mkdirat.` };
      }
      return { pass: true, message: `touch ${allowed} worked inside (openat is allowed); the file appeared under /proc/${pid}/root`, observed };
    }),
  ],

  setup: (context) => prepareBundle(context, bundle),

  cleanup: (context) => removeBundle(context, bundle, [id]),

  // Step 2: everything allowed except mkdir and mkdirat, which fail with EPERM; then run it.
  solution: (context) =>
    runDetached(context, bundle, id, (spec) => {
      spec.linux = { ...spec.linux, seccomp: { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO' }] } };
    }),
});
