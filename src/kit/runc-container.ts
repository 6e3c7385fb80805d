import type { NamespaceKind } from '../env/index.js';
import { failCheck, namespaceInode, namespaceOf, readProcess, type Check, type CheckContext, type CheckOutcome } from '../verify/index.js';
import { prepareBundle, readSpec, writeSpec, type OciSpec } from './oci-bundle.js';
import { containerState, deleteContainer, runcOrThrow, type ContainerState } from './runc.js';

/**
 * The container `id`, running, made from `bundle`. Anything else ends the check as failed, with a hint for the
 * state runc reported (none, another bundle's, created, stopped, paused).
 */
export async function runningContainer(context: Pick<CheckContext, 'exec'>, id: string, bundle: string): Promise<ContainerState> {
  const run = `runc run -d --bundle ${bundle} ${id}`;
  const { state, error } = await containerState(context, id);
  if (!state) failCheck({ message: `runc knows no container ${id} (${error})`, observed: { status: null }, hint: `Start it: \`${run}\`. If runc refuses, its message is in "When it goes wrong".` });
  const fail = (message: string, hint: string) => failCheck({ message, hint, observed: { status: state.status, pid: state.pid, bundle: state.bundle } });
  if (state.bundle !== bundle) fail(`${id} was made from ${state.bundle}, not ${bundle}`, `Delete it (\`runc delete --force ${id}\`) and run it from this lesson's bundle: \`${run}\`.`);
  switch (state.status) {
    case 'running':
      return state;
    case 'created':
      return fail(`${id} is created but not started`, `\`runc start ${id}\` (or next time \`runc run -d\`, which does both).`);
    case 'stopped': {
      const stays = 'process.args must be a program that keeps running, such as ["sleep", "3600"] (sh exits at once without a terminal)';
      return fail(`${id} is stopped: its process has exited`, `${stays}. Then \`runc delete ${id}\` and \`${run}\`.`);
    }
    default:
      return fail(`${id} is ${state.status}`, `\`runc resume ${id}\` if it is paused; otherwise delete it and run it again.`);
  }
}

/**
 * A check of the lesson's container: `run` gets its state once runningContainer has found it running from its
 * bundle (otherwise the check has failed already, saying what runc reported).
 */
export function containerCheck(
  container: { id: string; bundle: string },
  check: Omit<Check, 'run'>,
  run: (context: CheckContext, state: ContainerState) => Promise<CheckOutcome>,
): Check {
  return { ...check, run: async (context) => run(context, await runningContainer(context, container.id, container.bundle)) };
}

/** A lesson's first check when it needs a running container: runc's own word that it runs, and what it runs. */
export function runningCheck(container: { id: string; bundle: string }, title = `runc reports ${container.id} running`): Check {
  return containerCheck(container, { id: 'running', title, tag: 'observe' }, async (context, { status, pid }) => {
    const args = readProcess(context.system, pid)?.argv ?? [];
    return { pass: true, message: `runc state ${container.id}: running, pid ${pid} (${args.join(' ')})`, observed: { status, pid, args } };
  });
}

/** The inode of a process's namespace of this kind (what /proc/<pid>/ns/<kind> names); undefined if unreadable. */
export function namespaceInodeOf(context: Pick<CheckContext, 'system'>, pid: number | 'self', kind: NamespaceKind): number | undefined {
  const link = namespaceOf(context.system, pid, kind);
  return link ? namespaceInode(link) : undefined;
}

/**
 * What a learner does to run a lesson's container: the bundle prepared, config.json given a process that stays
 * (no terminal, `sleep 3600`) and the id as hostname, `edit` applied, then `runc run -d` (an old container of
 * that id deleted first).
 */
export async function runDetached(context: Pick<CheckContext, 'exec' | 'system'>, bundle: string, id: string, edit: (spec: OciSpec) => void = () => {}): Promise<void> {
  await prepareBundle(context, bundle);
  const spec = readSpec(bundle);
  spec.process = { ...spec.process, terminal: false, args: ['sleep', '3600'] };
  spec.hostname = id;
  edit(spec);
  writeSpec(bundle, spec);
  await deleteContainer(context, id);
  await runcOrThrow(context, ['run', '-d', '--bundle', bundle, id]);
}
