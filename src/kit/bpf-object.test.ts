import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { liveSystem } from '../system/index.js';
import { CheckFailed, type CheckOutcome } from '../verify/index.js';
import { fixtureMachine, testCheckContext, type TestCheckContext } from '../../test/helpers/check-context.js';
import {
  bpfLoader,
  bpfLoaderSource,
  bpfPins,
  firstCompileError,
  loaderArguments,
  mustCompileBpf,
  parseLoaderOutput,
  removeBpfPinDir,
  withBpfBuildDir,
} from './bpf-object.js';

const disposers: (() => void)[] = [];
afterEach(() => {
  while (disposers.length > 0) disposers.pop()?.();
});

/** The failure a check would record, or null when `run` passed through. */
async function failureOf(run: () => Promise<unknown>): Promise<CheckOutcome | null> {
  try {
    await run();
    return null;
  } catch (error) {
    if (error instanceof CheckFailed) return error.outcome;
    throw error;
  }
}

/** A check context on this machine whose BPF cache is a scratch directory. */
function liveContext(): TestCheckContext {
  const cache = mkdtempSync(join(tmpdir(), 'isolab-bpf-cache-'));
  const context = testCheckContext({ system: liveSystem({ ...process.env, ISOLAB_BPF_CACHE: cache }) });
  disposers.push(() => {
    context.dispose();
    rmSync(cache, { recursive: true, force: true });
  });
  return context;
}

const have = (path: string) => existsSync(path);
const canBuildLoader = have('/usr/include/bpf/libbpf.h') && (have('/usr/bin/cc') || have('/bin/cc'));
const canCompileBpf = have('/sys/kernel/btf/vmlinux') && have('/usr/bin/clang') && (have('/usr/sbin/bpftool') || have('/usr/bin/bpftool')) && process.getuid?.() === 0;

describe('the loader output and arguments', () => {
  it('reads what the loader pinned', () => {
    const loaded = parseLoaderOutput('link id=12 prog=isolab_deny prog_id=34 pinned=/sys/fs/bpf/isolab-5.5/isolab_deny\nmap id=5 name=rules pinned=/sys/fs/bpf/isolab-5.5/rules\n');
    expect(loaded).toEqual({
      links: [{ id: 12, prog: 'isolab_deny', progId: 34, pinned: '/sys/fs/bpf/isolab-5.5/isolab_deny' }],
      maps: [{ id: 5, name: 'rules', pinned: '/sys/fs/bpf/isolab-5.5/rules' }],
    });
  });

  it('passes globals as NAME=VALUE and map entries as hex bytes', () => {
    expect(loaderArguments('/x.o', '/sys/fs/bpf/isolab-5.6', { target_cgroup: 42n, target_dev: 7 }, [{ map: 'rules', key: new Uint8Array([1, 0, 0, 0]), value: new Uint8Array([0xff]) }])).toEqual([
      '/x.o',
      '/sys/fs/bpf/isolab-5.6',
      'target_cgroup=42',
      'target_dev=7',
      'rules:01000000=ff',
    ]);
  });

  it('refuses a pin directory outside /sys/fs/bpf/isolab…', () => {
    expect(() => loaderArguments('/x.o', '/sys/fs/bpf/other')).toThrow('not an isolab pin directory');
    expect(() => loaderArguments('/x.o', '/sys/fs/bpf/isolab-5.5/../other')).toThrow('not an isolab pin directory');
  });

  it('names clang\'s first error at its file and line, relative to the workspace', () => {
    const stderr = '/home/l/isolab/exercises/bpf-lsm-deny/deny.bpf.c:20:9: error: use of undeclared identifier \'inode\'\n\tif (inode->i_ino)\n1 error generated.\n';
    expect(firstCompileError(stderr, '/home/l/isolab')).toBe("exercises/bpf-lsm-deny/deny.bpf.c:20: use of undeclared identifier 'inode'");
    expect(firstCompileError('clang: fatal error: no input files\n', '/w')).toBe('clang: fatal error: no input files');
  });
});

describe('pin directories', () => {
  it('lists and removes the pins under an isolab directory, and finds none where there is none', () => {
    const machine = fixtureMachine({ 'sys/fs/bpf/isolab-5.5/isolab_deny': '', 'sys/fs/bpf/isolab-5.5/sub/rules': '', 'sys/fs/bpf/other/keep': '' });
    disposers.push(machine.dispose);
    expect(bpfPins(machine, '/sys/fs/bpf/isolab-5.5')).toEqual(['/sys/fs/bpf/isolab-5.5/isolab_deny', '/sys/fs/bpf/isolab-5.5/sub/rules']);
    removeBpfPinDir(machine, '/sys/fs/bpf/isolab-5.5');
    expect(existsSync(join(machine.dir, 'sys/fs/bpf/isolab-5.5'))).toBe(false);
    expect(existsSync(join(machine.dir, 'sys/fs/bpf/other/keep'))).toBe(true);
    expect(bpfPins(machine, '/sys/fs/bpf/isolab-5.5')).toEqual([]);
    expect(() => removeBpfPinDir(machine, '/sys/fs/bpf/other')).toThrow('not an isolab pin directory');
  });
});

describe.skipIf(!canBuildLoader)('the loader, built with cc -lbpf', () => {
  it('builds once, and refuses a pin directory outside isolab\'s with exit 2 and the rule', async () => {
    const context = liveContext();
    const loader = await bpfLoader(context);
    expect(await bpfLoader(context)).toBe(loader);
    expect(bpfLoaderSource()).toMatch(/isolab-bpf-load\.c$/);
    const refused = await context.exec(loader, ['/nonexistent.o', '/sys/fs/bpf/elsewhere']);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('must lie under /sys/fs/bpf/isolab');
    const missing = await context.exec(loader, ['/nonexistent.o', '/sys/fs/bpf/isolab-test']);
    expect(missing.exitCode).toBe(3);
    expect(missing.stderr).toContain('cannot open the object: No such file or directory (ENOENT)');
  });
});

describe.skipIf(!canCompileBpf)('compiling a .bpf.c against this kernel', () => {
  it('compiles a program, and fails a broken one at its file and line', async () => {
    const context = liveContext();
    mkdirSync(join(context.workspace, 'exercises/x'), { recursive: true });
    const good = '#include "vmlinux.h"\n#include <bpf/bpf_helpers.h>\nSEC("tracepoint/syscalls/sys_enter_openat")\nint isolab_t(void *ctx) { return 0; }\nchar LICENSE[] SEC("license") = "GPL";\n';
    writeFileSync(join(context.workspace, 'exercises/x/good.bpf.c'), good);
    writeFileSync(join(context.workspace, 'exercises/x/bad.bpf.c'), good.replace('return 0;', 'return missing;'));
    await withBpfBuildDir(async (dir) => {
      expect(await failureOf(() => mustCompileBpf(context, 'exercises/x/good.bpf.c', join(dir, 'good.o')))).toBeNull();
      expect(existsSync(join(dir, 'good.o'))).toBe(true);
      const failure = await failureOf(() => mustCompileBpf(context, 'exercises/x/bad.bpf.c', join(dir, 'bad.o')));
      expect(failure?.message).toMatch(/^exercises\/x\/bad\.bpf\.c does not compile: exercises\/x\/bad\.bpf\.c:4: use of undeclared identifier 'missing'/);
    });
  }, 60_000);
});
