// ns-tool: which namespaces do two processes share? Complete; lesson 1.11 fills in namespaces.ts.
//
//   isolab exercise ns-tool <pid> <pid>
//
// prints one JSON object: {"pids":[a,b],"shared":["cgroup","mnt",…],"differ":["net",…]}, the kinds sorted.
// Exit 1 on a usage error, 2 when a pid is not a running process.
import { existsSync } from 'node:fs';
import { compareNamespaces, namespaceLinks } from './namespaces.js';

function fail(message: string, code: number): never {
  process.stderr.write(`ns-tool: ${message}\n`);
  process.exit(code);
}

const args = process.argv.slice(2);
if (args.length !== 2 || !args.every((arg) => /^[1-9][0-9]*$/.test(arg))) fail('usage: ns-tool <pid> <pid>', 1);
const pids = args.map(Number) as [number, number];
for (const pid of pids) if (!existsSync(`/proc/${pid}`)) fail(`no process with pid ${pid}`, 2);

try {
  const [a, b] = pids.map((pid) => namespaceLinks(pid)) as [Record<string, string>, Record<string, string>];
  const { shared, differ } = compareNamespaces(a, b);
  process.stdout.write(`${JSON.stringify({ pids, shared, differ })}\n`);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error), 2);
}
