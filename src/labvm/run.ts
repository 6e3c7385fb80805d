import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';
import { kvmAfterTrial, readLabVm } from '../env/index.js';
import { blockedError, IsolabError, ExitCode } from '../errors/index.js';
import { withPidLock } from '../lab/index.js';
import { stateHome } from '../progress/index.js';
import { liveSystem, packageRoot } from '../system/index.js';
import { tryKvm } from './kvm-trial.js';
import { planLabVm, type LabVmPlan } from './plan.js';
import { readyToStart } from './prepare.js';

export interface LabVmRequest {
  /** What runs as root in the VM; empty: a login shell. */
  command: string[];
  /** stdin and stdout are a terminal: the command gets it (else its output comes through a pipe). */
  interactive: boolean;
  /** Consent to install and fetch what the VM lacks. */
  yes: boolean;
  /** A line for the learner, on stderr. */
  say(line: string): void;
}

const forwardedSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * `isolab vm`: boots the lab machine of vm/lanes (run.sh lab: a cgroup v2 kernel under qemu, this machine's /
 * read-only below a tmpfs, the checkout shared read-write at its own path), runs the command there as root and
 * gives back its exit status. One VM per checkout at a time.
 */
export async function runLabVm(request: LabVmRequest): Promise<number> {
  if (!request.interactive && request.command.length === 0) {
    throw new IsolabError('isolab vm without a command opens a shell, and needs a terminal for it', { remedy: 'Give it a command: isolab vm -- <command…>', exitCode: ExitCode.usage });
  }
  if (process.getuid?.() !== 0) {
    throw blockedError(
      'isolab vm starts qemu as root: the VM reads this machine\'s files (read-only) to boot from them',
      'Run it with sudo: sudo isolab vm (what the VM writes in your checkout stays yours).',
    );
  }
  const root = packageRoot();
  const lanes = join(root, 'vm', 'lanes');
  const system = liveSystem();
  const facts = await readyToStart(readLabVm(system), {
    yes: request.yes,
    interactive: request.interactive,
    prepareScript: join(lanes, 'prepare.sh'),
    reread: () => readLabVm(system),
    say: request.say,
  });
  const place = { checkout: root, stateHome: stateHome(), cwd: process.cwd(), accelOverride: process.env.ISOLAB_VM_ACCEL };
  let plan = planLabVm(facts, place);
  const runScript = join(lanes, 'run.sh');
  if (plan.accel === 'try-kvm') {
    request.say('trying KVM (a trial boot, once for this machine, at most 25 s)…');
    const trial = await tryKvm(runScript, plan.kernel, facts);
    // The plan again, from what the trial made of the facts: it says what doctor will say from now on.
    plan = planLabVm({ ...facts, kvm: kvmAfterTrial(trial), acceleration: trial.works ? 'kvm' : 'tcg' }, place);
  }
  return withPidLock(vmLockFile(root), (owner) => alreadyRunning(root, owner), () => boot(runScript, plan, request));
}

async function boot(runScript: string, plan: LabVmPlan, request: LabVmRequest): Promise<number> {
  const interactive = request.interactive;
  const command = request.command.length > 0 ? request.command : ['bash', '--login'];
  const args = ['lab', '--kernel', plan.kernel, '--accel', plan.accel === 'kvm' ? 'kvm' : 'tcg', ...plan.shares.flatMap((share) => ['--share', share]), ...plan.cached.flatMap((dir) => ['--cached', dir]), '--workdir', plan.workdir];
  if (interactive) args.push('--tty');
  request.say(`lab VM (cgroup v2, root; ${plan.shares.join(' and ')} shared read-write)\n${plan.said}${interactive && request.command.length === 0 ? '\nexit or Ctrl-D comes back here' : ''}`);
  // node:child_process, not exec/: qemu must own this terminal, in the foreground process group, with inherited
  // stdio. setpriv's parent-death signal takes the VM down should this isolab be killed outright. The terminal's
  // settings come back however qemu ends: run.sh restores them, and Node puts back at exit those it found at start.
  const child = spawn('setpriv', ['--pdeathsig', 'TERM', '--', 'bash', runScript, ...args, '--', ...command], { stdio: 'inherit' });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  for (const signal of forwardedSignals) process.on(signal, forward);
  try {
    const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    if (code === 125) throw blockedError('the lab VM stopped before the command ended: what it said is above', 'isolab doctor shows whether a lab VM can start here; vm/README.md (Troubleshooting) explains the messages.');
    if (code === 124) throw blockedError('the lab VM did not finish within ISOLAB_LANE_TIMEOUT', 'Unset ISOLAB_LANE_TIMEOUT or raise it.');
    if (code !== null) return code;
    return 128 + (signal ? constants.signals[signal] : 0);
  } finally {
    for (const signal of forwardedSignals) process.off(signal, forward);
  }
}

/** One lab VM per checkout: two would write one progress file and one set of exercise files from two kernels. */
function vmLockFile(checkout: string): string {
  const dir = '/run/isolab';
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  return join(dir, `vm-${createHash('sha256').update(checkout).digest('hex').slice(0, 16)}.lock`);
}

function alreadyRunning(checkout: string, owner: number): IsolabError {
  return blockedError(
    `a lab VM is already running for ${checkout} (isolab vm, pid ${owner})`,
    `Use that one: it shares this checkout. Or stop it (kill ${owner}) and start again.`,
  );
}
