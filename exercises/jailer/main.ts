// jailer: runs one command the way a microVM jailer does: inside a cgroup with limits, in new namespaces,
// chrooted into a root filesystem, as an unprivileged uid. Complete: it calls jail.ts (lesson 4.2).
//
//   isolab exercise jailer --id demo --rootfs /tmp/isolab-lab/jail-rootfs -- sh
//   options: --memory <bytes> (64 MiB)  --pids <n> (16)  --uid <n> (65534, nobody)
import { spawn } from 'node:child_process';
import { createJailCgroup, jailArgv, removeJailCgroup, type JailOptions } from './jail.js';

function parse(args: string[]): JailOptions {
  const dash = args.indexOf('--');
  if (dash < 0 || dash === args.length - 1) throw new Error('usage: jailer --id <name> --rootfs <dir> [--memory <bytes>] [--pids <n>] [--uid <n>] -- <command> [args…]');
  const flags = args.slice(0, dash);
  const value = (name: string, fallback?: string): string => {
    const at = flags.indexOf(`--${name}`);
    const found = at >= 0 ? flags[at + 1] : fallback;
    if (found === undefined) throw new Error(`--${name} is required`);
    return found;
  };
  const number = (name: string, fallback: string): number => {
    const parsed = Number(value(name, fallback));
    if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`--${name} takes a whole number`);
    return parsed;
  };
  const id = value('id');
  if (!/^[a-z0-9-]+$/.test(id)) throw new Error(`--id ${id}: use lower-case letters, digits and -`);
  return { id, rootfs: value('rootfs'), memory: number('memory', String(64 * 2 ** 20)), pids: number('pids', '16'), uid: number('uid', '65534'), command: args.slice(dash + 1) };
}

async function main(args: string[]): Promise<number> {
  const options = parse(args);
  const cgroup = createJailCgroup(options);
  try {
    const argv = jailArgv(options);
    // The shell moves itself into the jail's cgroup, then becomes the jail: nothing runs outside the limits.
    const child = spawn('sh', ['-c', 'echo $$ > "$0/cgroup.procs" && exec "$@"', cgroup, ...argv], { stdio: 'inherit' });
    return await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    });
  } finally {
    await removeJailCgroup(cgroup);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`jailer: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
