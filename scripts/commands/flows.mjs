// install, remove and status: which directory, asking for sudo, and what to tell the person. Each prints only
// what they need: install is quiet when everything is already right.
// Stays on node:child_process, not execa: these scripts are plain Node with no dependencies (scripts/commands.mjs),
// run before `npm install` has, and under sudo with only an absolute path to Node.
import { spawnSync } from 'node:child_process';
import { readSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { commandsOf, inspectDirectory, installInto, Refused, removeFrom, requireBuilt } from './directory.mjs';
import { shellQuote } from './launcher.mjs';
import { canWrite, findOnPath, loginShellPath, onPath, SECURE_PATH, SYSTEM_DIR, userBinDir } from './where.mjs';

const say = (out, line) => out(`isolab: ${line}`);

/** `~/…` for a path in the home directory: shorter, and what the person recognises. */
function tilde(path, env) {
  const home = env.HOME || homedir();
  return path.startsWith(`${home}/`) ? `~${path.slice(home.length)}` : path;
}

/**
 * How to run one of these scripts as root. `sudo npm …` works only when sudo's PATH has this Node (not so for
 * nvm), so otherwise the command names the Node itself.
 */
export function asRoot(verb, { checkout, node }) {
  const script = { install: 'install-commands', remove: 'remove-commands' }[verb];
  if (SECURE_PATH.includes(dirname(node))) return `sudo npm run ${script}`;
  const word = (path) => (/^[\w@%+=:,./-]+$/.test(path) ? path : shellQuote(path));
  return `sudo ${word(node)} ${word(join(checkout, 'scripts/commands.mjs'))} ${verb}`;
}

/** The way to remove launchers, for the person who just installed them (root under sudo answers for the learner). */
function removeCommand(context) {
  return context.euid === 0 && context.env.SUDO_USER ? asRoot('remove', context) : 'npm run remove-commands';
}

function describeInstall(entries, dir, context) {
  const { out, env, node } = context;
  const names = entries.map((entry) => entry.name).join(' and ');
  say(out, `the commands ${names}, in ${tilde(dir, env)}:`);
  const width = Math.max(...entries.map((entry) => entry.path.length));
  for (const entry of entries) {
    const was = entry.action === 'replaced' ? ` (it ran ${entry.found.launcher.checkout}, another checkout)` : '';
    out(`  ${entry.path.padEnd(width)}  ${entry.action}${was}: runs ${entry.script}`);
  }
  out(`  with Node ${node} (if that one goes away, they use the node on PATH)`);
  out(`  remove them with: ${removeCommand(context)}`);
}

/** What a person with launchers in ~/.local/bin needs to know: which shells find them, and sudo. */
function describeUserDir(dir, context) {
  const { out, env } = context;
  const loginPath = loginShellPath(env);
  const exportLine = `export PATH="${tilde(dir, env).replace(/^~/, '$HOME')}:$PATH"`;
  if (loginPath === null) out(`  whether a new login shell has ${tilde(dir, env)} on its PATH could not be told; if not: ${exportLine}`);
  else if (onPath(dir, loginPath)) out(`  a new login shell has ${tilde(dir, env)} on its PATH`);
  else out(`  a new login shell does not have ${tilde(dir, env)} on its PATH: add this line to ~/.profile: ${exportLine}`);
  if (!onPath(dir, env.PATH)) out(`  this shell does not have it yet: open a new login shell, or run: ${exportLine}`);
  out(`  sudo and root shells (sudo -s) do not look in ${tilde(dir, env)}; to put them in ${SYSTEM_DIR}: ${asRoot('install', context)}`);
}

/** One line typed at the terminal, read synchronously: Node's stdin stream is never opened, so the workbook
 * started afterwards gets the terminal exactly as it was. */
function readAnswer() {
  const buffer = Buffer.alloc(256);
  for (;;) {
    try {
      const length = readSync(0, buffer, 0, buffer.length, null);
      return buffer.subarray(0, length).toString('utf8').trim();
    } catch (error) {
      if (error.code !== 'EAGAIN') return '';
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
  }
}

/** Asks on the terminal; Enter is yes. */
export function askYesNo(question) {
  process.stdout.write(`${question} [Y/n] `);
  return !/^n/i.test(readAnswer());
}

function askForSudo(context) {
  const { out, env, checkout, node } = context;
  const user = tilde(userBinDir(env), env);
  say(out, `the lessons are done in a root shell (sudo -s), and sudo runs only commands in its own PATH, which has ${SYSTEM_DIR} and not ${user}.`);
  if (!context.ask(`isolab: put isolab and cgroup-tool in ${SYSTEM_DIR}, with sudo?`)) return false;
  const result = spawnSync('sudo', [node, join(checkout, 'scripts/commands.mjs'), 'install'], { stdio: 'inherit' });
  if (result.status === 0) return true;
  say(out, `sudo did not install them (${result.error?.message ?? `exit ${result.status}`}); they go in ${user} instead.`);
  return false;
}

function withDefaults(options) {
  const checkout = options.checkout;
  const env = options.env ?? process.env;
  const context = {
    checkout,
    env,
    node: options.node ?? process.execPath,
    euid: options.euid ?? process.geteuid(),
    out: options.out ?? ((line) => process.stdout.write(`${line}\n`)),
    interactive: options.interactive ?? false,
    ask: options.ask ?? askYesNo,
  };
  context.commands = commandsOf(checkout);
  return context;
}

function installHere(dir, context) {
  const entries = installInto(dir, context);
  const changed = entries.some((entry) => entry.action !== 'unchanged');
  if (changed) describeInstall(entries, dir, context);
  return { dir, changed, entries };
}

/**
 * `npm run install-commands` (and `npm start`): put this checkout's launchers on the PATH.
 * Root, or ISOLAB_BIN_DIR: that directory. Otherwise: where they already are; /usr/local/bin when writable or,
 * on a terminal, through sudo if the person agrees; else ~/.local/bin.
 */
export function installCommands(options) {
  const context = withDefaults(options);
  const { env, euid, out } = context;
  requireBuilt(context.commands, context.checkout);
  if (env.ISOLAB_BIN_DIR) {
    const dir = resolve(env.ISOLAB_BIN_DIR);
    const result = installHere(dir, context);
    if (result.changed && !onPath(dir, env.PATH)) out(`  ${dir} is not on this PATH`);
    return result;
  }
  if (euid === 0) return installHere(SYSTEM_DIR, context);

  const user = userBinDir(env);
  const inUser = inspectDirectory(user, context);
  const inSystem = inspectDirectory(SYSTEM_DIR, context);
  // Chosen before (or by a person who said no to sudo): keep them there, and do not ask again.
  const userChosen = inUser.some((entry) => !['missing', 'foreign'].includes(entry.state));
  if (!userChosen) {
    if (inSystem.every((entry) => entry.state === 'current')) return { dir: SYSTEM_DIR, changed: false, entries: inSystem };
    const foreign = inSystem.filter((entry) => entry.state === 'foreign');
    if (foreign.length === 0 && canWrite(SYSTEM_DIR)) return installHere(SYSTEM_DIR, context);
    if (foreign.length === 0 && context.interactive && findOnPath('sudo', env.PATH) && askForSudo(context)) {
      return { dir: SYSTEM_DIR, changed: true, entries: inspectDirectory(SYSTEM_DIR, context) };
    }
    for (const entry of foreign) say(out, `left ${entry.path} alone: it is ${entry.found.what}.`);
  }
  const result = installHere(user, context);
  if (result.changed) describeUserDir(user, context);
  // Old launchers in /usr/local/bin are what sudo and root shells still run: say so each time, it matters.
  const outdated = inSystem.filter((entry) => ['stale', 'other', 'gone'].includes(entry.state));
  if (outdated.length > 0) {
    say(out, `${outdated.map((entry) => entry.path).join(' and ')}, which sudo and root shells run, ${outdated.length > 1 ? 'are' : 'is'} out of date: ${asRoot('install', context)}`);
  }
  return result;
}

/** `npm run remove-commands`: this checkout's launchers (and any whose checkout is gone), wherever they are. */
export function removeCommands(options) {
  const context = withDefaults(options);
  const { env, out } = context;
  const dirs = env.ISOLAB_BIN_DIR ? [resolve(env.ISOLAB_BIN_DIR)] : [SYSTEM_DIR, userBinDir(env)];
  let removed = 0;
  let blocked = false;
  for (const dir of dirs) {
    const removable = inspectDirectory(dir, context).filter((entry) => ['current', 'stale', 'gone'].includes(entry.state));
    if (removable.length > 0 && context.euid !== 0 && !canWrite(dir)) {
      say(out, `${removable.map((entry) => entry.path).join(' and ')}: removing needs root: ${asRoot('remove', context)}`);
      blocked = true;
      continue;
    }
    for (const entry of removeFrom(dir, context)) {
      if (entry.action === 'removed') {
        say(out, `removed ${entry.path}`);
        removed++;
      } else if (entry.action === 'kept' && entry.state === 'other') {
        say(out, `kept ${entry.path}: it runs another checkout (${entry.found.launcher.checkout}); npm run remove-commands there removes it.`);
      }
    }
  }
  if (removed === 0 && !blocked) say(out, `no launchers of this checkout in ${dirs.map((dir) => tilde(dir, env)).join(' or ')}.`);
  return { removed, blocked };
}

const stateWords = {
  missing: () => 'not there',
  current: () => 'this checkout, up to date',
  stale: (entry) => `this checkout, written for another Node (${entry.found.launcher.node}): npm run install-commands updates it`,
  other: (entry) => `runs another checkout (${entry.found.launcher.checkout})`,
  gone: (entry) => `runs ${entry.found.launcher.checkout}, which is gone: npm run remove-commands removes it`,
  foreign: (entry) => `not isolab's (${entry.found.what})`,
};

/** `node scripts/commands.mjs status`: what is where, and what this PATH runs. Exit 0 when all is right. */
export function commandsStatus(options) {
  const context = withDefaults(options);
  const { env, out, checkout } = context;
  const dirs = env.ISOLAB_BIN_DIR ? [resolve(env.ISOLAB_BIN_DIR)] : [SYSTEM_DIR, userBinDir(env)];
  say(out, `launchers of ${checkout}, for Node ${context.node}:`);
  const entries = dirs.flatMap((dir) => inspectDirectory(dir, context));
  const width = Math.max(...entries.map((entry) => entry.path.length));
  for (const entry of entries) out(`  ${entry.path.padEnd(width)}  ${stateWords[entry.state](entry)}`);
  let right = true;
  for (const command of context.commands) {
    const found = findOnPath(command.name, env.PATH);
    const entry = entries.find((candidate) => candidate.path === found);
    if (!found) out(`  ${command.name} is not on this PATH`);
    else out(`  ${command.name} on this PATH: ${found}${entry ? '' : ' (not a directory isolab installs to)'}`);
    if (entry?.state !== 'current') right = false;
  }
  const installed = entries.filter((entry) => entry.state === 'current').map((entry) => dirname(entry.path));
  if (!right && installed.length === context.commands.length && new Set(installed).size === 1) {
    say(out, `${installed[0]} is not searched first on this PATH: a new login shell, or export PATH="${installed[0]}:$PATH"`);
  } else if (!right) {
    say(out, 'npm run install-commands puts them right.');
  }
  return right ? 0 : 1;
}

export { Refused };
