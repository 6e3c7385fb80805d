import { commandOutput, defineChecker, freshNetns, pingFrom, removeNetns, requireNetns, routeFrom, type CheckContext } from '../../src/kit/index.js';

// lan — router — wan, each link a veth pair: the router's lan0 is 10.78.1.1, its wan0 10.78.2.1.
const namespaces = ['isolab-lan', 'isolab-router', 'isolab-wan'] as const;
const [lan, router, wan] = namespaces;
const address = { lan: '10.78.1.2', gateway: '10.78.1.1', routerWan: '10.78.2.1', outside: '10.78.2.2' };
const { gateway, outside } = address;

const requireLab = (context: CheckContext) => requireNetns(context, namespaces, 'Run `isolab start 1.8`: it wires the three namespaces.');
const inside = (context: CheckContext, netns: string, args: string[]) => context.exec('ip', ['netns', 'exec', netns, ...args], { timeoutMs: 5_000 });

export default defineChecker({
  checks: [
    {
      id: 'default-route',
      title: `${lan} sends everything through the router (${gateway})`,
      tag: 'observe',
      timeoutMs: 10_000,
      async run(context) {
        requireLab(context);
        const { route, error } = await routeFrom(context, lan, outside);
        if (route?.includes(`via ${gateway}`)) return { pass: true, message: `ip -n ${lan} route get ${outside}: ${route}`, observed: { route } };
        return {
          pass: false,
          message: route !== undefined ? `${lan} would send to ${outside} as: ${route}` : `${lan} has no route to ${outside}: ${error}`,
          observed: { route: route || null },
          hint: `Give ${lan} a default route via the router: \`ip -n ${lan} route add default via ${gateway}\`.`,
        };
      },
    },
    {
      id: 'forwarding',
      title: `${router} forwards IPv4 (its own net.ipv4.ip_forward is 1)`,
      tag: 'observe',
      timeoutMs: 10_000,
      async run(context) {
        requireLab(context);
        const result = await inside(context, router, ['cat', '/proc/sys/net/ipv4/ip_forward']);
        const value = result.stdout.trim();
        if (value === '1') return { pass: true, message: `in ${router}, ip_forward is 1`, observed: { ip_forward: value } };
        return { pass: false, message: `in ${router}, ip_forward is ${value || '(unreadable)'}`, observed: { ip_forward: value || null }, hint: `Turn it on in the router only: \`ip netns exec ${router} sysctl -w net.ipv4.ip_forward=1\`.` };
      },
    },
    {
      id: 'masquerade',
      title: `${router} masquerades what leaves through wan0`,
      tag: 'observe',
      timeoutMs: 10_000,
      async run(context) {
        requireLab(context);
        const result = await inside(context, router, ['nft', 'list', 'ruleset']);
        if (result.exitCode !== 0) return { pass: false, message: `nft list ruleset in ${router} failed: ${(result.stderr || result.spawnError || '').trim()}`, observed: {}, hint: 'Install nftables (`apt-get install nftables`) and run isolab from a root shell (`sudo -s`).' };
        const rules = result.stdout.split('\n').map((line) => line.trim());
        const rule = rules.find((line) => /\bmasquerade\b/.test(line));
        const hook = /hook postrouting/.test(result.stdout);
        if (rule && hook) return { pass: true, message: `the router's ruleset has: ${rule}`, observed: { rule } };
        return {
          pass: false,
          message: rule ? `there is a masquerade rule (${rule}) but no chain on the postrouting hook` : `the router's ruleset has no masquerade rule${rules.filter(Boolean).length === 0 ? ' (it is empty)' : ''}`,
          observed: { ruleset: result.stdout.trim().slice(0, 1000) },
          hint: `In ${router}: \`nft add table ip isolab-nat\`, \`nft add chain ip isolab-nat post '{ type nat hook postrouting priority srcnat; }'\`, \`nft add rule ip isolab-nat post oifname wan0 masquerade\` (each after \`ip netns exec ${router}\`).`,
        };
      },
    },
    {
      id: 'outside-unaware',
      title: `${wan} has no route back to 10.78.1.0/24 (so only NAT can make replies arrive)`,
      tag: 'observe',
      timeoutMs: 10_000,
      async run(context) {
        requireLab(context);
        const { route, error } = await routeFrom(context, wan, address.lan);
        if (route === undefined) return { pass: true, message: `ip -n ${wan} route get ${address.lan}: ${error}`, observed: { route: null } };
        return { pass: false, message: `${wan} can reach ${address.lan} directly: ${route}`, observed: { route }, hint: `"The outside" must not know your private network; that is why NAT is needed. Remove the route you added in ${wan} (\`ip -n ${wan} route del …\`).` };
      },
    },
    {
      id: 'ping',
      title: `${lan} reaches ${outside} through the router`,
      tag: 'experiment',
      timeoutMs: 15_000,
      async run(context) {
        requireLab(context);
        const { reached, result, output } = await pingFrom(context, lan, outside);
        if (reached) return { pass: true, message: `ping ${outside} from ${lan}: 1 received`, observed: { exitCode: 0 } };
        return {
          pass: false,
          message: `ping ${outside} from ${lan} failed: ${output.split('\n').filter(Boolean).pop()}`,
          observed: { exitCode: result.exitCode, output },
          hint: /unreachable/i.test(output) ? `${lan} has no route: add its default route via ${gateway}.` : `The request or the reply is lost: forwarding in ${router} (ip_forward), then masquerade on wan0 so that ${wan} answers ${address.routerWan}. Watch with \`ip netns exec ${wan} tcpdump -ni eth0\` if you have tcpdump.`,
        };
      },
    },
  ],

  // The wiring (lesson 1.7's skill), without a bridge: lan — router — wan, each link a veth pair.
  async setup(context) {
    const run = (...args: string[]) => commandOutput(context, 'ip', args);
    for (const name of namespaces) await freshNetns(context, name);
    await run('-n', router, 'link', 'add', 'lan0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', lan);
    await run('-n', router, 'link', 'add', 'wan0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', wan);
    const addresses: Array<[string, string, string]> = [
      [lan, 'eth0', address.lan],
      [router, 'lan0', gateway],
      [router, 'wan0', address.routerWan],
      [wan, 'eth0', outside],
    ];
    for (const [netns, dev, local] of addresses) {
      await run('-n', netns, 'addr', 'add', `${local}/24`, 'dev', dev);
      await run('-n', netns, 'link', 'set', dev, 'up');
    }
    // A new namespace copies the first one's IPv4 settings, ip_forward included (net.ipv4 devinet_init_net with
    // net.core.devconf_inherit_init_net at its default 0): on a host that forwards, the router would forward
    // before the learner turns it on. Step 3 is theirs on every host.
    await run('netns', 'exec', router, 'sysctl', '-qw', 'net.ipv4.ip_forward=0');
  },

  async cleanup(context) {
    for (const name of namespaces) await removeNetns(context, name);
  },

  // Steps 2–4 of the lesson.
  async solution(context) {
    const inRouter = (...args: string[]) => commandOutput(context, 'ip', ['netns', 'exec', router, ...args]);
    await commandOutput(context, 'ip', ['-n', lan, 'route', 'add', 'default', 'via', gateway]);
    await inRouter('sysctl', '-w', 'net.ipv4.ip_forward=1');
    await inRouter('nft', 'add', 'table', 'ip', 'isolab-nat');
    await inRouter('nft', 'add', 'chain', 'ip', 'isolab-nat', 'post', '{ type nat hook postrouting priority srcnat; }');
    await inRouter('nft', 'add', 'rule', 'ip', 'isolab-nat', 'post', 'oifname', 'wan0', 'masquerade');
  },
});
