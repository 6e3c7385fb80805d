import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRootfs } from '../../src/rootfs/index.js';
import { bundleDir, defineChecker, deleteContainer, failCheck, prepareBundle, removeBundle, runc, runcSaid, runcTemplate, strayChanges, withLearnerProgram, writeSolution, writeSpec, type Check, type CheckContext, type CheckOutcome, type OciSpec } from '../../src/kit/index.js';
import { namespaceOf } from '../../src/verify/index.js';

const bundle = bundleDir('config');
/** The checker's own bundle, so verify never overwrites the config.json the learner is trying things in. */
const checkBundle = bundleDir('config-check');
const id = 'isolab-config-check';
const tool = { entry: 'exercises/oci-config/main.ts', name: 'your tool', byHand: 'isolab exercise oci-config /tmp/isolab-lab/oci/config/try.json …' };

type Namespaces = NonNullable<NonNullable<OciSpec['linux']>['namespaces']>;
const namespacesOf = (spec: OciSpec | undefined): Namespaces => spec?.linux?.namespaces ?? [];
const without = (spec: OciSpec, type: string): OciSpec => {
  const copy = structuredClone(spec);
  copy.linux = { ...copy.linux, namespaces: namespacesOf(copy).filter((namespace) => namespace.type !== type) };
  return copy;
};

/**
 * Writes `spec` to a scratch config.json, runs the learner's tool on it with `args` and returns what it wrote
 * back. A failed run (a TODO left in `fn`, or in any function when fn is '') or a file that is not JSON ends the
 * check as failed.
 */
type EditRun = (spec: OciSpec, args: readonly string[], fn: string) => Promise<OciSpec>;

/**
 * A check of the learner's tool: it is compiled (a compile error is a failed check), and `run` gets its edits,
 * runc's template to edit, and the context.
 */
function toolCheck(check: Omit<Check, 'run'>, run: (edit: EditRun, template: OciSpec, context: CheckContext) => Promise<CheckOutcome>): Check {
  return {
    ...check,
    run: (context) =>
      withLearnerProgram(context, tool, async (program) => {
        const scratch = mkdtempSync(join(tmpdir(), 'isolab-oci-config-'));
        let runs = 0;
        const edit: EditRun = async (spec, args, fn) => {
          const file = join(scratch, `config-${++runs}.json`);
          writeFileSync(file, JSON.stringify(spec, null, '\t'));
          await program.mustRun([file, ...args], fn ? `${fn} in exercises/oci-config/edit.ts` : 'every function of exercises/oci-config/edit.ts: this check uses them all', 20_000);
          try {
            return JSON.parse(readFileSync(file, 'utf8')) as OciSpec;
          } catch {
            return failCheck({ message: 'the tool left a file that is not JSON', hint: 'main.ts writes the spec back with JSON.stringify: was main.ts changed?', observed: {} });
          }
        };
        try {
          return await run(edit, await runcTemplate(context), context);
        } finally {
          rmSync(scratch, { recursive: true, force: true });
        }
      }),
  };
}

/** Fails the check when `fn` changed fields outside those it is about (each a path prefix). */
function onlyChanged(before: OciSpec, after: OciSpec, allowed: readonly string[], fn: string): void {
  const stray = strayChanges(before, after, allowed);
  if (stray.length === 0) return;
  failCheck({
    message: `${fn} also changed ${stray.slice(0, 3).join(', ')}${stray.length > 3 ? ', …' : ''}`,
    hint: 'Change only the fields the function is about: runc reads every field, so a stray change is a different container.',
    observed: { stray },
  });
}

export default defineChecker({
  checks: [
    toolCheck({ id: 'process', title: 'setProcess sets process.args, turns the terminal off, and changes nothing else', tag: 'experiment' }, async (edit, template) => {
      const after = await edit(template, ['--', 'sleep', '3600'], 'setProcess');
      const observed = { args: after.process?.args ?? null, terminal: after.process?.terminal ?? null };
      if (JSON.stringify(after.process?.args) !== '["sleep","3600"]') return { pass: false, message: `-- sleep 3600 left process.args ${JSON.stringify(after.process?.args)}`, hint: 'process.args is the whole argument vector: ["sleep", "3600"], program first.', observed };
      if (after.process?.terminal !== false) return { pass: false, message: `process.terminal is ${after.process?.terminal}`, hint: 'With terminal true, runc run -d and runc create refuse: "cannot allocate tty if runc will detach without setting console socket". Set it to false.', observed };
      onlyChanged(template, after, ['process.args', 'process.terminal'], 'setProcess');
      return { pass: true, message: 'process.args is ["sleep","3600"], terminal false; the rest is as runc spec wrote it', observed };
    }),
    toolCheck({ id: 'hostname', title: 'setHostname sets the hostname with exactly one uts namespace', tag: 'experiment' }, async (edit, template) => {
      for (const [label, input] of [['runc spec', template], ['a config without uts', without(template, 'uts')]] as const) {
        const after = await edit(input, ['--hostname', 'isolab-box'], 'setHostname');
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
        onlyChanged(input, after, ['hostname', 'linux.namespaces'], 'setHostname');
        const others = namespacesOf(input).filter((namespace) => namespace.type !== 'uts');
        if (JSON.stringify(namespacesOf(after).filter((namespace) => namespace.type !== 'uts')) !== JSON.stringify(others)) {
          return { pass: false, message: `on ${label}, the other namespaces changed`, hint: 'Only add uts; leave pid, network, ipc and mount as they are.', observed };
        }
      }
      return { pass: true, message: 'hostname isolab-box, with one uts namespace whether or not the file had one', observed: {} };
    }),
    toolCheck({ id: 'readonly', title: 'setReadonlyRoot sets root.readonly both ways', tag: 'experiment' }, async (edit, template) => {
      for (const [flag, want] of [['--writable', false], ['--readonly', true]] as const) {
        const input = structuredClone(template);
        if (input.root) input.root.readonly = !want;
        const after = await edit(input, [flag], 'setReadonlyRoot');
        if (after.root?.readonly !== want) return { pass: false, message: `${flag} left root.readonly ${after.root?.readonly}`, hint: `Set spec.root.readonly to ${want}.`, observed: { flag } };
        onlyChanged(input, after, ['root.readonly'], 'setReadonlyRoot');
      }
      return { pass: true, message: '--writable gives root.readonly false, --readonly true; root.path is kept', observed: {} };
    }),
    toolCheck({ id: 'tmpfs', title: 'addTmpfs mounts a sized tmpfs, replacing a mount at the same place', tag: 'experiment' }, async (edit, template) => {
      const first = await edit(template, ['--tmpfs', '/tmp:16'], 'addTmpfs');
      const mounts = first.mounts ?? [];
      const tmp = mounts.filter((mount) => mount.destination === '/tmp');
      const observed = { tmp };
      if (tmp.length !== 1) return { pass: false, message: `there are ${tmp.length} mounts at /tmp`, hint: 'Push one mount: { destination: "/tmp", type: "tmpfs", source: "tmpfs", options: [...] }.', observed };
      const mount = tmp[0]!;
      if (mount.type !== 'tmpfs' || !mount.options?.includes('size=16m')) {
        return { pass: false, message: `the /tmp mount is ${JSON.stringify(mount)}`, hint: 'type "tmpfs", source "tmpfs", and the size as a mount option: "size=16m".', observed };
      }
      onlyChanged(template, first, [`mounts[${mounts.indexOf(mount)}]`], 'addTmpfs');
      const again = (await edit(first, ['--tmpfs', '/tmp:32'], 'addTmpfs')).mounts ?? [];
      const second = again.filter((entry) => entry.destination === '/tmp');
      if (second.length !== 1 || !second[0]!.options?.includes('size=32m')) {
        return { pass: false, message: `after a second --tmpfs /tmp:32 there are ${second.length} mounts at /tmp: ${JSON.stringify(second)}`, hint: 'Replace the mount with the same destination instead of adding another: runc would mount both, the second over the first.', observed: { tmp: second } };
      }
      if (JSON.stringify(again.map((entry) => entry.destination)) !== JSON.stringify(mounts.map((entry) => entry.destination))) {
        return { pass: false, message: 'replacing the /tmp mount changed the order of the mounts', hint: 'Replace it in place: runc mounts in the order of the list, and /dev must come before /dev/pts.', observed: {} };
      }
      return { pass: true, message: 'one tmpfs at /tmp with size=16m, replaced in place by size=32m; /proc and the rest untouched', observed: { tmp: second } };
    }),
    toolCheck({ id: 'namespaces', title: 'setNamespace and removeNamespace change one entry, joining by path or sharing the host', tag: 'experiment' }, async (edit, template) => {
      const joined = await edit(template, ['--netns', '/run/netns/isolab-oci'], 'setNamespace');
      const network = namespacesOf(joined).filter((namespace) => namespace.type === 'network');
      if (network.length !== 1 || network[0]!.path !== '/run/netns/isolab-oci') {
        return { pass: false, message: `--netns /run/netns/isolab-oci gave network entries ${JSON.stringify(network)}`, hint: 'Change the existing { type: "network" } entry to { type: "network", path }: runc refuses a type listed twice.', observed: { network } };
      }
      onlyChanged(template, joined, ['linux.namespaces'], 'setNamespace');
      const again = namespacesOf(await edit(joined, ['--ns', 'network'], 'setNamespace')).filter((namespace) => namespace.type === 'network');
      if (again.length !== 1 || again[0]!.path !== undefined) {
        return { pass: false, message: `--ns network (no path) gave ${JSON.stringify(again)}`, hint: 'Without a path the entry is { type: "network" }: a new namespace. Drop the old path.', observed: { network: again } };
      }
      const added = namespacesOf(await edit(template, ['--ns', 'cgroup'], 'setNamespace'));
      if (added.filter((namespace) => namespace.type === 'cgroup').length !== 1) return { pass: false, message: '--ns cgroup did not add one cgroup entry', hint: 'A type that is not there yet is appended.', observed: { namespaces: added } };
      const left = namespacesOf(await edit(template, ['--no-ns', 'network'], 'removeNamespace')).map((namespace) => namespace.type);
      const expected = namespacesOf(template).map((namespace) => namespace.type).filter((type) => type !== 'network');
      if (JSON.stringify(left) !== JSON.stringify(expected)) return { pass: false, message: `--no-ns network left ${left.join(', ')}`, hint: `Filter out the network entry only; ${expected.join(', ')} should stay, in order.`, observed: { left } };
      return { pass: true, message: 'network joined by path, back to a new one, cgroup added, network removed: one entry per type each time', observed: { left } };
    }),
    toolCheck({ id: 'env', title: 'setEnv replaces or appends NAME=value in process.env', tag: 'experiment' }, async (edit, template) => {
      const after = await edit(template, ['--env', 'TERM=dumb', '--env', 'ISOLAB_LESSON=3.2'], 'setEnv');
      const env = after.process?.env ?? [];
      const base = template.process?.env ?? [];
      const expected = [...base.map((entry) => (entry.startsWith('TERM=') ? 'TERM=dumb' : entry)), 'ISOLAB_LESSON=3.2'];
      if (JSON.stringify(env) !== JSON.stringify(expected)) {
        return { pass: false, message: `process.env is ${JSON.stringify(env)}`, hint: `Expected ${JSON.stringify(expected)}: TERM replaced where it was, the new variable at the end, PATH kept.`, observed: { env } };
      }
      onlyChanged(template, after, ['process.env'], 'setEnv');
      return { pass: true, message: `process.env is ${JSON.stringify(env)}`, observed: { env } };
    }),
    // The lesson requires root, runc and busybox, so this check always runs: a file is right when runc makes the
    // container it describes, and a check that could not run must not count as passed.
    toolCheck({ id: 'runc-runs-it', title: 'runc runs a container from a config your tool wrote, as the file says', tag: 'experiment', timeoutMs: 60_000 }, async (edit, template, context) => {
      const script = 'hostname; echo "lesson=$ISOLAB_LESSON"; touch /tmp/ok && echo tmp-writable; touch /isolab-root 2>&1; grep " /tmp " /proc/mounts; readlink /proc/self/ns/net';
      const spec = await edit(template, ['--hostname', 'isolab-box', '--tmpfs', '/tmp:8', '--readonly', '--no-ns', 'network', '--env', 'ISOLAB_LESSON=3.2', '--', 'sh', '-c', script], '');
      buildRootfs(join(checkBundle, 'rootfs'), { force: true, env: context.system.env });
      writeSpec(checkBundle, spec);
      let result;
      try {
        await deleteContainer(context, id);
        result = await runc(context, ['run', '--bundle', checkBundle, id], 30_000);
      } finally {
        await removeBundle(context, checkBundle, [id]);
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
  ],

  setup: (context) => prepareBundle(context, bundle),

  async cleanup(context) {
    await removeBundle(context, checkBundle, [id]);
    await removeBundle(context, bundle);
  },

  solution: async (context) => writeSolution(context, { from: 'checkers/03-oci/solutions/oci-config', to: 'exercises/oci-config', files: ['edit.ts'] }),
});
