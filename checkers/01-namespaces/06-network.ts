import { statSync } from 'node:fs';
import { defineChecker, fallbackTunnels, freshNetns, linksIn, netnsFile, removeNetns, requireNetns } from '../../src/kit/index.js';
import { namespaceInode, namespaceOf } from '../../src/verify/index.js';

const netns = 'isolab-net1';
const add = `ip netns add ${netns}`;
const createIt = `Create it: \`${add}\`, then look at it with \`ip netns list\`.`;

export default defineChecker({
  checks: [
    {
      id: 'netns',
      title: `a network namespace named ${netns} exists`,
      tag: 'observe',
      timeoutMs: 5_000,
      async run(context) {
        requireNetns(context, [netns], createIt);
        // `ip netns add` keeps the namespace alive by bind-mounting its nsfs file under /run/netns.
        const inode = statSync(netnsFile(context, netns)).ino;
        const ours = namespaceOf(context.system, 'self', 'net');
        if (ours !== undefined && namespaceInode(ours) === inode) {
          return {
            pass: false,
            message: `/run/netns/${netns} names isolab's own network namespace (net:[${inode}])`,
            observed: { inode },
            hint: `That name points at the host's stack, not a new one. Remove it (\`ip netns delete ${netns}\`) and create a fresh one: \`${add}\`.`,
          };
        }
        return { pass: true, message: `/run/netns/${netns} holds net:[${inode}]; isolab is in ${ours ?? 'an unreadable namespace'}`, observed: { inode, ours: ours ?? null } };
      },
    },
    {
      id: 'only-lo',
      title: 'it has one interface: lo',
      tag: 'observe',
      timeoutMs: 10_000,
      async run(context) {
        const links = await linksIn(context, netns, createIt);
        const names = links.map((link) => link.ifname);
        const fallback = names.filter((ifname) => fallbackTunnels.has(ifname));
        const extra = names.filter((ifname) => ifname !== 'lo' && !fallbackTunnels.has(ifname));
        if (names.includes('lo') && extra.length === 0) {
          const besides = fallback.length > 0 ? ` (besides ${fallback.join(', ')}: the fallback devices of the tunnel modules this kernel has loaded, which every new namespace gets)` : '';
          return { pass: true, message: `the only interface inside is lo${besides}`, observed: { links: names } };
        }
        return {
          pass: false,
          message: `the interfaces inside are: ${names.join(', ') || 'none'}`,
          observed: { links: names },
          hint: extra.length > 0 ? `This lesson is about the empty stack: take ${extra.join(', ')} out (\`ip -n ${netns} link delete ${extra[0]}\`), or start over with a fresh namespace.` : 'A new network namespace always has lo; recreate it.',
        };
      },
    },
    {
      id: 'lo-up',
      title: 'lo is up',
      tag: 'observe',
      timeoutMs: 10_000,
      async run(context) {
        const links = await linksIn(context, netns, createIt);
        const lo = links.find((link) => link.ifname === 'lo');
        if (!lo) return { pass: false, message: 'there is no lo inside', observed: { links: links.map((link) => link.ifname) }, hint: `Recreate the namespace: \`ip netns delete ${netns} && ${add}\`.` };
        // lo reports operstate UNKNOWN even when it works: the UP flag is what `ip link set lo up` sets.
        return lo.flags.includes('UP')
          ? { pass: true, message: `lo inside is <${lo.flags.join(',')}>`, observed: { flags: lo.flags, operstate: lo.operstate ?? null } }
          : {
              pass: false,
              message: `lo inside is <${lo.flags.join(',')}>, state ${lo.operstate ?? 'unknown'}`,
              observed: { flags: lo.flags, operstate: lo.operstate ?? null },
              hint: `A new stack starts with lo down, so even 127.0.0.1 is unreachable. Bring it up: \`ip -n ${netns} link set lo up\`.`,
            };
      },
    },
  ],

  cleanup: (context) => removeNetns(context, netns),

  // Steps 3 and 5 of the lesson.
  solution: (context) => freshNetns(context, netns),
});
