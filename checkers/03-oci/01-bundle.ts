import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expectedElf, machineName, readElf } from '../../src/rootfs/index.js';
import { bundleDir, bundleSpec, defineChecker, prepareBundle, removeBundle, resolveInRootfs } from '../../src/kit/index.js';

const bundle = bundleDir('bundle');
const rootfs = join(bundle, 'rootfs');
const build = `isolab rootfs ${rootfs}`;

export default defineChecker({
  checks: [
    {
      id: 'busybox',
      title: 'rootfs/bin/busybox is a static binary for this machine',
      tag: 'observe',
      async run() {
        const binary = join(rootfs, 'bin/busybox');
        if (!existsSync(binary)) return { pass: false, message: `there is no ${binary}`, observed: { busybox: null }, hint: `Build the root filesystem: \`${build}\`.` };
        const elf = readElf(binary);
        if (!elf) return { pass: false, message: `${binary} is not an ELF binary`, observed: {}, hint: `Build the rootfs again: \`${build} --force\`.` };
        const native = expectedElf(process.arch);
        const observed = { machine: elf.machine, bits: elf.bits, static: elf.static, arch: process.arch };
        if (native && (elf.machine !== native.machine || elf.bits !== native.bits)) {
          return { pass: false, message: `${binary} is a ${elf.bits}-bit ${machineName(elf.machine)} binary; this machine is ${native.name}`, observed, hint: `Bytes 18-19 of the file must match this CPU. Copy the busybox of this machine's busybox-static package: \`${build} --force\`.` };
        }
        if (!elf.static) {
          return { pass: false, message: `${binary} is dynamically linked (it has an interpreter: the dynamic loader)`, observed, hint: 'The rootfs has no /lib, so it cannot start. Install busybox-static (apt-get install busybox-static) and build again with --force.' };
        }
        return { pass: true, message: `bin/busybox is a static ${elf.bits}-bit ${machineName(elf.machine)} binary, as this machine (${process.arch}) needs`, observed };
      },
    },
    {
      id: 'layout',
      title: 'the rootfs has the directories, /etc files and applet links a container needs',
      tag: 'observe',
      async run() {
        if (!existsSync(rootfs)) return { pass: false, message: `there is no ${rootfs}`, observed: { rootfs: null }, hint: `Build it: \`${build}\`.` };
        const missingDirs = ['proc', 'sys', 'dev', 'tmp', 'etc', 'bin'].filter((dir) => !statSync(join(rootfs, dir), { throwIfNoEntry: false })?.isDirectory());
        if (missingDirs.length > 0) {
          return { pass: false, message: `the rootfs has no ${missingDirs.join(', ')}`, observed: { missingDirs }, hint: `runc mounts proc, sysfs and a tmpfs onto /proc, /sys and /dev: the directories must exist. \`${build} --force\` makes them.` };
        }
        const busybox = join(rootfs, 'bin/busybox');
        const applets = ['sh', 'ls', 'ps', 'sleep', 'mkdir', 'ping', 'hostname'];
        const broken = applets.filter((applet) => resolveInRootfs(rootfs, `/bin/${applet}`) !== busybox);
        if (broken.length > 0) {
          return { pass: false, message: `inside the rootfs, /bin/${broken.join(', /bin/')} ${broken.length === 1 ? 'does' : 'do'} not lead to /bin/busybox`, observed: { broken }, hint: `Each applet is a link to busybox (relative: bin/sh -> busybox). \`${build} --force\` makes them.` };
        }
        const passwd = existsSync(join(rootfs, 'etc/passwd'));
        if (!passwd) return { pass: false, message: 'the rootfs has no etc/passwd', observed: { passwd }, hint: 'Without it, `id` and `ps` show numbers instead of root. `isolab rootfs --force` writes it.' };
        return { pass: true, message: `proc, sys, dev, tmp, etc are there; ${applets.join(', ')} lead to /bin/busybox inside the rootfs`, observed: { applets } };
      },
    },
    {
      id: 'config',
      title: 'config.json is runc spec JSON whose root.path and process.args[0] resolve in the rootfs',
      tag: 'observe',
      async run() {
        const spec = bundleSpec(bundle);
        if (typeof spec.ociVersion !== 'string') return { pass: false, message: 'config.json has no ociVersion', observed: {}, hint: 'Let runc write the template: remove config.json and run `runc spec` in the bundle.' };
        const rootPath = spec.root?.path;
        if (!rootPath) return { pass: false, message: 'config.json has no root.path', observed: {}, hint: 'root.path names the rootfs, relative to the bundle: "rootfs".' };
        const resolvedRoot = resolve(bundle, rootPath);
        if (resolvedRoot !== rootfs) {
          return { pass: false, message: `root.path "${rootPath}" leads to ${resolvedRoot}, not ${rootfs}`, observed: { rootPath }, hint: 'Set root.path to "rootfs": it is resolved against the bundle directory.' };
        }
        const program = spec.process?.args?.[0];
        if (!program) return { pass: false, message: 'process.args is empty', observed: {}, hint: 'runc needs a program to start: ["sh"] as runc spec wrote it.' };
        const path = spec.process?.env?.find((entry) => entry.startsWith('PATH='))?.slice(5) ?? '';
        const candidates = program.includes('/') ? [program] : path.split(':').filter(Boolean).map((dir) => join(dir, program));
        const found = candidates.find((candidate) => resolveInRootfs(rootfs, candidate) === join(rootfs, 'bin/busybox'));
        if (!found) {
          return {
            pass: false,
            message: `process.args[0] "${program}" is not found ${program.includes('/') ? 'in the rootfs' : `on the PATH of process.env (${path || 'empty'})`}`,
            observed: { program, path },
            hint: `runc would fail with: exec: "${program}": executable file not found in $PATH. Keep ["sh"], and PATH as runc spec wrote it.`,
          };
        }
        return { pass: true, message: `root.path "${rootPath}" is the rootfs, and "${program}" is ${found} there; ociVersion ${spec.ociVersion}`, observed: { rootPath, program, found, ociVersion: spec.ociVersion } };
      },
    },
  ],

  cleanup: (context) => removeBundle(context, bundle),

  // Steps 2 and 3: isolab rootfs, then runc spec.
  solution: (context) => prepareBundle(context, bundle),
});
