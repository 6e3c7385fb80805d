// `npm run install-commands` / `npm run remove-commands` / `node scripts/commands.mjs status`: put `isolab` and
// `cgroup-tool` on the PATH as small launchers of this checkout (scripts/commands/). Plain Node, no
// dependencies: it runs before anything else works, and under sudo with only an absolute path to Node.
import { realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commandsStatus, installCommands, Refused, removeCommands } from './commands/flows.mjs';

const checkout = realpathSync(dirname(dirname(fileURLToPath(import.meta.url))));
const usage = 'usage: node scripts/commands.mjs install|remove|status   (ISOLAB_BIN_DIR=<dir> picks the directory)';

function main(argv) {
  const verb = argv[0];
  if (argv.length !== 1 || !['install', 'remove', 'status'].includes(verb)) {
    console.error(usage);
    return 2;
  }
  try {
    if (verb === 'status') return commandsStatus({ checkout });
    if (verb === 'remove') return removeCommands({ checkout }).blocked ? 3 : 0;
    installCommands({ checkout, interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY) });
    return 0;
  } catch (error) {
    // A refusal or what the system said (EACCES, EROFS, ENOTDIR …) is a message; anything else is a bug.
    if (!(error instanceof Refused) && typeof error.code !== 'string') throw error;
    console.error(`isolab: ${error.message}`);
    return error instanceof Refused ? error.code : 3;
  }
}

if (process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))) {
  process.exitCode = main(process.argv.slice(2));
}
