// The launchers that put `isolab` and `cgroup-tool` on the PATH (scripts/commands.mjs), run as a learner runs
// them: the real scripts in a throw-away checkout whose bundles are stubs that print how they were started.
import {
  chmodSync,
  chownSync,
  copyFileSync,
  cpSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findOnPath } from '../src/env/index.js';
import { cliResult, isRoot, repoRoot, type CliResult } from './helpers/cli.js';
import { runSync } from './helpers/run.js';

const scratch = mkdtempSync(join(tmpdir(), 'isolab-commands-'));
chmodSync(scratch, 0o755);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let serial = 0;
const fresh = (name: string) => join(scratch, `${name}-${serial++}`);

/** A checkout with the real scripts and package.json "bin", and bundles that print their name, args and Node. */
function makeCheckout(): string {
  const checkout = fresh('checkout');
  cpSync(join(repoRoot, 'scripts/commands'), join(checkout, 'scripts/commands'), { recursive: true });
  for (const file of ['commands.mjs', 'start.mjs']) copyFileSync(join(repoRoot, 'scripts', file), join(checkout, 'scripts', file));
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  writeFileSync(join(checkout, 'package.json'), JSON.stringify({ name: 'isolab', type: 'module', bin: manifest.bin }));
  for (const dir of ['src', 'lessons', 'checkers']) mkdirSync(join(checkout, dir));
  for (const [name, file] of Object.entries(manifest.bin as Record<string, string>)) {
    mkdirSync(dirname(join(checkout, file)), { recursive: true });
    writeFileSync(
      join(checkout, file),
      `console.log(JSON.stringify({ name: ${JSON.stringify(name)}, args: process.argv.slice(2), node: process.execPath, cwd: process.cwd(), path: process.env.PATH }));\n`,
    );
  }
  // Bundles newer than the sources: start.mjs must not try to build this checkout.
  const later = new Date(Date.now() + 60_000);
  for (const file of Object.values(manifest.bin as Record<string, string>)) utimesSync(join(checkout, file), later, later);
  chmodSync(checkout, 0o755);
  return checkout;
}

type Run = CliResult;

function commands(checkout: string, verb: string, env: NodeJS.ProcessEnv, node = process.execPath, uid?: number): Run {
  const args = [join(checkout, 'scripts/commands.mjs'), verb];
  const [command, argv] = uid === undefined ? [node, args] : ['setpriv', [`--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', node, ...args]];
  return cliResult(runSync(command, argv, { cwd: '/', env: { PATH: '/usr/bin:/bin', ...env }, extendEnv: false }));
}

/** Runs a launcher by its path from /, with `path` as the whole PATH: the launcher must not need Node on it. */
function launch(path: string, args: string[], env: NodeJS.ProcessEnv = { PATH: '/var/empty' }): Run {
  return cliResult(runSync('/bin/sh', [path, ...args], { cwd: '/', env, extendEnv: false }));
}

/** A second name for this Node, as nvm gives each version its own path; removed to play an nvm upgrade. */
function nodeCopy(): string {
  const dir = fresh('node');
  mkdirSync(join(dir, 'bin'), { recursive: true });
  chmodSync(dir, 0o755);
  const copy = join(dir, 'bin/node');
  try {
    linkSync(process.execPath, copy);
  } catch {
    copyFileSync(process.execPath, copy);
    chmodSync(copy, 0o755);
  }
  return copy;
}

describe('install-commands', () => {
  it('writes a marked /bin/sh launcher with absolute paths that runs the bundle from anywhere, without node on PATH', () => {
    const checkout = makeCheckout();
    const bin = fresh('bin');
    const first = commands(checkout, 'install', { ISOLAB_BIN_DIR: bin });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`isolab: the commands isolab and cgroup-tool, in ${bin}:`);
    expect(first.stdout).toMatch(new RegExp(`${bin}/isolab +installed: runs ${checkout}/dist/isolab\\.js`));
    expect(first.stdout).toMatch(new RegExp(`${bin}/cgroup-tool +installed: runs ${checkout}/dist/cgroup-tool\\.js`));
    expect(first.stdout).toContain(`with Node ${process.execPath}`);
    expect(first.stdout).toContain('remove them with: npm run remove-commands');
    expect(first.stdout).toContain(`${bin} is not on this PATH`);

    const text = readFileSync(join(bin, 'isolab'), 'utf8');
    expect(text.split('\n').slice(0, 2)).toEqual(['#!/bin/sh', expect.stringMatching(/^# isolab-launcher v1: /)]);
    expect(text).toContain(`node='${process.execPath}'\nscript='${checkout}/dist/isolab.js'\ncheckout='${checkout}'\n`);
    expect(text).not.toMatch(/npx|npm exec/);
    expect(statSync(join(bin, 'isolab')).mode & 0o777).toBe(0o755);

    const run = launch(join(bin, 'isolab'), ['verify', 'a b', "it's", '$HOME', '']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ name: 'isolab', args: ['verify', 'a b', "it's", '$HOME', ''], node: process.execPath, cwd: '/', path: '/var/empty' });
    expect(JSON.parse(launch(join(bin, 'cgroup-tool'), ['stats']).stdout)).toMatchObject({ name: 'cgroup-tool', args: ['stats'] });
  });

  it('is quiet and leaves the files alone when they are already right', () => {
    const checkout = makeCheckout();
    const bin = fresh('bin');
    expect(commands(checkout, 'install', { ISOLAB_BIN_DIR: bin }).code).toBe(0);
    const before = statSync(join(bin, 'isolab'));
    const again = commands(checkout, 'install', { ISOLAB_BIN_DIR: bin });
    expect(again).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(statSync(join(bin, 'isolab')).ino).toBe(before.ino);
  });

  it('refuses to overwrite a file of that name it did not write, and writes neither launcher', () => {
    const checkout = makeCheckout();
    const bin = fresh('bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'isolab'), '#!/bin/sh\necho my own isolab\n');
    const result = commands(checkout, 'install', { ISOLAB_BIN_DIR: bin });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`${bin}/isolab exists and is a file isolab did not write: isolab leaves it alone.`);
    expect(result.stderr).toContain('ISOLAB_BIN_DIR=<dir> npm run install-commands');
    expect(readFileSync(join(bin, 'isolab'), 'utf8')).toBe('#!/bin/sh\necho my own isolab\n');
    expect(existsSync(join(bin, 'cgroup-tool'))).toBe(false);
  });

  it('treats a symbolic link (npm link, npm install -g) as foreign and never follows it', () => {
    const checkout = makeCheckout();
    const bin = fresh('bin');
    mkdirSync(bin);
    const target = join(fresh('linked'), 'isolab.js');
    mkdirSync(dirname(target));
    writeFileSync(target, 'the global package');
    symlinkSync(target, join(bin, 'isolab'));
    const result = commands(checkout, 'install', { ISOLAB_BIN_DIR: bin });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`${bin}/isolab exists and is a symbolic link`);
    expect(readFileSync(target, 'utf8')).toBe('the global package');
  });

  it("replaces another checkout's launchers and says so", () => {
    const [old, current] = [makeCheckout(), makeCheckout()];
    const bin = fresh('bin');
    expect(commands(old, 'install', { ISOLAB_BIN_DIR: bin }).code).toBe(0);
    const result = commands(current, 'install', { ISOLAB_BIN_DIR: bin });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`${bin}/isolab +replaced \\(it ran ${old}, another checkout\\): runs ${current}/dist/isolab\\.js`));
    expect(JSON.parse(launch(join(bin, 'isolab'), []).stdout).cwd).toBe('/');
    expect(readFileSync(join(bin, 'isolab'), 'utf8')).toContain(`checkout='${current}'`);
  });
});

describe('a launcher whose Node or checkout went away', () => {
  it('falls back to node on PATH when its Node is gone, and otherwise says to run install-commands again', () => {
    const checkout = makeCheckout();
    const bin = fresh('bin');
    const node = nodeCopy();
    expect(commands(checkout, 'install', { ISOLAB_BIN_DIR: bin }, node).code).toBe(0);
    expect(readFileSync(join(bin, 'isolab'), 'utf8')).toContain(`node='${node}'`);
    expect(JSON.parse(launch(join(bin, 'isolab'), ['list']).stdout).node).toBe(node);

    rmSync(dirname(dirname(node)), { recursive: true });
    const fallback = launch(join(bin, 'isolab'), ['list'], { PATH: dirname(process.execPath) });
    expect(fallback.code, fallback.stderr).toBe(0);
    expect(JSON.parse(fallback.stdout)).toMatchObject({ args: ['list'], node: process.execPath });

    const stranded = launch(join(bin, 'isolab'), ['list']);
    expect(stranded.code).toBe(127);
    expect(stranded.stdout).toBe('');
    expect(stranded.stderr).toBe(
      `isolab: the Node.js this command was installed with is gone (${node}), and there is no node on PATH.\n` +
        `isolab: run npm start (or npm run install-commands) in ${checkout} again, with the Node you use now.\n`,
    );
  });

  it('says when the checkout is gone and how to remove the launchers, and the command it gives works', () => {
    const checkout = makeCheckout();
    const bin = fresh('bin');
    expect(commands(checkout, 'install', { ISOLAB_BIN_DIR: bin }).code).toBe(0);
    rmSync(checkout, { recursive: true });
    const result = launch(join(bin, 'cgroup-tool'), ['stats']);
    expect(result.code).toBe(127);
    expect(result.stderr).toContain(`cgroup-tool: this command runs cgroup-tool from ${checkout}, which is gone.`);
    const removal = /remove it with: (?:as root, )?(rm -f .+)$/m.exec(result.stderr)?.[1];
    expect(removal).toBe(`rm -f '${bin}/isolab' '${bin}/cgroup-tool'`);
    expect(runSync('/bin/sh', ['-c', removal!]).status).toBe(0);
    expect(existsSync(join(bin, 'isolab')) || existsSync(join(bin, 'cgroup-tool'))).toBe(false);
  });

  it('says the checkout is not built when only the bundle is missing', () => {
    const checkout = makeCheckout();
    const bin = fresh('bin');
    expect(commands(checkout, 'install', { ISOLAB_BIN_DIR: bin }).code).toBe(0);
    rmSync(join(checkout, 'dist/isolab.js'));
    const result = launch(join(bin, 'isolab'), []);
    expect(result.code).toBe(127);
    expect(result.stderr).toBe(`isolab: ${checkout} is not built (${checkout}/dist/isolab.js is missing): run npm ci (or npm run build) there.\n`);
    // And install refuses to write launchers for bundles that do not exist.
    const install = commands(checkout, 'install', { ISOLAB_BIN_DIR: fresh('bin') });
    expect(install.code).toBe(3);
    expect(install.stderr).toContain(`${checkout}/dist/isolab.js missing: build first, in ${checkout}: npm run build`);
  });
});

describe('remove-commands', () => {
  it("removes this checkout's launchers and those of a gone checkout, and nothing else", () => {
    const [mine, other, gone] = [makeCheckout(), makeCheckout(), makeCheckout()];
    const [bin, otherBin] = [fresh('bin'), fresh('bin')];
    expect(commands(mine, 'install', { ISOLAB_BIN_DIR: bin }).code).toBe(0);
    writeFileSync(join(bin, 'cgroup-tool'), '#!/bin/sh\necho a cgroup-tool of my own\n');
    const result = commands(mine, 'remove', { ISOLAB_BIN_DIR: bin });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`isolab: removed ${bin}/isolab\n`);
    expect(existsSync(join(bin, 'isolab'))).toBe(false);
    expect(readFileSync(join(bin, 'cgroup-tool'), 'utf8')).toBe('#!/bin/sh\necho a cgroup-tool of my own\n');

    expect(commands(other, 'install', { ISOLAB_BIN_DIR: otherBin }).code).toBe(0);
    const kept = commands(mine, 'remove', { ISOLAB_BIN_DIR: otherBin });
    expect(kept.stdout).toContain(`isolab: kept ${otherBin}/isolab: it runs another checkout (${other}); npm run remove-commands there removes it.`);
    expect(existsSync(join(otherBin, 'isolab'))).toBe(true);

    const goneBin = fresh('bin');
    expect(commands(gone, 'install', { ISOLAB_BIN_DIR: goneBin }).code).toBe(0);
    rmSync(gone, { recursive: true });
    const swept = commands(mine, 'remove', { ISOLAB_BIN_DIR: goneBin });
    expect(swept.stdout).toBe(`isolab: removed ${goneBin}/isolab\nisolab: removed ${goneBin}/cgroup-tool\n`);

    expect(commands(mine, 'remove', { ISOLAB_BIN_DIR: goneBin }).stdout).toBe(`isolab: no launchers of this checkout in ${goneBin}.\n`);
  });
});

describe('status', () => {
  it('says what is where and exits 0 only when this PATH runs the current launchers', () => {
    const checkout = makeCheckout();
    const bin = fresh('bin');
    expect(commands(checkout, 'install', { ISOLAB_BIN_DIR: bin }).code).toBe(0);
    const elsewhere = commands(checkout, 'status', { ISOLAB_BIN_DIR: bin });
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stdout).toMatch(new RegExp(`${bin}/isolab +this checkout, up to date`));
    expect(elsewhere.stdout).toContain('isolab is not on this PATH');
    const right = commands(checkout, 'status', { ISOLAB_BIN_DIR: bin, PATH: `${bin}:/usr/bin:/bin` });
    expect(right.code, right.stdout).toBe(0);
    expect(right.stdout).toContain(`isolab on this PATH: ${bin}/isolab`);
  });
});

// As a learner who is not root: no ISOLAB_BIN_DIR, no terminal (so no sudo question): ~/.local/bin.
describe.skipIf(!isRoot || !findOnPath('setpriv', process.env))('install-commands as an ordinary user (needs root for setpriv)', () => {
  const nobody = 65534;
  function learnerHome(profile: boolean): string {
    const home = fresh('home');
    mkdirSync(home);
    if (profile) copyFileSync('/etc/skel/.profile', join(home, '.profile'));
    chownSync(home, nobody, nobody);
    return home;
  }

  it.skipIf(!existsSync('/etc/skel/.profile'))(
    "puts them in ~/.local/bin, says a new login shell finds them there (Debian's ~/.profile) and what sudo needs",
    () => {
      const checkout = makeCheckout();
      const home = learnerHome(true);
      const result = commands(checkout, 'install', { HOME: home, SHELL: '/bin/bash', USER: 'nobody' }, process.execPath, nobody);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('isolab: the commands isolab and cgroup-tool, in ~/.local/bin:');
      expect(result.stdout).toMatch(new RegExp(`${home}/\\.local/bin/isolab +installed: runs ${checkout}/dist/isolab\\.js`));
      expect(result.stdout).toContain('  a new login shell has ~/.local/bin on its PATH\n');
      expect(result.stdout).toContain('  this shell does not have it yet: open a new login shell, or run: export PATH="$HOME/.local/bin:$PATH"\n');
      // This Node is in sudo's PATH, so sudo finds npm.
      expect(result.stdout).toContain(`to put them in /usr/local/bin: sudo npm run install-commands\n`);
      expect(statSync(join(home, '.local/bin/isolab')).uid).toBe(nobody);
      expect(JSON.parse(launch(join(home, '.local/bin/isolab'), ['doctor']).stdout).args).toEqual(['doctor']);
      // The second time: nothing to say, and not in /usr/local/bin either.
      expect(commands(checkout, 'install', { HOME: home, SHELL: '/bin/bash' }, process.execPath, nobody)).toEqual({ code: 0, stdout: '', stderr: '' });
    },
  );

  it('says how to get ~/.local/bin on the PATH without such a profile, and names an nvm-like Node for sudo', () => {
    const checkout = makeCheckout();
    const home = learnerHome(false);
    const node = nodeCopy();
    const result = commands(checkout, 'install', { HOME: home, SHELL: '/bin/sh', PATH: `${home}/.local/bin:/usr/bin:/bin` }, node, nobody);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      '  a new login shell does not have ~/.local/bin on its PATH: add this line to ~/.profile: export PATH="$HOME/.local/bin:$PATH"\n',
    );
    expect(result.stdout).not.toContain('this shell does not have it yet');
    expect(result.stdout).toContain(`to put them in /usr/local/bin: sudo ${node} ${checkout}/scripts/commands.mjs install\n`);
  });
});

// What an ordinary user finds in /usr/local/bin decides where install goes: run in a private mount namespace
// with a tmpfs over /usr/local/bin, so root's launchers there never reach the machine.
describe.skipIf(!isRoot || !findOnPath('setpriv', process.env) || !findOnPath('unshare', process.env))(
  'install-commands as an ordinary user, after root installed into /usr/local/bin (private mount namespace)',
  () => {
    function afterRoot(checkout: string, rootNode: string): Run & { home: string } {
      const home = fresh('home');
      mkdirSync(home);
      chownSync(home, 65534, 65534);
      const script = [
        'set -e',
        'mount -t tmpfs -o mode=0755 isolab-test /usr/local/bin',
        `"${rootNode}" "${checkout}/scripts/commands.mjs" install >/dev/null`,
        `exec setpriv --reuid=65534 --regid=65534 --clear-groups env -i HOME="${home}" SHELL=/bin/sh PATH=/usr/local/bin:/usr/bin:/bin "${process.execPath}" "${checkout}/scripts/commands.mjs" install`,
      ].join('\n');
      return { ...cliResult(runSync('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script], { cwd: '/' })), home };
    }

    it('is quiet and adds nothing in ~/.local/bin when /usr/local/bin already has the right launchers', () => {
      const result = afterRoot(makeCheckout(), process.execPath);
      expect(result).toMatchObject({ code: 0, stdout: '', stderr: '' });
      expect(existsSync(join(result.home, '.local'))).toBe(false);
    });

    it('puts them in ~/.local/bin without a terminal, and says the ones in /usr/local/bin are out of date', () => {
      const checkout = makeCheckout();
      const result = afterRoot(checkout, nodeCopy());
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain(`${result.home}/.local/bin/isolab`);
      expect(result.stdout).toContain(
        'isolab: /usr/local/bin/isolab and /usr/local/bin/cgroup-tool, which sudo and root shells run, are out of date: sudo npm run install-commands\n',
      );
    });
  },
);

describe('npm start', () => {
  function start(checkout: string, env: NodeJS.ProcessEnv): Run {
    return cliResult(runSync(process.execPath, [join(checkout, 'scripts/start.mjs'), 'list'], { cwd: checkout, env: { PATH: '/usr/bin:/bin', ...env }, extendEnv: false }));
  }

  it('installs the launchers first and gives the workbook a PATH that has them', () => {
    const checkout = makeCheckout();
    const bin = fresh('bin');
    const result = start(checkout, { ISOLAB_BIN_DIR: bin });
    expect(result.code, result.stderr).toBe(0);
    const [report, workbook] = [result.stdout.slice(0, result.stdout.lastIndexOf('{')), result.stdout.slice(result.stdout.lastIndexOf('{'))];
    expect(report).toContain(`${bin}/isolab`);
    expect(JSON.parse(workbook)).toMatchObject({ name: 'isolab', args: ['list'], path: `${bin}:/usr/bin:/bin` });
    expect(existsSync(join(bin, 'isolab'))).toBe(true);
  });

  it('opens the workbook even when the launchers cannot be installed, and says why', () => {
    const checkout = makeCheckout();
    const blocked = join(fresh('file'));
    writeFileSync(blocked, '');
    const result = start(checkout, { ISOLAB_BIN_DIR: join(blocked, 'bin') });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^isolab: could not put isolab and cgroup-tool on the PATH: ENOTDIR/);
    expect(result.stderr).toContain('isolab: the workbook opens anyway; `npm run install-commands` tries again.');
    expect(JSON.parse(result.stdout)).toMatchObject({ name: 'isolab', args: ['list'], path: '/usr/bin:/bin' });
  });
});
