import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildRootfs } from '../../src/rootfs/index.js';
import { defineChecker, namespaceOf, type CheckOutcome } from '../../src/verify/index.js';
import { explainToolRun, strayChanges, strayOutcome, templateSpec, withConfigTool, writeSolution } from './lib/config-tool.js';
import { bundleDir, deleteContainer, removeLab, runc, runcSaid, type OciSpec } from './lib/runc.js';

const bundle = bundleDir('config');
/** The checker's own bundle, so verify never overwrites the config.json the learner is trying things in. */
const checkBundle = bundleDir('config-check');
const id = 'isolab-config-check';

type Namespaces = NonNullable<NonNullable<OciSpec['linux']>['namespaces']>;
const namespacesOf = (spec: OciSpec | undefined): Namespaces => spec?.linux?.namespaces ?? [];
const without = (spec: OciSpec, type: string): OciSpec => {
  const copy = structuredClone(spec);
  copy.linux = { ...copy.linux, namespaces: namespacesOf(copy).filter((namespace) => namespace.type !== type) };
  return copy;
};

export default defineChecker({
  checks: [
    {
      id: 'process',
      title: 'setProcess sets process.args, turns the terminal off, and changes nothing else',
      tag: 'experiment',
      run: (context) =>
        withConfigTool(context, async (tool, template) => {
          const run = await tool.edit(template, ['--', 'sleep', '3600']);
          const failed = explainToolRun(run, 'setProcess');
          if (failed) return failed;
          const after = run.after!;
          const observed = { args: after.process?.args ?? null, terminal: after.process?.terminal ?? null };
          if (JSON.stringify(after.process?.args) !== '["sleep","3600"]') return { pass: false, message: `-- sleep 3600 left process.args ${JSON.stringify(after.process?.args)}`, hint: 'process.args is the whole argument vector: ["sleep", "3600"], program first.', observed };
          if (after.process?.terminal !== false) return { pass: false, message: `process.terminal is ${after.process?.terminal}`, hint: 'With terminal true, runc run -d and runc create refuse: "cannot allocate tty if runc will detach without setting console socket". Set it to false.', observed };
          const stray = strayChanges(template, after, ['process.args', 'process.terminal']);
          if (stray.length > 0) return strayOutcome(stray, 'setProcess');
          return { pass: true, message: 'process.args is ["sleep","3600"], terminal false; the rest is as runc spec wrote it', observed };
        }),
    },
    {
      id: 'hostname',
      title: 'setHostname sets the hostname with exactly one uts namespace',
      tag: 'experiment',
      run: (context) =>
        withConfigTool(context, async (tool, template) => {
          for (const [label, input] of [['runc spec', template], ['a config without uts', without(template, 'uts')]] as const) {
            const run = await tool.edit(input, ['--hostname', 'isolab-box']);
            const failed = explainToolRun(run, 'setHostname');
            if (failed) return failed;
            const after = run.after!;
            const uts = namespacesOf(after).filter((namespace) => namespace.type === 'uts').length;
            const observed = { input: label, hostname: after.hostname ?? null, utsEntries: uts };
            if (after.hostname !== 'isolab-box') return { pass: false, message: `on ${label}, --hostname isolab-box left hostname ${JSON.stringify(after.hostname)}`, hint: 'Set spec.hostname.', observed };
            if (uts !== 1) {
              return {
                pass: false,
                message: `on ${label}, linux.namespaces has ${uts} uts entries`,
                hint: uts === 0 ? 'runc refuses a hostname without a UTS namespace of the container\'s own ("unable to set hostname without a private UTS namespace"): add { type: "uts" }.' : 'Add uts only when it is missing: runc refuses a namespace type listed twice.',
                observed,
              };
            }
            const stray = strayChanges(input, after, ['hostname', 'linux.namespaces']);
            if (stray.length > 0) return strayOutcome(stray, 'setHostname');
            const others = namespacesOf(input).filter((namespace) => namespace.type !== 'uts');
            if (JSON.stringify(namespacesOf(after).filter((namespace) => namespace.type !== 'uts')) !== JSON.stringify(others)) {
              return { pass: false, message: `on ${label}, the other namespaces changed`, hint: 'Only add uts; leave pid, network, ipc and mount as they are.', observed };
            }
          }
          return { pass: true, message: 'hostname isolab-box, with one uts namespace whether or not the file had one', observed: {} };
        }),
    },
    {
      id: 'readonly',
      title: 'setReadonlyRoot sets root.readonly both ways',
      tag: 'experiment',
      run: (context) =>
        withConfigTool(context, async (tool, template) => {
          for (const [flag, want] of [['--writable', false], ['--readonly', true]] as const) {
            const input = structuredClone(template);
            if (input.root) input.root.readonly = !want;
            const run = await tool.edit(input, [flag]);
            const failed = explainToolRun(run, 'setReadonlyRoot');
            if (failed) return failed;
            if (run.after!.root?.readonly !== want) return { pass: false, message: `${flag} left root.readonly ${run.after!.root?.readonly}`, hint: `Set spec.root.readonly to ${want}.`, observed: { flag } };
            const stray = strayChanges(input, run.after, ['root.readonly']);
            if (stray.length > 0) return strayOutcome(stray, 'setReadonlyRoot');
          }
          return { pass: true, message: '--writable gives root.readonly false, --readonly true; root.path is kept', observed: {} };
        }),
    },
    {
      id: 'tmpfs',
      title: 'addTmpfs mounts a sized tmpfs, replacing a mount at the same place',
      tag: 'experiment',
      run: (context) =>
        withConfigTool(context, async (tool, template) => {
          const first = await tool.edit(template, ['--tmpfs', '/tmp:16']);
          const failed = explainToolRun(first, 'addTmpfs');
          if (failed) return failed;
          const mounts = first.after!.mounts ?? [];
          const tmp = mounts.filter((mount) => mount.destination === '/tmp');
          const observed = { tmp };
          if (tmp.length !== 1) return { pass: false, message: `there are ${tmp.length} mounts at /tmp`, hint: 'Push one mount: { destination: "/tmp", type: "tmpfs", source: "tmpfs", options: [...] }.', observed };
          const mount = tmp[0]!;
          if (mount.type !== 'tmpfs' || !mount.options?.includes('size=16m')) {
            return { pass: false, message: `the /tmp mount is ${JSON.stringify(mount)}`, hint: 'type "tmpfs", source "tmpfs", and the size as a mount option: "size=16m".', observed };
          }
          const stray = strayChanges(template, first.after, [`mounts[${mounts.indexOf(mount)}]`]);
          if (stray.length > 0) return strayOutcome(stray, 'addTmpfs');
          const again = await tool.edit(first.after!, ['--tmpfs', '/tmp:32']);
          const failedAgain = explainToolRun(again, 'addTmpfs');
          if (failedAgain) return failedAgain;
          const second = (again.after!.mounts ?? []).filter((entry) => entry.destination === '/tmp');
          if (second.length !== 1 || !second[0]!.options?.includes('size=32m')) {
            return { pass: false, message: `after a second --tmpfs /tmp:32 there are ${second.length} mounts at /tmp: ${JSON.stringify(second)}`, hint: 'Replace the mount with the same destination instead of adding another: runc would mount both, the second over the first.', observed: { tmp: second } };
          }
          if (JSON.stringify((again.after!.mounts ?? []).map((entry) => entry.destination)) !== JSON.stringify(mounts.map((entry) => entry.destination))) {
            return { pass: false, message: 'replacing the /tmp mount changed the order of the mounts', hint: 'Replace it in place: runc mounts in the order of the list, and /dev must come before /dev/pts.', observed: {} };
          }
          return { pass: true, message: 'one tmpfs at /tmp with size=16m, replaced in place by size=32m; /proc and the rest untouched', observed: { tmp: second } };
        }),
    },
    {
      id: 'namespaces',
      title: 'setNamespace and removeNamespace change one entry, joining by path or sharing the host',
      tag: 'experiment',
      run: (context) =>
        withConfigTool(context, async (tool, template) => {
          const join = await tool.edit(template, ['--netns', '/run/netns/isolab-oci']);
          const failed = explainToolRun(join, 'setNamespace');
          if (failed) return failed;
          const network = namespacesOf(join.after).filter((namespace) => namespace.type === 'network');
          if (network.length !== 1 || network[0]!.path !== '/run/netns/isolab-oci') {
            return { pass: false, message: `--netns /run/netns/isolab-oci gave network entries ${JSON.stringify(network)}`, hint: 'Change the existing { type: "network" } entry to { type: "network", path }: runc refuses a type listed twice.', observed: { network } };
          }
          const stray = strayChanges(template, join.after, ['linux.namespaces']);
          if (stray.length > 0) return strayOutcome(stray, 'setNamespace');
          const fresh = await tool.edit(join.after!, ['--ns', 'network']);
          const failedFresh = explainToolRun(fresh, 'setNamespace');
          if (failedFresh) return failedFresh;
          const again = namespacesOf(fresh.after).filter((namespace) => namespace.type === 'network');
          if (again.length !== 1 || again[0]!.path !== undefined) {
            return { pass: false, message: `--ns network (no path) gave ${JSON.stringify(again)}`, hint: 'Without a path the entry is { type: "network" }: a new namespace. Drop the old path.', observed: { network: again } };
          }
          const added = await tool.edit(template, ['--ns', 'cgroup']);
          const failedAdded = explainToolRun(added, 'setNamespace');
          if (failedAdded) return failedAdded;
          if (namespacesOf(added.after).filter((namespace) => namespace.type === 'cgroup').length !== 1) return { pass: false, message: '--ns cgroup did not add one cgroup entry', hint: 'A type that is not there yet is appended.', observed: { namespaces: namespacesOf(added.after) } };
          const removed = await tool.edit(template, ['--no-ns', 'network']);
          const failedRemoved = explainToolRun(removed, 'removeNamespace');
          if (failedRemoved) return failedRemoved;
          const left = namespacesOf(removed.after).map((namespace) => namespace.type);
          const expected = namespacesOf(template).map((namespace) => namespace.type).filter((type) => type !== 'network');
          if (JSON.stringify(left) !== JSON.stringify(expected)) return { pass: false, message: `--no-ns network left ${left.join(', ')}`, hint: `Filter out the network entry only; ${expected.join(', ')} should stay, in order.`, observed: { left } };
          return { pass: true, message: 'network joined by path, back to a new one, cgroup added, network removed: one entry per type each time', observed: { left } };
        }),
    },
    {
      id: 'env',
      title: 'setEnv replaces or appends NAME=value in process.env',
      tag: 'experiment',
      run: (context) =>
        withConfigTool(context, async (tool, template) => {
          const run = await tool.edit(template, ['--env', 'TERM=dumb', '--env', 'ISOLAB_LESSON=3.2']);
          const failed = explainToolRun(run, 'setEnv');
          if (failed) return failed;
          const env = run.after!.process?.env ?? [];
          const base = template.process?.env ?? [];
          const expected = [...base.map((entry) => (entry.startsWith('TERM=') ? 'TERM=dumb' : entry)), 'ISOLAB_LESSON=3.2'];
          if (JSON.stringify(env) !== JSON.stringify(expected)) {
            return { pass: false, message: `process.env is ${JSON.stringify(env)}`, hint: `Expected ${JSON.stringify(expected)}: TERM replaced where it was, the new variable at the end, PATH kept.`, observed: { env } };
          }
          const stray = strayChanges(template, run.after, ['process.env']);
          if (stray.length > 0) return strayOutcome(stray, 'setEnv');
          return { pass: true, message: `process.env is ${JSON.stringify(env)}`, observed: { env } };
        }),
    },
    {
      id: 'runc-runs-it',
      title: 'runc runs a container from a config your tool wrote, as the file says',
      tag: 'experiment',
      timeoutMs: 60_000,
      // The lesson requires root, runc and busybox, so this check always runs: a file is right when runc makes the
      // container it describes, and a check that could not run must not count as passed.
      run: (context) =>
        withConfigTool(context, async (tool, template): Promise<CheckOutcome> => {
          const script = 'hostname; echo "lesson=$ISOLAB_LESSON"; touch /tmp/ok && echo tmp-writable; touch /isolab-root 2>&1; grep " /tmp " /proc/mounts; readlink /proc/self/ns/net';
          const run = await tool.edit(template, ['--hostname', 'isolab-box', '--tmpfs', '/tmp:8', '--readonly', '--no-ns', 'network', '--env', 'ISOLAB_LESSON=3.2', '--', 'sh', '-c', script]);
          const failed = explainToolRun(run, '');
          if (failed) return failed;
          buildRootfs(join(checkBundle, 'rootfs'), { force: true, env: context.system.env });
          writeFileSync(join(checkBundle, 'config.json'), JSON.stringify(run.after, null, 2));
          let result;
          try {
            await deleteContainer(context, id);
            result = await runc(context, ['run', '--bundle', checkBundle, id], 30_000);
          } finally {
            await deleteContainer(context, id);
            rmSync(checkBundle, { recursive: true, force: true });
          }
          if (result.exitCode !== 0 && !result.stdout) return { pass: false, message: `runc run failed: ${runcSaid(result)}`, hint: 'runc read your config.json and refused it: its message names the field.', observed: { exitCode: result.exitCode } };
          const lines = result.stdout.trim().split('\n');
          const hostNet = namespaceOf(context.system, 'self', 'net');
          const seen = { hostname: lines[0], env: lines[1], tmp: lines.find((line) => line.startsWith('/tmp') || line.startsWith('tmpfs /tmp')) ?? null, root: lines.find((line) => /isolab-root/.test(line)) ?? null, net: lines.at(-1), hostNet };
          const problems = [
            seen.hostname !== 'isolab-box' && `the hostname inside is ${seen.hostname}`,
            seen.env !== 'lesson=3.2' && `the environment inside has ${seen.env}`,
            !lines.includes('tmp-writable') && '/tmp is not writable inside',
            !/size=8192k/.test(seen.tmp ?? '') && `/tmp is mounted as ${seen.tmp ?? 'nothing'}`,
            !/Read-only file system/.test(seen.root ?? '') && 'the root filesystem is writable',
            seen.net !== hostNet && `the network namespace inside is ${seen.net}, isolab's is ${hostNet}`,
          ].filter((problem): problem is string => typeof problem === 'string');
          if (problems.length > 0) return { pass: false, message: problems.join('; '), hint: 'The file passed the checks above but the container differs: compare the config.json your tool wrote with the one runc spec writes.', observed: seen };
          return { pass: true, message: `inside: hostname isolab-box, ISOLAB_LESSON=3.2, a writable 8 MiB tmpfs on /tmp over a read-only root, and the host's ${hostNet}`, observed: seen };
        }),
    },
  ],

  async setup(context) {
    mkdirSync(bundle, { recursive: true });
    if (!existsSync(join(bundle, 'config.json'))) writeFileSync(join(bundle, 'config.json'), `${JSON.stringify((await templateSpec(context)).spec, null, '\t')}\n`);
    if (!existsSync(join(bundle, 'rootfs'))) buildRootfs(join(bundle, 'rootfs'), { env: context.system.env });
  },

  async cleanup(context) {
    await removeLab(context, checkBundle, [id]);
    await removeLab(context, bundle, []);
  },

  solution: async (context) => writeSolution(context),
});

