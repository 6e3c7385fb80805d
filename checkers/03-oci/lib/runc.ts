// What the checkers of track 03 share: bundles under /tmp/isolab-lab/oci, and runc asked for the truth.
import { existsSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NamespaceKind } from '../../../src/env/index.js';
import { buildRootfs } from '../../../src/rootfs/index.js';
import { namespaceInode, namespaceOf, statusField, type Check, type CheckContext, type CheckOutcome, type ExecResult } from '../../../src/verify/index.js';

/** Every bundle of the track lives below this directory (isolab clean removes /tmp/isolab-lab). */
export const ociLab = '/tmp/isolab-lab/oci';
export const bundleDir = (name: string) => join(ociLab, name);

/** The parts of config.json the checkers read and the solutions write; the rest is carried through. */
export interface OciSpec {
  process?: { terminal?: boolean; args?: string[]; env?: string[]; [field: string]: unknown };
  root?: { path: string; readonly?: boolean };
  hostname?: string;
  mounts?: Array<{ destination: string; type?: string; source?: string; options?: string[] }>;
  linux?: {
    namespaces?: Array<{ type: string; path?: string }>;
    seccomp?: { defaultAction: string; syscalls?: Array<{ names: string[]; action: string; errnoRet?: number }> };
    cgroupsPath?: string;
    resources?: { memory?: { limit?: number }; pids?: { limit: number }; [field: string]: unknown };
    [field: string]: unknown;
  };
  [field: string]: unknown;
}

/** What `runc state <id>` prints. */
export interface ContainerState {
  id: string;
  pid: number;
  status: 'creating' | 'created' | 'running' | 'paused' | 'stopped';
  bundle: string;
  rootfs: string;
  /** When runc create made it (RFC 3339). */
  created?: string;
}

export function runc(context: CheckContext, args: readonly string[], timeoutMs = 15_000): Promise<ExecResult> {
  return context.exec('runc', args, { timeoutMs });
}

/** runc's own words from a failed command: the msg of its last log line, or the output. */
export function runcSaid(result: ExecResult): string {
  const text = (result.stderr || result.stdout || result.spawnError || '').trim();
  const messages = [...text.matchAll(/msg="((?:[^"\\]|\\.)*)"/g)].map((match) => match[1]!.replace(/\\"/g, '"'));
  if (messages.length > 0) return messages.at(-1)!;
  if (text) return text.split('\n').at(-1)!;
  return result.exitCode === null ? `killed by ${result.signal ?? 'a signal'}` : `exit ${result.exitCode}`;
}

/** `runc state <id>`, or the reason there is none ("container does not exist"). */
export async function containerState(context: CheckContext, id: string): Promise<{ state?: ContainerState; error?: string }> {
  const result = await runc(context, ['state', id], 10_000);
  if (result.exitCode !== 0) return { error: runcSaid(result) };
  return { state: JSON.parse(result.stdout) as ContainerState };
}

/** Every container runc knows (`runc list --format json`: id, pid, status, bundle, created). */
export async function listContainers(context: CheckContext): Promise<ContainerState[]> {
  const result = await runc(context, ['list', '--format', 'json'], 10_000);
  if (result.exitCode !== 0) throw new Error(`runc list: ${runcSaid(result)}`);
  // runc prints null, not [], when it knows no container.
  return (JSON.parse(result.stdout || 'null') as ContainerState[] | null) ?? [];
}

/** Polls `runc state` until the container has this status (a kill is delivered, then the process exits). */
export async function waitForStatus(context: CheckContext, id: string, status: ContainerState['status'], timeoutMs = 5_000): Promise<ContainerState | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { state } = await containerState(context, id);
    if (state?.status === status) return state;
    if (Date.now() > deadline) return state;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** `runc delete --force` when runc knows the id; quiet when it does not. */
export async function deleteContainer(context: CheckContext, id: string): Promise<void> {
  const list = await runc(context, ['list', '--quiet'], 10_000);
  if (!list.stdout.split('\n').some((line) => line.trim() === id)) return;
  const result = await runc(context, ['delete', '--force', id]);
  if (result.exitCode !== 0) throw new Error(`runc delete --force ${id}: ${runcSaid(result)}`);
}

/**
 * A running container with this id, made from this bundle, or a failed outcome whose hint says what to do about
 * the state runc reported.
 */
export async function requireRunning(context: CheckContext, id: string, bundle: string): Promise<{ state: ContainerState } | { outcome: CheckOutcome }> {
  const run = `runc run -d --bundle ${bundle} ${id}`;
  const { state, error } = await containerState(context, id);
  if (!state) {
    return { outcome: { pass: false, message: `runc knows no container ${id} (${error})`, observed: { status: null }, hint: `Start it: \`${run}\`. If runc refuses, its message is in "When it goes wrong".` } };
  }
  const observed = { status: state.status, pid: state.pid, bundle: state.bundle };
  if (state.bundle !== bundle) {
    return { outcome: { pass: false, message: `${id} was made from ${state.bundle}, not ${bundle}`, observed, hint: `Delete it (\`runc delete --force ${id}\`) and run it from this lesson's bundle: \`${run}\`.` } };
  }
  switch (state.status) {
    case 'running':
      return { state };
    case 'created':
      return { outcome: { pass: false, message: `${id} is created but not started`, observed, hint: `\`runc start ${id}\` (or next time \`runc run -d\`, which does both).` } };
    case 'stopped':
      return {
        outcome: {
          pass: false,
          message: `${id} is stopped: its process has exited`,
          observed,
          hint: `process.args must be a program that keeps running, such as ["sleep", "3600"] (sh exits at once without a terminal). Then \`runc delete ${id}\` and \`${run}\`.`,
        },
      };
    default:
      return { outcome: { pass: false, message: `${id} is ${state.status}`, observed, hint: `\`runc resume ${id}\` if it is paused; otherwise delete it and run it again.` } };
  }
}

/** The inode of the container process's namespace of this kind (what /proc/<pid>/ns/<kind> names). */
export function containerNamespace(context: CheckContext, pid: number | 'self', kind: NamespaceKind): number | undefined {
  const link = namespaceOf(context.system, pid, kind);
  return link ? namespaceInode(link) : undefined;
}

export const seccompMode = (context: CheckContext, pid: number) => ({ mode: statusField(context.system, pid, 'Seccomp'), filters: statusField(context.system, pid, 'Seccomp_filters') });

export function readSpec(bundle: string): OciSpec {
  return JSON.parse(readFileSync(join(bundle, 'config.json'), 'utf8')) as OciSpec;
}

/** config.json as the learner would leave it: a new file renamed over the old one. */
export function writeSpec(bundle: string, spec: OciSpec): void {
  const file = join(bundle, 'config.json');
  writeFileSync(`${file}.tmp`, `${JSON.stringify(spec, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

/** Reads config.json for a check: the spec, or a failed outcome naming runc's complaint about it. */
export function specForCheck(bundle: string, lesson?: string): { spec: OciSpec } | { outcome: CheckOutcome } {
  const file = join(bundle, 'config.json');
  if (!existsSync(file)) {
    const make = `\`runc spec --bundle ${bundle}\` writes the template`;
    return { outcome: { pass: false, message: `there is no ${file}`, observed: { config: null }, hint: lesson ? `\`isolab start ${lesson}\` makes the bundle again; or ${make}.` : `${make}.` } };
  }
  try {
    return { spec: readSpec(bundle) };
  } catch (error) {
    return { outcome: { pass: false, message: `${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`, observed: {}, hint: 'runc cannot read it either. Fix the syntax at the place named (a missing comma or quote?).' } };
  }
}

/**
 * The lesson's starting point: a rootfs from isolab rootfs and runc spec's config.json, each made only when
 * missing, so a learner's own edits survive `isolab start`.
 */
export async function prepareBundle(context: CheckContext, bundle: string): Promise<void> {
  if (!existsSync(join(bundle, 'rootfs/bin/busybox'))) buildRootfs(join(bundle, 'rootfs'), { force: true, env: context.system.env });
  if (!existsSync(join(bundle, 'config.json'))) {
    const result = await runc(context, ['spec', '--bundle', bundle]);
    if (result.exitCode !== 0) throw new Error(`runc spec --bundle ${bundle}: ${runcSaid(result)}`);
  }
}

/** What a learner does first in lessons 3.3 to 3.7: no terminal, and a process that stays. */
export function detached(spec: OciSpec, hostname: string): OciSpec {
  spec.process = { ...spec.process, terminal: false, args: ['sleep', '3600'] };
  spec.hostname = hostname;
  return spec;
}

/** Removes the containers, then the bundle directory. */
export async function removeLab(context: CheckContext, bundle: string, ids: readonly string[]): Promise<void> {
  for (const id of ids) await deleteContainer(context, id);
  rmSync(bundle, { recursive: true, force: true });
  try {
    rmdirSync(ociLab);
  } catch {
    // Another lesson's bundle is still there, or it is gone already.
  }
}

/** The first check of every lesson that needs a running container: runc's own word that it runs. */
export function runningCheck(id: string, bundle: string): Check {
  return {
    id: 'running',
    title: `runc reports ${id} running`,
    tag: 'observe',
    async run(context) {
      const running = await requireRunning(context, id, bundle);
      if ('outcome' in running) return running.outcome;
      return { pass: true, message: `runc state ${id}: running, pid ${running.state.pid}`, observed: { pid: running.state.pid } };
    },
  };
}
