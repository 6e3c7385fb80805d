import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureMachine, testCheckContext, type TestCheckContext } from '../../test/helpers/check-context.js';
import { startLabProcess } from '../lab/index.js';
import { CheckFailed, type CheckOutcome } from '../verify/index.js';
import { killLabProcesses, labProcessesNamed } from './lab-processes.js';
import { lineHasToken, mapPrints, markOf, parseMapEntry, removeTracingLab, requireTracer, runMarked, startTracer, traceLength, traceLines, traceNames, traceSince, tracerCheck, waitForTrace, waitForTraceLine, withMarkedPrograms } from './tracer.js';

let context: TestCheckContext;
afterEach(() => context.dispose());

/** What a check that calls `body` reports: failCheck's outcome, or a pass with what it returned. */
function outcomeOf(body: () => unknown): CheckOutcome {
  try {
    return { pass: true, message: String(body()) };
  } catch (error) {
    if (error instanceof CheckFailed) return error.outcome;
    throw error;
  }
}

describe('the learner\'s tracer', () => {
  it('is found by name, as bpftrace, writing where the lesson says; anything else fails the check saying what is wrong', async () => {
    context = testCheckContext();
    const name = `isolab-kit-trace-${process.pid}`;
    const output = join(context.workspace, 'trace.log');
    const tracer = { name, start: `exec -a ${name} bpftrace …`, output };
    expect(outcomeOf(() => requireTracer(context, tracer)).message).toBe(`no process named ${name} is running`);

    // Another program under the name, then a bpftrace (a copy of sleep by that name) writing elsewhere, then right.
    const bin = join(context.workspace, 'bin');
    mkdirSync(bin);
    copyFileSync('/bin/sleep', join(bin, 'bpftrace'));
    const start = (program: string, to: string) => startLabProcess('bash', ['-c', `exec -a ${name} ${program} 60 > ${to}`]);
    try {
      await start('sleep', output);
      await expect.poll(async () => outcomeOf(() => requireTracer(context, tracer)).message).toMatch(/runs sleep, not bpftrace$/);
      await killLabProcesses(context, name);
      await start(join(bin, 'bpftrace'), join(context.workspace, 'elsewhere.log'));
      await expect.poll(async () => outcomeOf(() => requireTracer(context, tracer)).message).toMatch(/writes its output to .*elsewhere\.log, not .*trace\.log$/);
      await start(join(bin, 'bpftrace'), output);
      await expect.poll(async () => outcomeOf(() => requireTracer(context, tracer)).pass).toBe(true);
    } finally {
      await killLabProcesses(context, name);
    }
  });

  it('is the check a tracing lesson starts with, and its clean-up stops it and removes its directory', async () => {
    context = testCheckContext();
    const name = `isolab-kit-lab-${process.pid}`;
    const dir = join(context.workspace, 'lab');
    mkdirSync(dir);
    const tracer = { name, start: '', output: join(dir, 'trace.log') };
    const check = tracerCheck(tracer);
    expect(check.id).toBe('tracer');
    await expect(check.run(context)).rejects.toThrow(`no process named ${name} is running`);
    await startLabProcess('sleep', ['60'], { argv0: name });
    await removeTracingLab(context, { tracer, cgroups: [], dir });
    expect(labProcessesNamed(context, name)).toEqual([]);
    expect(existsSync(dir)).toBe(false);
  });

  it('is read from where a check began, and waited for', async () => {
    context = testCheckContext();
    const tracer = { name: 'isolab-x', start: '', output: join(context.workspace, 'trace.log') };
    expect(traceLength(context, tracer)).toBe(0);
    expect(traceSince(context, tracer)).toBe('');
    await context.exec('sh', ['-c', `echo old > ${tracer.output}`]);
    const from = traceLength(context, tracer);
    void context.exec('sh', ['-c', `sleep 0.2; echo new >> ${tracer.output}`]);
    expect(await waitForTrace(context, tracer, from, (text) => text.includes('new'))).toBe('new\n');
    expect(await waitForTrace(context, tracer, from, (text) => text.includes('never'), 200)).toBe('new\n');
  });

  it('is read as complete lines, and a line is waited for until it is whole', async () => {
    context = testCheckContext();
    const tracer = { name: 'isolab-x', start: '', output: join(context.workspace, 'trace.log') };
    expect(traceLines(context, tracer)).toEqual([]);
    await context.exec('sh', ['-c', `printf 'mkdir id=7\\nattach pid=12' > ${tracer.output}`]);
    expect(traceLines(context, tracer)).toEqual(['mkdir id=7']);
    expect(await waitForTraceLine(context, tracer, 0, (line) => line.startsWith('attach'), 200)).toBeUndefined();
    void context.exec('sh', ['-c', `sleep 0.2; printf '34\\n' >> ${tracer.output}`]);
    expect(await waitForTraceLine(context, tracer, 0, (line) => line.startsWith('attach'))).toBe('attach pid=1234');
    expect(traceLines(context, tracer, 'mkdir id=7\n'.length)).toEqual(['attach pid=1234']);
  });

  it('is started for a solution under its name, writing through the shell, and waited for until it is ready', async () => {
    context = testCheckContext();
    const name = `isolab-kit-start-${process.pid}`;
    const bin = join(context.workspace, 'bin');
    mkdirSync(bin);
    // A stand-in bpftrace on PATH: it writes its arguments to standard output and an error, then stays running under
    // the name (a script's interpreter loses the argv[0] exec -a gave it).
    writeFileSync(join(bin, 'bpftrace'), `#!/bin/bash\necho "$@"; echo warned >&2; exec -a ${name} sleep 60\n`, { mode: 0o755 });
    const tracer = { name, start: '', output: join(context.workspace, 'trace.log') };
    const errors = join(context.workspace, 'errors.log');
    const path = process.env.PATH;
    process.env.PATH = `${bin}:${path}`;
    try {
      const pid = await startTracer(context, tracer, ['-B', 'none', '-e', 'BEGIN { }'], { errors, ready: () => traceLines(context, tracer).length > 0, timeoutMs: 5_000 });
      expect(traceLines(context, tracer)).toEqual(['-B none -e BEGIN { }']);
      expect(readFileSync(errors, 'utf8')).toBe('warned\n');
      expect(labProcessesNamed(context, name).map((entry) => entry.pid)).toContain(pid);
      await killLabProcesses(context, name);
      await expect(startTracer(context, tracer, ['x'], { ready: () => false, timeoutMs: 300 })).rejects.toThrow(`${name} (bpftrace) saw nothing within 0.3 s: x\nwarned`);
    } finally {
      process.env.PATH = path;
      await killLabProcesses(context, name);
    }
  });
});

describe('a token of a trace line', () => {
  it('is found however the learner printed it: a pid, an id, a path, a comm', () => {
    expect(lineHasToken('oom victim pid=1234 comm=isolab-hog-ab12 cgroup=5678', 1234)).toBe(true);
    expect(lineHasToken('attach 1234 sh /isolab/ebpf-hog', '/isolab/ebpf-hog')).toBe(true);
    expect(lineHasToken('mkdir id=5678 path=/isolab/ebpf-hog', 5678n)).toBe(true);
    expect(lineHasToken('victim: isolab-hog-ab12 (1234), cgroup 5678', 'isolab-hog-ab12')).toBe(true);
  });

  it('is not part of a longer number, name or path', () => {
    expect(lineHasToken('oom victim pid=12345', 1234)).toBe(false);
    expect(lineHasToken('oom victim pid=91234', 1234)).toBe(false);
    expect(lineHasToken('mkdir path=/isolab/ebpf-hog-verify-0a1b2c', '/isolab/ebpf-hog')).toBe(false);
    expect(lineHasToken('mkdir path=/isolab/ebpf-hog/child', '/isolab/ebpf-hog')).toBe(false);
    expect(lineHasToken('comm=isolab-hog-ab123', 'isolab-hog-ab12')).toBe(false);
    expect(lineHasToken('exec /x/isolab.1', 'isolab.1')).toBe(false);
  });
});

describe('marked programs', () => {
  it('have names of 15 characters made up per run, run where asked, and are gone afterwards', async () => {
    context = testCheckContext();
    const dir = join(context.workspace, 'programs');
    const cgroup = join(context.workspace, 'cgroup');
    mkdirSync(cgroup);
    const programs = await withMarkedPrograms(dir, 2, async (programs) => {
      expect((await runMarked(context, programs[0]!)).exitCode).toBe(0);
      // A plain directory stands in for the cgroup: the program joins it (its pid written) and runs.
      expect((await runMarked(context, programs[1]!, cgroup)).exitCode).toBe(0);
      expect(statSync(join(cgroup, 'cgroup.procs')).size).toBeGreaterThan(0);
      return programs;
    });
    expect(programs.map(markOf).every((name) => /^isolab-[0-9a-f]{8}$/.test(name))).toBe(true);
    expect(programs[0]).not.toBe(programs[1]);
    expect(existsSync(dir)).toBe(false);
  });

  it('are found in a trace by their whole name only', () => {
    expect(traceNames('1234 isolab-3fa9c2e1 /run/x/isolab-3fa9c2e1\n', '/run/x/isolab-3fa9c2e1')).toBe(true);
    expect(traceNames('1234 isolab-3fa9c2e10\n', '/run/x/isolab-3fa9c2e1')).toBe(false);
    expect(traceNames('1234 isolab-3fa9c2e\n', '/run/x/isolab-3fa9c2e1')).toBe(false);
  });
});

describe('bpftrace maps as print() shows them', () => {
  it('reads an entry with one key, several keys or none', () => {
    expect(parseMapEntry('@fsync[11406]: 3')).toEqual({ map: 'fsync', keys: ['11406'], value: 3 });
    expect(parseMapEntry('@calls[11406, sync]: 17')).toEqual({ map: 'calls', keys: ['11406', 'sync'], value: 17 });
    expect(parseMapEntry('@fsync: 12')).toEqual({ map: 'fsync', keys: [], value: 12 });
    expect(parseMapEntry('@[1]: 4')).toEqual({ map: '', keys: ['1'], value: 4 });
    expect(parseMapEntry('14:56:12')).toBeUndefined();
  });

  it('splits the output into complete prints: between two headings, the first (maybe cut) and the last (maybe unfinished) left out', () => {
    const text = ['@fsync[1]: 9', '14:56:10', '', '14:56:11', '@fsync[11406]: 3', '@fsync[1]: 12', '14:56:12', '@fsync[11406]: 3', '@fsync[1]: 1'].join('\n');
    expect(mapPrints(text)).toEqual([[], [{ map: 'fsync', keys: ['11406'], value: 3 }, { map: 'fsync', keys: ['1'], value: 12 }]]);
    // A line not yet ended is not read.
    expect(mapPrints(`${text}3\n14:56:13\n`)).toHaveLength(3);
  });
});
