import { readdirSync } from 'node:fs';
import { defineChecker, killLabProcesses, labProcessesNamed, parseJsonObject, readSystemLink, systemPath, waitFor, withLearnerProgram, writeSolution, type CheckContext, type CheckOutcome, type LearnerProgram } from '../../src/kit/index.js';

const program = { entry: 'exercises/ns-tool/main.ts', name: 'ns-tool', byHand: 'isolab exercise ns-tool $$ "$PPID"' };
const first = 'isolab-nstool-a';
const second = 'isolab-nstool-b';

/** What the kernel says: every link in /proc/<pid>/ns, read as the tool should. */
function truth(context: CheckContext, pid: number): Record<string, string> {
  const kinds = readdirSync(systemPath(context, `/proc/${pid}/ns`));
  return Object.fromEntries(kinds.map((kind) => [kind, readSystemLink(context, `/proc/${pid}/ns/${kind}`)]));
}

function expected(context: CheckContext, a: number, b: number) {
  const x = truth(context, a);
  const y = truth(context, b);
  const kinds = Object.keys(x).filter((kind) => kind in y).sort();
  return { shared: kinds.filter((kind) => x[kind] === y[kind]), differ: kinds.filter((kind) => x[kind] !== y[kind]) };
}

/**
 * A marked sleep the check starts itself (`unshare` flags, or `nsenter` into another pid), not waited for: its
 * process group dies with the check, and the check kills it by name before it ends. Its pid, once it runs.
 */
async function startMarked(context: CheckContext, name: string, prefix: string[]): Promise<number> {
  void context.exec(prefix[0]!, [...prefix.slice(1), 'bash', '-c', `exec -a ${name} sleep 60`], { timeoutMs: 60_000 });
  return (await waitFor(context, `a running ${name}`, () => labProcessesNamed(context, name)[0], 10_000)).pid;
}

async function killMarked(context: CheckContext): Promise<void> {
  await killLabProcesses(context, second);
  await killLabProcesses(context, first);
}

/** Runs ns-tool on the two pids and holds what it prints to what /proc says. */
async function compare(context: CheckContext, tool: LearnerProgram, a: number, b: number, what: string): Promise<CheckOutcome> {
  const result = await tool.mustRun([String(a), String(b)], 'namespaceLinks and compareNamespaces in exercises/ns-tool/namespaces.ts', 15_000);
  const printed = parseJsonObject(result.stdout.trim());
  if (!printed) {
    return { pass: false, message: `ns-tool did not print JSON: ${result.stdout.trim().slice(0, 120)}`, observed: { stdout: result.stdout.slice(0, 400) }, hint: 'main.ts prints the JSON; keep it as it is and return { shared, differ } from compareNamespaces.' };
  }
  const want = expected(context, a, b);
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

/** A check: ns-tool on the two processes `place` starts (and the check kills), held to /proc. */
function comparing(place: (context: CheckContext) => Promise<{ a: number; b: number; what: string }>) {
  return (context: CheckContext) =>
    withLearnerProgram(context, program, async (tool) => {
      try {
        const { a, b, what } = await place(context);
        return await compare(context, tool, a, b, what);
      } finally {
        await killMarked(context);
      }
    });
}

export default defineChecker({
  checks: [
    {
      id: 'new-namespaces',
      title: 'ns-tool tells itself apart from a process in new UTS, IPC and network namespaces',
      tag: 'experiment',
      timeoutMs: 60_000,
      run: comparing(async (context) => {
        const pid = await startMarked(context, first, ['unshare', '--uts', '--ipc', '--net']);
        return { a: process.pid, b: pid, what: `isolab (pid ${process.pid}) vs ${first} (pid ${pid})` };
      }),
    },
    {
      id: 'some-shared',
      title: 'ns-tool sees which namespaces two processes share (UTS and IPC, not network)',
      tag: 'experiment',
      timeoutMs: 60_000,
      run: comparing(async (context) => {
        const a = await startMarked(context, first, ['unshare', '--uts', '--ipc', '--net']);
        const b = await startMarked(context, second, ['nsenter', '-t', String(a), '-u', '-i']);
        return { a, b, what: `${first} (pid ${a}) vs ${second} (pid ${b})` };
      }),
    },
  ],

  cleanup: killMarked,

  async solution(context) {
    writeSolution(context, { from: 'checkers/01-namespaces/solutions/ns-tool', to: 'exercises/ns-tool', files: ['namespaces.ts'] });
  },
});
