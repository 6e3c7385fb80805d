import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { defineChecker, type CheckContext, type CheckOutcome } from '../../src/verify/index.js';
import { bundleDir, containerNamespace, deleteContainer, detached, prepareBundle, readSpec, removeLab, requireRunning, runc, runcSaid, specForCheck, writeSpec, runningCheck } from './lib/runc.js';

const bundle = bundleDir('net');
const id = 'isolab-net';
const netns = 'isolab-oci';
const hostEnd = 'isolab-oci-h';
const innerEnd = 'isolab-oci-c';
const hostAddress = '10.200.3.1/30';
const innerAddress = '10.200.3.2/30';

interface Link {
  ifname: string;
  flags: string[];
  link_type?: string;
  addr_info?: Array<{ family: string; local: string; prefixlen: number }>;
}

const nsFile = (context: CheckContext) => join(context.system.root, 'run/netns', netns);

async function ip(context: CheckContext, args: string[]): Promise<{ links?: Link[]; error?: string }> {
  const result = await context.exec('ip', ['-j', ...args], { timeoutMs: 5_000 });
  if (result.exitCode !== 0) return { error: (result.stderr || result.spawnError || `ip exited ${result.exitCode}`).trim() };
  return { links: JSON.parse(result.stdout || '[]') as Link[] };
}

const ipv4 = (link: Link | undefined) => link?.addr_info?.find((address) => address.family === 'inet');

/** The host end's IPv4 address, or a failed outcome saying what is missing. */
async function hostSide(context: CheckContext): Promise<{ address: string } | { outcome: CheckOutcome }> {
  const { links } = await ip(context, ['addr', 'show', 'dev', hostEnd]);
  const link = links?.[0];
  if (!link) return { outcome: { pass: false, message: `there is no ${hostEnd} on the host`, observed: { hostEnd: null }, hint: `Make the pair: \`ip link add ${hostEnd} type veth peer name ${innerEnd}\`, then move ${innerEnd} into ${netns}.` } };
  const address = ipv4(link);
  if (!address) return { outcome: { pass: false, message: `${hostEnd} has no IPv4 address`, observed: { flags: link.flags }, hint: `\`ip addr add ${hostAddress} dev ${hostEnd}\`` } };
  if (!link.flags.includes('UP')) return { outcome: { pass: false, message: `${hostEnd} is down`, observed: { flags: link.flags }, hint: `\`ip link set ${hostEnd} up\`` } };
  return { address: address.local };
}

export default defineChecker({
  checks: [
    {
      id: 'netns',
      title: `a network namespace ${netns} with the inner veth end, up and addressed`,
      tag: 'observe',
      async run(context) {
        if (!existsSync(nsFile(context))) return { pass: false, message: `there is no network namespace ${netns}`, observed: { netns: null }, hint: `\`ip netns add ${netns}\`` };
        const host = await hostSide(context);
        if ('outcome' in host) return host.outcome;
        const { links, error } = await ip(context, ['-n', netns, 'addr', 'show']);
        if (!links) return { pass: false, message: `ip -n ${netns} addr failed: ${error}`, observed: {}, hint: 'Entering a network namespace needs root.' };
        const inner = links.find((link) => link.ifname !== 'lo');
        const observed = { inside: links.map((link) => `${link.ifname} ${link.flags.includes('UP') ? 'up' : 'down'} ${ipv4(link)?.local ?? '-'}`), host: host.address };
        if (!inner) return { pass: false, message: `${netns} holds only lo`, observed, hint: `Move the other end of the pair in: \`ip link set ${innerEnd} netns ${netns}\`.` };
        const address = ipv4(inner);
        if (!address) return { pass: false, message: `${inner.ifname} in ${netns} has no IPv4 address`, observed, hint: `\`ip -n ${netns} addr add ${innerAddress} dev ${inner.ifname}\`` };
        if (!inner.flags.includes('UP')) return { pass: false, message: `${inner.ifname} in ${netns} is down`, observed, hint: `\`ip -n ${netns} link set ${inner.ifname} up\`` };
        return { pass: true, message: `${netns}: ${observed.inside.join(', ')}; the host end ${hostEnd} has ${host.address}`, observed };
      },
    },
    runningCheck(id, bundle),
    {
      id: 'joined',
      title: `the container's network namespace is the one at /run/netns/${netns}`,
      tag: 'observe',
      async run(context) {
        const running = await requireRunning(context, id, bundle);
        if ('outcome' in running) return running.outcome;
        const inside = containerNamespace(context, running.state.pid, 'net');
        const host = containerNamespace(context, 'self', 'net');
        const file = existsSync(nsFile(context)) ? statSync(nsFile(context)).ino : undefined;
        const read = specForCheck(bundle, '3.6');
        const entry = 'spec' in read ? read.spec.linux?.namespaces?.find((namespace) => namespace.type === 'network') : undefined;
        const observed = { container: inside ?? null, netnsFile: file ?? null, host: host ?? null, configEntry: entry ?? null };
        if (inside !== undefined && inside === file) return { pass: true, message: `/proc/${running.state.pid}/ns/net is net:[${inside}], the inode of /run/netns/${netns}`, observed };
        if (file === undefined) return { pass: false, message: `the container is in net:[${inside}], and /run/netns/${netns} does not exist`, observed, hint: `Make the namespace first, then run the container: runc joins a namespace only when it starts.` };
        if (inside === host) return { pass: false, message: `the container shares the host's network namespace (net:[${inside}])`, observed, hint: 'config.json has no network entry in linux.namespaces. Add { "type": "network", "path": "/run/netns/isolab-oci" }, then delete and run the container again.' };
        return {
          pass: false,
          message: `the container is in net:[${inside}], /run/netns/${netns} is net:[${file}]`,
          observed,
          hint: entry?.path
            ? `config.json names ${entry.path}, but the container started before that namespace was made again, or from another file. Delete and run it again.`
            : 'The network entry has no "path": runc made a new, empty namespace. Set "path": "/run/netns/isolab-oci", then delete and run the container again.',
        };
      },
    },
    {
      id: 'ping',
      title: 'from inside the container, the host end of the veth answers a ping',
      tag: 'experiment',
      timeoutMs: 30_000,
      async run(context) {
        const running = await requireRunning(context, id, bundle);
        if ('outcome' in running) return running.outcome;
        const host = await hostSide(context);
        if ('outcome' in host) return host.outcome;
        // runc spec's capabilities leave out CAP_NET_RAW, which busybox ping needs for its raw socket.
        const result = await runc(context, ['exec', '--cap', 'CAP_NET_RAW', id, 'ping', '-c', '1', '-W', '2', host.address], 15_000);
        const received = /1 packets received/.test(result.stdout);
        const observed = { exitCode: result.exitCode, output: result.stdout.trim().split('\n').slice(-2).join(' / ') || runcSaid(result) };
        if (result.exitCode === 0 && received) return { pass: true, message: `runc exec ${id} ping -c 1 -W 2 ${host.address}: 1 packets received`, observed };
        if (/Network is unreachable/.test(result.stderr + result.stdout)) return { pass: false, message: `ping ${host.address} from inside: Network is unreachable`, observed, hint: 'The container has no route to the host end: is it in isolab-oci (check "joined"), and does the inner end have an address in the same /30?' };
        return { pass: false, message: `ping ${host.address} from inside got no answer`, observed, hint: `Are both ends up? \`ip link show ${hostEnd}\`, \`ip -n ${netns} link\`. Both addresses must be in one subnet (${hostAddress} and ${innerAddress}).` };
      },
    },
  ],

  async setup(context) {
    await prepareBundle(context, bundle);
  },

  async cleanup(context) {
    await removeLab(context, bundle, [id]);
    if (existsSync(nsFile(context))) {
      const result = await context.exec('ip', ['netns', 'delete', netns], { timeoutMs: 10_000 });
      if (result.exitCode !== 0) throw new Error(`ip netns delete ${netns}: ${(result.stderr || result.spawnError || '').trim()}`);
    }
    // The pair dies with the namespace, a moment later; a host end left over from a half-done step 1 does not.
    const hostLink = join(context.system.sys, 'class/net', hostEnd);
    for (let attempt = 0; attempt < 20 && existsSync(hostLink); attempt++) await new Promise((resolve) => setTimeout(resolve, 50));
    if (existsSync(hostLink)) {
      const result = await context.exec('ip', ['link', 'delete', hostEnd], { timeoutMs: 10_000 });
      if (result.exitCode !== 0 && existsSync(hostLink)) throw new Error(`ip link delete ${hostEnd}: ${(result.stderr || result.spawnError || '').trim()}`);
    }
  },

  // Steps 1 to 3: the namespace and its veth first, then the container that joins it.
  async solution(context) {
    const steps = [
      ['netns', 'add', netns],
      ['link', 'add', hostEnd, 'type', 'veth', 'peer', 'name', innerEnd],
      ['link', 'set', innerEnd, 'netns', netns],
      ['addr', 'add', hostAddress, 'dev', hostEnd],
      ['link', 'set', hostEnd, 'up'],
      ['-n', netns, 'addr', 'add', innerAddress, 'dev', innerEnd],
      ['-n', netns, 'link', 'set', innerEnd, 'up'],
      ['-n', netns, 'link', 'set', 'lo', 'up'],
    ];
    for (const args of steps) {
      const result = await context.exec('ip', args, { timeoutMs: 10_000 });
      if (result.exitCode !== 0) throw new Error(`ip ${args.join(' ')}: ${(result.stderr || result.spawnError || '').trim()}`);
    }
    await prepareBundle(context, bundle);
    const spec = detached(readSpec(bundle), 'isolab-net');
    spec.linux = { ...spec.linux, namespaces: (spec.linux?.namespaces ?? []).map((namespace) => (namespace.type === 'network' ? { type: 'network', path: `/run/netns/${netns}` } : namespace)) };
    writeSpec(bundle, spec);
    await deleteContainer(context, id);
    const result = await runc(context, ['run', '-d', '--bundle', bundle, id]);
    if (result.exitCode !== 0) throw new Error(`runc run -d: ${runcSaid(result)}`);
  },
});
