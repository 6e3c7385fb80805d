// `npm start`: builds when the sources are newer than the bundle, puts `isolab` and `cgroup-tool` on the PATH
// (or refreshes them), then opens the workbook.
// Stays on node:child_process, not execa: plain Node with no dependencies, like scripts/commands.mjs whose flows it
// shares (test/commands.test.ts runs it in a checkout without node_modules).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installCommands } from './commands/flows.mjs';
import { onPath } from './commands/where.mjs';

const root = realpathSync(dirname(dirname(fileURLToPath(import.meta.url))));
const bundle = join(root, 'dist/isolab.js');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(join(root, dir), { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs);
  }
  return newest;
}

const stale =
  !existsSync(bundle) ||
  Math.max(...['src', 'lessons', 'checkers'].map(newestMtime), statSync(join(root, 'package.json')).mtimeMs) >
    statSync(bundle).mtimeMs;
if (stale) {
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

// The lessons say `isolab …`: a shell opened from the workbook (s) must find it too, even before a new login
// shell picks up ~/.local/bin. Putting it there is a convenience: the workbook opens whatever happens.
const env = { ...process.env };
try {
  const { dir } = installCommands({ checkout: root, interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY) });
  if (!onPath(dir, env.PATH)) env.PATH = `${dir}${delimiter}${env.PATH ?? ''}`;
} catch (error) {
  console.error(`isolab: could not put isolab and cgroup-tool on the PATH: ${error.message}`);
  console.error('isolab: the workbook opens anyway; `npm run install-commands` tries again.');
}
const run = spawnSync(process.execPath, [bundle, ...process.argv.slice(2)], { stdio: 'inherit', env });
process.exit(run.status ?? 1);
