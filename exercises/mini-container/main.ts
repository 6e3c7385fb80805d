// mini-container: run a command in new namespaces, inside a busybox root filesystem. Complete; lesson 1.12 fills
// in container.ts.
//
//   isolab exercise mini-container <rootfs> <hostname> <command> [args…]
//
// e.g. isolab exercise mini-container /tmp/isolab-lab/rootfs isolab-mini sh
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { insideScript, namespaceFlags } from './container.js';

function fail(message: string, code: number): never {
  process.stderr.write(`mini-container: ${message}\n`);
  process.exit(code);
}

const [rootfsArg, hostname, ...command] = process.argv.slice(2);
if (!rootfsArg || !hostname || command.length === 0) fail('usage: mini-container <rootfs> <hostname> <command> [args…]', 1);
const rootfs = resolve(rootfsArg);
if (!existsSync(`${rootfs}/bin/sh`)) fail(`${rootfs} has no bin/sh: build one with \`isolab rootfs ${rootfs}\``, 1);

let flags: string[];
let script: string;
try {
  flags = namespaceFlags();
  script = insideScript();
} catch (error) {
  fail(error instanceof Error ? error.message : String(error), 2);
}

// unshare creates the namespaces; bash runs the script in them with $1 = rootfs, $2 = hostname, the rest = command.
const child = spawn('unshare', [...flags, 'bash', '-c', script, 'mini-container', rootfs, hostname, ...command], { stdio: 'inherit' });
child.on('error', (error) => fail(`cannot run unshare: ${error.message}`, 1));
child.on('exit', (code, signal) => process.exit(code ?? 128 + (signal === 'SIGKILL' ? 9 : 15)));
