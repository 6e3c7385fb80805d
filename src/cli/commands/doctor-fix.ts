import { join } from 'node:path';
import { explainCgroupErrno, nestProcesses } from '../../cgroup/index.js';
import { blockedError, errnoCode, usageError } from '../../errors/index.js';
import { readWords } from '../../system/index.js';
import type { CommandContext } from '../command.js';
import { canAsk, confirm } from '../confirm.js';
import { err, out } from '../output.js';

/**
 * `isolab doctor --fix`: inside a container with a private cgroup namespace on v2 and a writable cgroupfs, move
 * every process of the namespace root into init/ and enable the available controllers. Refuses elsewhere.
 */
export async function fixNesting(context: CommandContext): Promise<number> {
  const workbook = await context.workbook({ fullProbe: true });
  const { cgroup, container, privileges } = workbook.env;
  if (cgroup.delegation.status === 'ok') {
    out(`Nothing to fix: delegation is ok (${cgroup.delegation.why}).`);
    return 0;
  }
  if (cgroup.mode !== 'v2') throw blockedError(`doctor --fix works on cgroup v2 only; this machine is ${cgroup.mode}`, 'The nesting move does not apply to v1: see `isolab doctor` for what to do here.');
  if (!container.cgroupNamespace) {
    throw blockedError(
      'this is the host\'s own root cgroup, not a container\'s: isolab will not move every process of the machine',
      `Delegation here is "${cgroup.delegation.status}": ${cgroup.delegation.why}.`,
    );
  }
  if (cgroup.delegation.status === 'read-only') throw blockedError('/sys/fs/cgroup is read-only in this container', 'Start the container privileged (devcontainer.json: "privileged": true), then run this again.');
  if (!privileges.root) throw blockedError('doctor --fix needs root', 'Run: sudo isolab doctor --fix');
  if (cgroup.delegation.status !== 'needs-nesting' || !cgroup.labParent) {
    throw blockedError(`delegation is "${cgroup.delegation.status}", which the nesting move does not fix`, cgroup.delegation.why);
  }

  const root = cgroup.labParent;
  const controllers = cgroup.controllers.available;
  const processes = readWords(join(root, 'cgroup.procs'))?.length ?? 0;
  out(
    [
      'isolab will:',
      `  1. create ${join(root, 'init')}`,
      `  2. move the ${processes} processes of this container's root cgroup into it (your shells and editor too; they keep running)`,
      `  3. enable ${controllers.join(' ')} in ${join(root, 'cgroup.subtree_control')}`,
      'so lessons can create cgroups with limits beside init/. Restarting the container undoes it.',
    ].join('\n'),
  );
  if (!context.flags.yes) {
    if (!canAsk()) throw usageError('doctor --fix asks before it moves processes, and there is no terminal to ask in', 'Pass --yes to agree without being asked.');
    if (!(await confirm('Proceed?'))) {
      err('Nothing was changed.');
      return 0;
    }
  }
  try {
    const result = await nestProcesses(root, controllers);
    out(`Moved ${result.moved} processes into init/ and enabled ${result.enabled.join(' ')}${result.rounds > 1 ? ` (after ${result.rounds} rounds: new processes kept arriving)` : ''}.`);
  } catch (error) {
    throw blockedError(explainCgroupErrno(errnoCode(error), 'enable-controller', join(root, 'cgroup.subtree_control')), 'Run `isolab doctor` to see the state now.');
  }
  const after = await (await import('../../workbook/index.js')).Workbook.open({ fullProbe: true });
  out(`Delegation is now ${after.env.cgroup.delegation.status}: ${after.env.cgroup.delegation.why}`);
  return after.env.cgroup.delegation.status === 'ok' ? 0 : 3;
}
