/**
 * Named network namespaces (`ip netns add`): whether they are there, and whether one reaches an address.
 */
import { existsSync } from 'node:fs';
import { findOnPath } from '../env/index.js';
import { commandOutput, failCheck, type CheckContext, type ExecResult } from '../verify/index.js';
import { commandJson } from './command-result.js';
import { netnsFile } from './namespaces.js';

/** A link as `ip -j -d link show` (or `addr show`) prints it: the fields the lessons read. */
export interface IpLink {
  ifname: string;
  flags: string[];
  operstate?: string;
  master?: string;
  linkinfo?: { info_kind?: string };
  addr_info?: Array<{ family: string; local: string; prefixlen: number }>;
}

/**
 * Ends the check as failed unless every one of these named network namespaces exists. `hint` says how the
 * lesson makes them; by default, `ip netns add`.
 */
export function requireNetns(context: Pick<CheckContext, 'system'>, names: readonly string[], hint?: string): void {
  const missing = names.filter((name) => !existsSync(netnsFile(context, name)));
  if (missing.length === 0) return;
  failCheck({
    message: missing.length === 1 ? `there is no network namespace named ${missing[0]}` : `there are no network namespaces named ${missing.join(', ')}`,
    observed: { missing },
    hint: hint ?? `Create ${missing.length === 1 ? 'it' : 'them'}: ${missing.map((name) => `\`ip netns add ${name}\``).join(', ')}.`,
  });
}

/**
 * The kernel's fallback tunnel devices: while a tunnel module is loaded, every new network namespace gets its
 * device, down, and it cannot be deleted there (net.core.fb_tunnels_only_for_init_net, default 0:
 * Documentation/admin-guide/sysctl/net.rst; names from net/ipv4/{ipip,ip_gre,ip_vti}.c and
 * net/ipv6/{sit,ip6_tunnel,ip6_gre,ip6_vti}.c). They belong to an empty stack as much as lo does.
 */
export const fallbackTunnels: ReadonlySet<string> = new Set(['tunl0', 'gre0', 'gretap0', 'erspan0', 'ip_vti0', 'sit0', 'ip6tnl0', 'ip6gre0', 'ip6_vti0']);

/** `ip -n <netns> route get <address>`: the first line of the route the namespace would take, or why it has none. */
export async function routeFrom(context: Pick<CheckContext, 'exec'>, netns: string, address: string): Promise<{ route?: string; error?: string }> {
  const result = await context.exec('ip', ['-n', netns, 'route', 'get', address], { timeoutMs: 5_000 });
  return result.exitCode === 0 ? { route: result.stdout.trim().split('\n')[0] ?? '' } : { error: result.stderr.trim() };
}

/**
 * The links inside a named network namespace, with their addresses (`ip -n <netns> -j -d addr show`). A missing
 * namespace fails the check (`hint` says how the lesson makes it), and so does a way in that is refused.
 */
export async function linksIn(context: CheckContext, netns: string, hint?: string): Promise<IpLink[]> {
  requireNetns(context, [netns], hint);
  const { value, error } = await commandJson<IpLink[]>(context, 'ip', ['-n', netns, '-j', '-d', 'addr', 'show']);
  if (!value) failCheck({ message: `ip -n ${netns} addr failed: ${error}`, observed: {}, hint: 'Entering a network namespace needs root: run isolab from a root shell (`sudo -s`).' });
  return value;
}

/** Deletes the named network namespace if it is there; a delete that fails throws with its error (the lab is not clean). */
export async function removeNetns(context: CheckContext, name: string): Promise<void> {
  if (existsSync(netnsFile(context, name))) await commandOutput(context, 'ip', ['netns', 'delete', name], 10_000);
}

/** A new, empty named network namespace (one an earlier run left is deleted first), its lo up as a lesson's is. */
export async function freshNetns(context: CheckContext, name: string): Promise<void> {
  await removeNetns(context, name);
  await commandOutput(context, 'ip', ['netns', 'add', name], 10_000);
  await commandOutput(context, 'ip', ['-n', name, 'link', 'set', 'lo', 'up'], 10_000);
}

export interface Ping {
  /** One echo answered. */
  reached: boolean;
  result: ExecResult;
  /** stdout and stderr together, trimmed. */
  output: string;
}

/**
 * `ping -c 1 -W 2 <address>` from inside the named network namespace (busybox's ping where iputils is not
 * installed; both take these options). Neither installed ends the check as failed, saying what to install.
 */
export async function pingFrom(context: Pick<CheckContext, 'system' | 'exec'>, netns: string, address: string): Promise<Ping> {
  const onPath = (command: string) => findOnPath(command, context.system.env, context.system.root) !== null;
  const ping = onPath('ping') ? ['ping'] : onPath('busybox') ? ['busybox', 'ping'] : undefined;
  if (!ping) failCheck({ message: 'neither ping nor busybox is installed', observed: {}, hint: 'Install one: `apt-get install iputils-ping` (or busybox-static).' });
  const result = await context.exec('ip', ['netns', 'exec', netns, ...ping, '-c', '1', '-W', '2', address], { timeoutMs: 8_000 });
  return { reached: result.exitCode === 0, result, output: `${result.stdout}${result.stderr}`.trim() };
}
