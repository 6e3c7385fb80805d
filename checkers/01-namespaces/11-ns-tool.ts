import { copyFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/system/index.js';
import { compileExercise, defineChecker, killProcessesNamed, LearnerCodeError, type CheckContext, type CheckOutcome, type CompiledProgram, type ExecResult } from '../../src/verify/index.js';
import { processesCalled, waitFor } from './lab-process.js';

const entry = 'exercises/ns-tool/main.ts';
const first = 'isolab-nstool-a';
const second = 'isolab-nstool-b';

/** What the kernel says: every link in /proc/<pid>/ns, read as the tool should. */
function truth(pid: number): Record<string, string> {
  const dir = `/proc/${pid}/ns`;
  return Object.fromEntries(readdirSync(dir).map((kind) => [kind, readlinkSync(join(dir, kind))]));
}

function expected(a: number, b: number) {
  const x = truth(a);
  const y = truth(b);
  const kinds = Object.keys(x).filter((kind) => kind in y).sort();
  return { shared: kinds.filter((kind) => x[kind] === y[kind]), differ: kinds.filter((kind) => x[kind] !== y[kind]) };
}

async function withTool(context: CheckContext, check: (tool: CompiledProgram) => Promise<CheckOutcome>): Promise<CheckOutcome> {
  let tool: CompiledProgram;
  try {
    tool = await compileExercise(context, entry);
  } catch (error) {
    if (!(error instanceof LearnerCodeError)) throw error;
    return { pass: false, message: `ns-tool does not compile: ${error.message}`, hint: 'Fix the error esbuild names (file and line), then verify again.' };
  }
  try {
    return await check(tool);
  } finally {
    tool.dispose();
  }
}

function explain(result: ExecResult): { message: string; hint: string } {
  const said = (result.stderr || result.stdout).trim().split('\n')[0] ?? '';
  if (/TODO\(/.test(said)) return { message: `not written yet (${said.replace(/^ns-tool: /, '')})`, hint: 'Write namespaceLinks and compareNamespaces in exercises/ns-tool/namespaces.ts.' };
  if (result.timedOut) return { message: 'ns-tool did not finish in time', hint: 'Something in it waits forever; run it by hand.' };
  return { message: `ns-tool exited ${result.exitCode}: ${said}`, hint: 'Run it by hand: isolab exercise ns-tool $$ "$PPID", and read the error.' };
}

/**
 * A marked sleep the check starts itself (`unshare` flags, or `nsenter` into another pid), not waited for: its
 * process group dies with the check, and the check kills it by name before it ends.
 */
function startMarked(context: CheckContext, name: string, prefix: string[]): void {
  void context.exec(prefix[0]!, [...prefix.slice(1), 'bash', '-c', `exec -a ${name} sleep 60`], { timeoutMs: 60_000 });
}

async function compare(context: CheckContext, tool: CompiledProgram, a: number, b: number, what: string): Promise<CheckOutcome> {
  const result = await tool.run([String(a), String(b)], 15_000);
  if (result.exitCode !== 0) return { pass: false, ...explain(result), observed: { pids: [a, b], exitCode: result.exitCode } };
  let printed: { shared?: unknown; differ?: unknown };
  try {
    printed = JSON.parse(result.stdout.trim()) as typeof printed;
  } catch {
    return { pass: false, message: `ns-tool did not print JSON: ${result.stdout.trim().slice(0, 120)}`, observed: { stdout: result.stdout.slice(0, 400) }, hint: 'main.ts prints the JSON; keep it as it is and return { shared, differ } from compareNamespaces.' };
  }
  const want = expected(a, b);
  const same = (x: unknown, y: string[]) => JSON.stringify(x) === JSON.stringify(y);
  if (same(printed.shared, want.shared) && same(printed.differ, want.differ)) {
    return { pass: true, message: `${what}: shared ${want.shared.join(' ')}; differ ${want.differ.join(' ') || '(none)'}`, observed: { pids: [a, b], ...want } };
  }
  const sortedShared = Array.isArray(printed.shared) ? [...(printed.shared as string[])].sort() : printed.shared;
  const listed = [printed.shared, printed.differ].flatMap((list) => (Array.isArray(list) ? (list as string[]) : []));
  const skipped = [...want.shared, ...want.differ].filter((kind) => !listed.includes(kind));
  return {
    pass: false,
    message: `${what}: ns-tool says shared ${JSON.stringify(printed.shared)}, differ ${JSON.stringify(printed.differ)}; /proc says shared ${JSON.stringify(want.shared)}, differ ${JSON.stringify(want.differ)}`,
    observed: { pids: [a, b], printed, expected: want },
    hint: same(sortedShared, want.shared)
      ? 'The right kinds, in another order: sort both lists.'
      : skipped.length > 0
        ? `It left out ${skipped.join(', ')}: list the kinds with readdirSync(/proc/<pid>/ns) instead of a fixed list.`
        : `Compare the whole link text (\`readlink /proc/${a}/ns/net /proc/${b}/ns/net\`), for every entry of /proc/<pid>/ns, including pid_for_children and time_for_children.`,
  };
}

export default defineChecker({
  checks: [
    {
      id: 'new-namespaces',
      title: 'ns-tool tells itself apart from a process in new UTS, IPC and network namespaces',
      tag: 'experiment',
      timeoutMs: 60_000,
      run: (context) =>
        withTool(context, async (tool) => {
          startMarked(context, first, ['unshare', '--uts', '--ipc', '--net']);
          try {
            const pid = (await waitFor(context, `a running ${first}`, () => processesCalled(context, first)[0], 10_000)).pid;
            return await compare(context, tool, process.pid, pid, `isolab (pid ${process.pid}) vs ${first} (pid ${pid})`);
          } finally {
            await killProcessesNamed(context.system, first);
          }
        }),
    },
    {
      id: 'some-shared',
      title: 'ns-tool sees which namespaces two processes share (UTS and IPC, not network)',
      tag: 'experiment',
      timeoutMs: 60_000,
      run: (context) =>
        withTool(context, async (tool) => {
          startMarked(context, first, ['unshare', '--uts', '--ipc', '--net']);
          try {
            const pidA = (await waitFor(context, `a running ${first}`, () => processesCalled(context, first)[0], 10_000)).pid;
            startMarked(context, second, ['nsenter', '-t', String(pidA), '-u', '-i']);
            const pidB = (await waitFor(context, `a running ${second}`, () => processesCalled(context, second)[0], 10_000)).pid;
            return await compare(context, tool, pidA, pidB, `${first} (pid ${pidA}) vs ${second} (pid ${pidB})`);
          } finally {
            await killProcessesNamed(context.system, second);
            await killProcessesNamed(context.system, first);
          }
        }),
    },
  ],

  async cleanup(context) {
    await killProcessesNamed(context.system, second);
    await killProcessesNamed(context.system, first);
  },

  async solution(context) {
    copyFileSync(join(packageRoot(), 'checkers/01-namespaces/solutions/ns-tool/namespaces.ts'), join(context.workspace, 'exercises/ns-tool/namespaces.ts'));
  },
});
