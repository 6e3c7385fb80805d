import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defineChecker, type CheckContext, type CheckOutcome } from '../../src/verify/index.js';

const lan = 'isolab-lan';
const router = 'isolab-router';
const wan = 'isolab-wan';
const lanAddress = '10.78.1.2';
const gateway = '10.78.1.1';
const outside = '10.78.2.2';
const namespaces = [lan, router, wan];

const hasNetns = (context: CheckContext, name: string) => existsSync(join(context.system.root, 'run/netns', name));

function missingLab(context: CheckContext): CheckOutcome | undefined {
  const missing = namespaces.filter((name) => !hasNetns(context, name));
  if (missing.length === 0) return undefined;
  return { pass: false, message: `missing network namespace(s): ${missing.join(', ')}`, observed: { missing }, hint: 'Run `isolab start 1.8`: it wires the three namespaces.' };
}

const inside = (context: CheckContext, netns: string, args: string[], timeoutMs = 5_000) => context.exec('ip', ['netns', 'exec', netns, ...args], { timeoutMs });

function pingCommand(): string[] {
  const dirs = (process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin').split(':');
  return dirs.some((dir) => dir && existsSync(join(dir, 'ping'))) ? ['ping'] : ['busybox', 'ping'];
}

export default defineChecker({
  checks: [
    {
      id: 'default-route',
      title: `${lan} sends everything through the router (${gateway})`,
      tag: 'observe',
      timeoutMs: 10_000,
      async run(context) {
        const broken = missingLab(context);
        if (broken) return broken;
        const result = await context.exec('ip', ['-n', lan, 'route', 'get', outside], { timeoutMs: 5_000 });
        const route = result.stdout.trim().split('\n')[0] ?? '';
        if (result.exitCode === 0 && route.includes(`via ${gateway}`)) return { pass: true, message: `ip -n ${lan} route get ${outside}: ${route}`, observed: { route } };
        return {
          pass: false,
          message: result.exitCode === 0 ? `${lan} would send to ${outside} as: ${route}` : `${lan} has no route to ${outside}: ${(result.stderr || '').trim()}`,
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
        const broken = missingLab(context);
        if (broken) return broken;
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
        const broken = missingLab(context);
        if (broken) return broken;
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
        const broken = missingLab(context);
        if (broken) return broken;
        const result = await context.exec('ip', ['-n', wan, 'route', 'get', lanAddress], { timeoutMs: 5_000 });
        if (result.exitCode !== 0) return { pass: true, message: `ip -n ${wan} route get ${lanAddress}: ${result.stderr.trim()}`, observed: { route: null } };
        const route = result.stdout.trim().split('\n')[0];
        return { pass: false, message: `${wan} can reach ${lanAddress} directly: ${route}`, observed: { route }, hint: `"The outside" must not know your private network; that is why NAT is needed. Remove the route you added in ${wan} (\`ip -n ${wan} route del …\`).` };
      },
    },
    {
      id: 'ping',
      title: `${lan} reaches ${outside} through the router`,
      tag: 'experiment',
      timeoutMs: 15_000,
      async run(context) {
        const broken = missingLab(context);
        if (broken) return broken;
        const result = await inside(context, lan, [...pingCommand(), '-c', '1', '-W', '2', outside], 8_000);
        const output = `${result.stdout}${result.stderr}`.trim();
        if (result.exitCode === 0) return { pass: true, message: `ping ${outside} from ${lan}: 1 received`, observed: { exitCode: 0 } };
        return {
          pass: false,
          message: `ping ${outside} from ${lan} failed: ${output.split('\n').filter(Boolean).pop()}`,
          observed: { exitCode: result.exitCode, output },
          hint: /unreachable/i.test(output) ? `${lan} has no route: add its default route via ${gateway}.` : `The request or the reply is lost: forwarding in ${router} (ip_forward), then masquerade on wan0 so that ${wan} answers ${gateway.replace('1.1', '2.1')}. Watch with \`ip netns exec ${wan} tcpdump -ni eth0\` if you have tcpdump.`,
        };
      },
    },
  ],

  // The wiring (lesson 1.7's skill), without a bridge: lan — router — wan, each link a veth pair.
  async setup(context) {
    const run = async (...args: string[]) => {
      const result = await context.exec('ip', args, { timeoutMs: 5_000 });
      if (result.exitCode !== 0) throw new Error(`ip ${args.join(' ')}: ${result.stderr.trim()}`);
    };
    for (const name of namespaces) await context.exec('ip', ['netns', 'delete', name], { timeoutMs: 5_000 });
    for (const name of namespaces) {
      await run('netns', 'add', name);
      await run('-n', name, 'link', 'set', 'lo', 'up');
    }
    await run('-n', router, 'link', 'add', 'lan0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', lan);
    await run('-n', router, 'link', 'add', 'wan0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', wan);
    const addresses: Array<[string, string, string]> = [
      [lan, 'eth0', `${lanAddress}/24`],
      [router, 'lan0', `${gateway}/24`],
      [router, 'wan0', '10.78.2.1/24'],
      [wan, 'eth0', `${outside}/24`],
    ];
    for (const [netns, dev, address] of addresses) {
      await run('-n', netns, 'addr', 'add', address, 'dev', dev);
      await run('-n', netns, 'link', 'set', dev, 'up');
    }
    // A new namespace copies the first one's IPv4 settings, ip_forward included (net.ipv4 devinet_init_net with
    // net.core.devconf_inherit_init_net at its default 0): on a host that forwards, the router would forward
    // before the learner turns it on. Step 3 is theirs on every host.
    const off = await context.exec('ip', ['netns', 'exec', router, 'sysctl', '-qw', 'net.ipv4.ip_forward=0'], { timeoutMs: 5_000 });
    if (off.exitCode !== 0) throw new Error(`ip netns exec ${router} sysctl -w net.ipv4.ip_forward=0: ${off.stderr.trim()}`);
  },

  async cleanup(context) {
    for (const name of namespaces) await context.exec('ip', ['netns', 'delete', name], { timeoutMs: 5_000 });
  },

  // Steps 2–4 of the lesson.
  async solution(context) {
    const steps: string[][] = [
      ['ip', '-n', lan, 'route', 'add', 'default', 'via', gateway],
      ['ip', 'netns', 'exec', router, 'sysctl', '-w', 'net.ipv4.ip_forward=1'],
      ['ip', 'netns', 'exec', router, 'nft', 'add', 'table', 'ip', 'isolab-nat'],
      ['ip', 'netns', 'exec', router, 'nft', 'add', 'chain', 'ip', 'isolab-nat', 'post', '{ type nat hook postrouting priority srcnat; }'],
      ['ip', 'netns', 'exec', router, 'nft', 'add', 'rule', 'ip', 'isolab-nat', 'post', 'oifname', 'wan0', 'masquerade'],
    ];
    for (const [command, ...args] of steps) {
      const result = await context.exec(command!, args, { timeoutMs: 5_000 });
      if (result.exitCode !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr.trim()}`);
    }
  },
});
