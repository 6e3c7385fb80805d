import { commandJson, commandOutput, defineChecker, freshNetns, linksIn, pingFrom, removeNetns, requireNetns, type CheckContext, type CheckOutcome, type IpLink } from '../../src/kit/index.js';

const bridge = 'isolab-br0';
const ends = [
  { netns: 'isolab-red', host: 'isolab-red0', address: '10.77.0.1' },
  { netns: 'isolab-blue', host: 'isolab-blue0', address: '10.77.0.2' },
] as const;

/** `ip -j -d <args>` on the host: the links it shows, or why it could not. */
const ipJson = (context: CheckContext, args: string[]) => commandJson<IpLink[]>(context, 'ip', ['-j', '-d', ...args]);
const isUp = (link: IpLink) => link.flags.includes('UP');

export default defineChecker({
  checks: [
    {
      id: 'bridge',
      title: `a bridge ${bridge} is up on the host`,
      tag: 'observe',
      timeoutMs: 5_000,
      async run(context) {
        const { value, error } = await ipJson(context, ['link', 'show', 'dev', bridge]);
        if (!value) return { pass: false, message: `no link ${bridge} on the host (${error})`, observed: { bridge: null }, hint: `Create it: \`ip link add ${bridge} type bridge && ip link set ${bridge} up\`.` };
        const link = value[0]!;
        if (link.linkinfo?.info_kind !== 'bridge') return { pass: false, message: `${bridge} is a ${link.linkinfo?.info_kind ?? 'plain'} link, not a bridge`, observed: { kind: link.linkinfo?.info_kind ?? null }, hint: `Delete it (\`ip link delete ${bridge}\`) and create it with \`type bridge\`.` };
        if (!isUp(link)) return { pass: false, message: `${bridge} is down`, observed: { flags: link.flags }, hint: `Bring it up: \`ip link set ${bridge} up\`.` };
        return { pass: true, message: `${bridge} is a bridge and up`, observed: { flags: link.flags } };
      },
    },
    ...ends.map((end) => ({
      id: `${end.netns.replace('isolab-', '')}-end`,
      title: `${end.netns} has eth0 up with ${end.address}/24, its peer ${end.host} is up on ${bridge}`,
      tag: 'observe' as const,
      timeoutMs: 10_000,
      async run(context: CheckContext): Promise<CheckOutcome> {
        const inside = await linksIn(context, end.netns);
        const hostSide = await ipJson(context, ['link', 'show', 'dev', end.host]);
        const host = hostSide.value?.[0];
        if (!host) return { pass: false, message: `no link ${end.host} on the host`, observed: { host: null }, hint: `Create the pair with one end already in the namespace: \`ip link add ${end.host} type veth peer name eth0 netns ${end.netns}\`.` };
        if (host.master !== bridge) return { pass: false, message: `${end.host} is ${host.master ? `attached to ${host.master}` : 'not attached to any bridge'}`, observed: { master: host.master ?? null }, hint: `Plug it into the bridge: \`ip link set ${end.host} master ${bridge}\`.` };
        if (!isUp(host)) return { pass: false, message: `${end.host} is down`, observed: { flags: host.flags }, hint: `\`ip link set ${end.host} up\`: both ends of a veth must be up.` };
        const eth0 = inside.find((link) => link.ifname === 'eth0');
        if (!eth0) return { pass: false, message: `${end.netns} has no eth0 (links: ${inside.map((l) => l.ifname).join(', ')})`, observed: { links: inside.map((l) => l.ifname) }, hint: `The peer of ${end.host} should be eth0 inside: \`ip link add ${end.host} type veth peer name eth0 netns ${end.netns}\` (or move it with \`ip link set <peer> netns ${end.netns}\` and rename it).` };
        const addresses = (eth0.addr_info ?? []).filter((a) => a.family === 'inet').map((a) => `${a.local}/${a.prefixlen}`);
        if (!addresses.includes(`${end.address}/24`)) return { pass: false, message: `eth0 in ${end.netns} has ${addresses.join(', ') || 'no IPv4 address'}`, observed: { addresses }, hint: `\`ip -n ${end.netns} addr add ${end.address}/24 dev eth0\`.` };
        if (!isUp(eth0)) return { pass: false, message: `eth0 in ${end.netns} is down`, observed: { flags: eth0.flags }, hint: `\`ip -n ${end.netns} link set eth0 up\`.` };
        return { pass: true, message: `${end.netns}: eth0 ${end.address}/24 up; ${end.host} up on ${bridge}`, observed: { addresses, master: host.master } };
      },
    })),
    {
      id: 'ping',
      title: `${ends[0].netns} reaches ${ends[1].address} across the bridge`,
      tag: 'experiment',
      timeoutMs: 10_000,
      async run(context) {
        requireNetns(context, ends.map((end) => end.netns));
        const { reached, result, output } = await pingFrom(context, ends[0].netns, ends[1].address);
        if (reached) return { pass: true, message: `ping -c 1 ${ends[1].address} from ${ends[0].netns}: 1 received`, observed: { exitCode: 0 } };
        const unreachable = /Network is unreachable/.test(output);
        return {
          pass: false,
          message: `ping from ${ends[0].netns} to ${ends[1].address} failed: ${output.split('\n').pop()}`,
          observed: { exitCode: result.exitCode, output },
          hint: unreachable
            ? `${ends[0].netns} has no route to 10.77.0.0/24: give its eth0 ${ends[0].address}/24 and bring it up.`
            : 'Every link on the way must be up: eth0 in both namespaces, both host ends and the bridge; both host ends must have `master isolab-br0`. Check with `bridge link` and `ip -br link`.',
        };
      },
    },
  ],

  async cleanup(context) {
    // A veth pair goes with either end; the host end may be there without its namespace.
    for (const link of [...ends.map((end) => end.host), bridge]) await context.exec('ip', ['link', 'delete', link], { timeoutMs: 5_000 });
    for (const end of ends) await removeNetns(context, end.netns);
  },

  // Steps 1–4 of the lesson.
  async solution(context) {
    const run = (...args: string[]) => commandOutput(context, 'ip', args);
    await run('link', 'add', bridge, 'type', 'bridge');
    await run('link', 'set', bridge, 'up');
    for (const end of ends) {
      await freshNetns(context, end.netns);
      await run('link', 'add', end.host, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', end.netns);
      await run('link', 'set', end.host, 'master', bridge, 'up');
      await run('-n', end.netns, 'addr', 'add', `${end.address}/24`, 'dev', 'eth0');
      await run('-n', end.netns, 'link', 'set', 'eth0', 'up');
    }
  },
});
