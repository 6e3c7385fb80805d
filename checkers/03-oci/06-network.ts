import { existsSync, statSync } from 'node:fs';
import { bundleDir, commandJson, containerCheck, defineChecker, failCheck, namespaceInodeOf, netnsFile, prepareBundle, readSpec, removeBundle, runc, runcSaid, runDetached, runningCheck, systemPath, waitUntil, whatFailed, type CheckContext } from '../../src/kit/index.js';

const bundle = bundleDir('net');
const id = 'isolab-net';
const container = { id, bundle };
const netns = 'isolab-oci';
/** The veth pair: one end stays on the host, the other goes into the namespace; one /30 for both. */
const ends = { host: `${netns}-h`, inner: `${netns}-c` };
const addresses = { host: '10.200.3.1/30', inner: '10.200.3.2/30' };

type Link = { ifname: string; flags: string[]; addr_info?: Array<{ family: string; local: string }> };

const ipv4 = (link: Link | undefined) => link?.addr_info?.find((address) => address.family === 'inet');

/** The host end's IPv4 address; a missing, unaddressed or down host end ends the check as failed. */
async function hostSide(context: CheckContext): Promise<string> {
  const link = (await commandJson<Link[]>(context, 'ip', ['-j', 'addr', 'show', 'dev', ends.host])).value?.[0];
  if (!link) failCheck({ message: `there is no ${ends.host} on the host`, observed: { hostEnd: null }, hint: `Make the pair: \`ip link add ${ends.host} type veth peer name ${ends.inner}\`, then move ${ends.inner} into ${netns}.` });
  const address = ipv4(link);
  if (!address) failCheck({ message: `${ends.host} has no IPv4 address`, observed: { flags: link.flags }, hint: `\`ip addr add ${addresses.host} dev ${ends.host}\`` });
  if (!link.flags.includes('UP')) failCheck({ message: `${ends.host} is down`, observed: { flags: link.flags }, hint: `\`ip link set ${ends.host} up\`` });
  return address.local;
}

async function ip(context: CheckContext, args: string[]): Promise<void> {
  const result = await context.exec('ip', args, { timeoutMs: 10_000 });
  if (result.exitCode !== 0) throw new Error(`ip ${args.join(' ')}: ${whatFailed(result)}`);
}

export default defineChecker({
  checks: [
    {
      id: 'netns',
      title: `a network namespace ${netns} with the inner veth end, up and addressed`,
      tag: 'observe',
      async run(context) {
        if (!existsSync(netnsFile(context, netns))) return { pass: false, message: `there is no network namespace ${netns}`, observed: { netns: null }, hint: `\`ip netns add ${netns}\`` };
        const host = await hostSide(context);
        const { value: links, error } = await commandJson<Link[]>(context, 'ip', ['-j', '-n', netns, 'addr', 'show']);
        if (!links) return { pass: false, message: `ip -n ${netns} addr failed: ${error}`, observed: {}, hint: 'Entering a network namespace needs root.' };
        const inner = links.find((link) => link.ifname !== 'lo');
        const observed = { inside: links.map((link) => `${link.ifname} ${link.flags.includes('UP') ? 'up' : 'down'} ${ipv4(link)?.local ?? '-'}`), host };
        if (!inner) return { pass: false, message: `${netns} holds only lo`, observed, hint: `Move the other end of the pair in: \`ip link set ${ends.inner} netns ${netns}\`.` };
        if (!ipv4(inner)) return { pass: false, message: `${inner.ifname} in ${netns} has no IPv4 address`, observed, hint: `\`ip -n ${netns} addr add ${addresses.inner} dev ${inner.ifname}\`` };
        if (!inner.flags.includes('UP')) return { pass: false, message: `${inner.ifname} in ${netns} is down`, observed, hint: `\`ip -n ${netns} link set ${inner.ifname} up\`` };
        return { pass: true, message: `${netns}: ${observed.inside.join(', ')}; the host end ${ends.host} has ${host}`, observed };
      },
    },
    runningCheck(container),
    containerCheck(container, { id: 'joined', title: `the container's network namespace is the one at /run/netns/${netns}`, tag: 'observe' }, async (context, { pid }) => {
      const inside = namespaceInodeOf(context, pid, 'net');
      const host = namespaceInodeOf(context, 'self', 'net');
      const file = existsSync(netnsFile(context, netns)) ? statSync(netnsFile(context, netns)).ino : undefined;
      let entry;
      try {
        entry = readSpec(bundle).linux?.namespaces?.find((namespace) => namespace.type === 'network');
      } catch {
        // The namespace the container is in is the evidence; an unreadable config.json only loses the hint.
      }
      const observed = { container: inside ?? null, netnsFile: file ?? null, host: host ?? null, configEntry: entry ?? null };
      if (inside !== undefined && inside === file) return { pass: true, message: `/proc/${pid}/ns/net is net:[${inside}], the inode of /run/netns/${netns}`, observed };
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
    }),
    containerCheck(container, { id: 'ping', title: 'from inside the container, the host end of the veth answers a ping', tag: 'experiment', timeoutMs: 30_000 }, async (context) => {
      const host = await hostSide(context);
      // runc spec's capabilities leave out CAP_NET_RAW, which busybox ping needs for its raw socket.
      const result = await runc(context, ['exec', '--cap', 'CAP_NET_RAW', id, 'ping', '-c', '1', '-W', '2', host], 15_000);
      const received = /1 packets received/.test(result.stdout);
      const observed = { exitCode: result.exitCode, output: result.stdout.trim().split('\n').slice(-2).join(' / ') || runcSaid(result) };
      if (result.exitCode === 0 && received) return { pass: true, message: `runc exec ${id} ping -c 1 -W 2 ${host}: 1 packets received`, observed };
      if (/Network is unreachable/.test(result.stderr + result.stdout)) return { pass: false, message: `ping ${host} from inside: Network is unreachable`, observed, hint: 'The container has no route to the host end: is it in isolab-oci (check "joined"), and does the inner end have an address in the same /30?' };
      return { pass: false, message: `ping ${host} from inside got no answer`, observed, hint: `Are both ends up? \`ip link show ${ends.host}\`, \`ip -n ${netns} link\`. Both addresses must be in one subnet (${addresses.host} and ${addresses.inner}).` };
    }),
  ],

  setup: (context) => prepareBundle(context, bundle),

  async cleanup(context) {
    await removeBundle(context, bundle, [id]);
    if (existsSync(netnsFile(context, netns))) await ip(context, ['netns', 'delete', netns]);
    // The pair dies with the namespace, a moment later; a host end left over from a half-done step 1 does not.
    const hostLink = systemPath(context, `/sys/class/net/${ends.host}`);
    if (await waitUntil(context, () => !existsSync(hostLink), 1_000)) return;
    await ip(context, ['link', 'delete', ends.host]).catch((error: unknown) => {
      if (existsSync(hostLink)) throw error;
    });
  },

  // Steps 1 to 3: the namespace and its veth first, then the container that joins it.
  async solution(context) {
    const steps = [
      ['netns', 'add', netns],
      ['link', 'add', ends.host, 'type', 'veth', 'peer', 'name', ends.inner],
      ['link', 'set', ends.inner, 'netns', netns],
      ['addr', 'add', addresses.host, 'dev', ends.host],
      ['link', 'set', ends.host, 'up'],
      ['-n', netns, 'addr', 'add', addresses.inner, 'dev', ends.inner],
      ['-n', netns, 'link', 'set', ends.inner, 'up'],
      ['-n', netns, 'link', 'set', 'lo', 'up'],
    ];
    for (const args of steps) await ip(context, args);
    await runDetached(context, bundle, id, (spec) => {
      spec.linux = { ...spec.linux, namespaces: (spec.linux?.namespaces ?? []).map((namespace) => (namespace.type === 'network' ? { type: 'network', path: `/run/netns/${netns}` } : namespace)) };
    });
  },
});
