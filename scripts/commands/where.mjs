// Where launchers go and whether a shell will find them there: the system directory that sudo and root shells
// search, the learner's ~/.local/bin, and what PATH a new login shell gets.
// Stays on node:child_process, not execa: these scripts are plain Node with no dependencies (scripts/commands.mjs),
// run before `npm install` has, and under sudo with only an absolute path to Node.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

export const SYSTEM_DIR = '/usr/local/bin';
// sudo's secure_path on Debian and Ubuntu (and /etc/login.defs ENV_SUPATH): where `sudo <command>` looks.
export const SECURE_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

export function userBinDir(env) {
  return join(env.HOME || homedir(), '.local', 'bin');
}

export function onPath(dir, pathValue) {
  return (pathValue ?? '').split(delimiter).includes(dir);
}

function accessible(path, mode) {
  try {
    accessSync(path, mode);
    return true;
  } catch {
    return false;
  }
}

export function findOnPath(name, pathValue) {
  const dirs = (pathValue ?? '').split(delimiter).filter(Boolean);
  return dirs.map((dir) => join(dir, name)).find((candidate) => accessible(candidate, constants.X_OK)) ?? null;
}

/** Whether this process may create files in `dir` (or create `dir` in its nearest existing parent). */
export function canWrite(dir) {
  let existing = dir;
  while (!existsSync(existing)) existing = dirname(existing);
  return accessible(existing, constants.W_OK);
}

/**
 * The PATH a new login shell of this user gets, or null when it cannot be told. The shell runs with a clean
 * environment, as a login does, so the answer comes from the profile files (Debian's and Ubuntu's ~/.profile
 * add ~/.local/bin when the directory exists) and not from this process's PATH.
 */
export function loginShellPath(env) {
  const shell = env.SHELL || '/bin/sh';
  const clean = { HOME: env.HOME || homedir(), USER: env.USER ?? '', LOGNAME: env.LOGNAME ?? env.USER ?? '', SHELL: shell, TERM: 'dumb' };
  // After a marker: a profile may print something of its own.
  const result = spawnSync(shell, ['-l', '-c', 'printf "\\n@PATH@%s" "$PATH"'], {
    env: clean,
    cwd: clean.HOME,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    timeout: 5000,
  });
  const found = result.status === 0 ? /@PATH@(.*)$/.exec(result.stdout)?.[1] : undefined;
  if (!found) return null;
  // fish prints a list variable with spaces.
  return found.includes(delimiter) ? found : found.split(' ').join(delimiter);
}
