import type { CheckContext, ExecResult } from '../verify/index.js';
import { waitUntil } from './wait.js';

/** What `runc state <id>` prints (and `runc list --format json`, one per container). */
export interface ContainerState {
  id: string;
  pid: number;
  status: 'creating' | 'created' | 'running' | 'paused' | 'stopped';
  bundle: string;
  rootfs: string;
  /** When runc create made it (RFC 3339). */
  created?: string;
}

type RuncContext = Pick<CheckContext, 'exec' | 'signal'>;

export function runc(context: Pick<CheckContext, 'exec'>, args: readonly string[], timeoutMs = 15_000): Promise<ExecResult> {
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

/** A step of a setup or a solution: runc must do it, or the step throws with runc's words. */
export async function runcOrThrow(context: Pick<CheckContext, 'exec'>, args: readonly string[], timeoutMs?: number): Promise<ExecResult> {
  const result = await runc(context, args, timeoutMs);
  if (result.exitCode !== 0) throw new Error(`runc ${args.join(' ')}: ${runcSaid(result)}`);
  return result;
}

/** `runc state <id>`, or the reason there is none ("container does not exist"). */
export async function containerState(context: Pick<CheckContext, 'exec'>, id: string): Promise<{ state?: ContainerState; error?: string }> {
  const result = await runc(context, ['state', id], 10_000);
  if (result.exitCode !== 0) return { error: runcSaid(result) };
  return { state: JSON.parse(result.stdout) as ContainerState };
}

/** Every container runc knows (`runc list --format json`). */
export async function listContainers(context: Pick<CheckContext, 'exec'>): Promise<ContainerState[]> {
  const result = await runcOrThrow(context, ['list', '--format', 'json'], 10_000);
  // runc prints null, not [], when it knows no container.
  return (JSON.parse(result.stdout || 'null') as ContainerState[] | null) ?? [];
}

/** Polls `runc state` until the container has this status (a kill is delivered, then the process exits); its last state. */
export async function waitForStatus(context: RuncContext, id: string, status: ContainerState['status'], timeoutMs = 5_000): Promise<ContainerState | undefined> {
  let last: ContainerState | undefined;
  await waitUntil(context, async () => (last = (await containerState(context, id)).state)?.status === status, timeoutMs);
  return last;
}

/** `runc delete --force` when runc knows the id; quiet when it does not. */
export async function deleteContainer(context: Pick<CheckContext, 'exec'>, id: string): Promise<void> {
  const list = await runc(context, ['list', '--quiet'], 10_000);
  if (list.stdout.split('\n').some((line) => line.trim() === id)) await runcOrThrow(context, ['delete', '--force', id]);
}
