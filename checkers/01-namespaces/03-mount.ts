import { isLabPath } from '../../src/lab/index.js';
import { parseMountInfo, readMountInfo, readTrimmed, type MountEntry } from '../../src/system/index.js';
import { commandOutput, defineChecker, killLabProcesses, ownNamespaceCheck, readSystemText, removeEmptyDirs, requireOwnNamespace, startLabProcessCalled, systemPath, unmountUnder, type CheckContext } from '../../src/kit/index.js';

const name = 'isolab-mnt';
const mountPoint = '/run/isolab/mnt';
const lab = { name, start: `setsid -f unshare --mount --propagation private bash -c 'mount -t tmpfs isolab-private ${mountPoint} && exec -a ${name} sleep infinity'` };

/** A mount as the lessons compare it across namespaces: mount ids differ between copies, these do not. */
const sameMount = (a: MountEntry, b: MountEntry) => a.mountPoint === b.mountPoint && a.fsType === b.fsType && a.source === b.source && a.root === b.root;
/**
 * A tmpfs mounted under /run/isolab, as opposed to a bind mount of a directory that lives on a tmpfs (where /run
 * is one, the lab mount point itself shows as fstype tmpfs). A fresh mount has root `/`, a bind mount of
 * /run/isolab/mnt has root `/isolab/mnt`.
 */
const labTmpfs = (mount: MountEntry) => mount.fsType === 'tmpfs' && mount.root === '/' && isLabPath(mount.mountPoint);
const describe = (mount: MountEntry) => `${mount.source} on ${mount.mountPoint}`;

/** The optional fields (`shared:N`, `master:N`, which MountEntry leaves out) of the mount on `point`, if there is one. */
function propagationOf(mountinfo: string, point: string): string[] | undefined {
  const fields = mountinfo.split('\n').map((line) => line.split(' ')).find((line) => line.indexOf('-') >= 6 && line[4] === point);
  return fields?.slice(6, fields.indexOf('-'));
}

/** For each candidate in its own mount namespace: the lab tmpfs mounts it sees that isolab's namespace does not. */
function privateMounts(context: CheckContext) {
  const outside = readMountInfo(context.system.proc);
  return requireOwnNamespace(context, lab, 'mnt', 'Fix the mount namespace check first.').map((pid) => {
    const inside = parseMountInfo(readTrimmed(systemPath(context, `/proc/${pid}/mountinfo`)) ?? '').filter(labTmpfs);
    return { pid, inside, hidden: inside.filter((mount) => !outside.some((other) => sameMount(mount, other))) };
  });
}

export default defineChecker({
  checks: [
    {
      id: 'shared-mountpoint',
      title: `${mountPoint} is a shared mount on the host`,
      tag: 'observe',
      timeoutMs: 5_000,
      async run(context) {
        const found = propagationOf(readSystemText(context, '/proc/self/mountinfo'), mountPoint);
        const mounted = found !== undefined;
        const fields = found ?? [];
        if (fields.some((field) => field.startsWith('shared:'))) return { pass: true, message: `${mountPoint} is mounted with ${fields.join(' ')}`, observed: { propagation: fields } };
        return {
          pass: false,
          message: mounted ? `${mountPoint} is mounted but private (${fields.join(' ') || 'no peer group'})` : `nothing is mounted on ${mountPoint}`,
          observed: { mounted, propagation: fields },
          hint: `Make the lab mount point behave like / on a systemd machine: \`mkdir -p ${mountPoint} && mount --bind ${mountPoint} ${mountPoint} && mount --make-shared ${mountPoint}\`. A private namespace proves something only where mounts would otherwise spread.`,
        };
      },
    },
    {
      id: 'own-mnt',
      title: `${name} runs in a mount namespace of its own`,
      tag: 'observe',
      timeoutMs: 10_000,
      run: async (context) => ownNamespaceCheck(context, lab, 'mnt', '--mount'),
    },
    {
      id: 'tmpfs-inside-only',
      title: 'a tmpfs under /run/isolab is mounted inside and not outside',
      tag: 'observe',
      timeoutMs: 10_000,
      async run(context) {
        const seen = privateMounts(context);
        const good = seen.find((entry) => entry.hidden.length > 0);
        if (good) {
          return {
            pass: true,
            message: `pid ${good.pid} sees ${good.hidden.map(describe).join(', ')}; isolab's namespace does not`,
            observed: { pid: good.pid, hidden: good.hidden.map(describe) },
          };
        }
        const first = seen[0]!;
        if (first.inside.length === 0) {
          return {
            pass: false,
            message: `pid ${first.pid} has no tmpfs under /run/isolab`,
            observed: { pid: first.pid },
            hint: `Mount it inside the namespace, before the \`exec\`: \`mount -t tmpfs isolab-private ${mountPoint}\` (as in \`${lab.start}\`).`,
          };
        }
        return {
          pass: false,
          message: `every tmpfs pid ${first.pid} sees under /run/isolab is visible outside too: ${first.inside.map(describe).join(', ')}`,
          observed: { pid: first.pid, leaked: first.inside.map(describe) },
          hint: `The mount propagated to the host: the namespace's copy of ${mountPoint} was still shared with it. Unmount it on the host (\`umount ${mountPoint}\`), stop the process (\`kill ${first.pid}\`) and start it again with \`--propagation private\`.`,
        };
      },
    },
    {
      id: 'no-leak',
      title: 'no lab tmpfs leaked to the host',
      tag: 'observe',
      timeoutMs: 5_000,
      async run(context) {
        const leaked = readMountInfo(context.system.proc).filter(labTmpfs);
        return leaked.length === 0
          ? { pass: true, message: 'the host has no tmpfs under /run/isolab', observed: { leaked: [] } }
          : {
              pass: false,
              message: `the host sees ${leaked.map(describe).join(', ')}`,
              observed: { leaked: leaked.map(describe) },
              hint: `A mount made in a namespace with shared propagation stays on the host after the namespace is gone (step 3 shows it). Take it off the host: \`umount ${leaked[0]!.mountPoint}\` (once per tmpfs; \`findmnt -R /run/isolab/mnt\` lists them).`,
            };
      },
    },
  ],

  async cleanup(context) {
    await killLabProcesses(context, name);
    // The host's side: leaked tmpfs copies and the shared bind mount.
    await unmountUnder(context, mountPoint);
    removeEmptyDirs([mountPoint]);
  },

  // Steps 2–4: a shared mount point (as / is under systemd), the leak seen and undone, then a private namespace.
  async solution(context) {
    await commandOutput(context, 'mkdir', ['-p', mountPoint]);
    await commandOutput(context, 'mount', ['--bind', mountPoint, mountPoint]);
    await commandOutput(context, 'mount', ['--make-shared', mountPoint]);
    await commandOutput(context, 'unshare', ['--mount', '--propagation', 'unchanged', 'mount', '-t', 'tmpfs', 'isolab-leak', mountPoint]);
    await commandOutput(context, 'umount', [mountPoint]);
    await startLabProcessCalled(context, name, 'unshare', ['--mount', '--propagation', 'private', 'bash', '-c', `mount -t tmpfs isolab-private ${mountPoint} && exec -a ${name} sleep infinity`]);
  },
});
