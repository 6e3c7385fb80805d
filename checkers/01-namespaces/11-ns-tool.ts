import { readdirSync } from 'node:fs';
import { defineChecker, killLabProcesses, labProcessesNamed, parseJsonObject, readSystemLink, systemPath, waitFor, withLearnerProgram, writeSolution, type CheckContext, type CheckOutcome, type LearnerProgram } from '../../src/kit/index.js';

const program = { entry: 'exercises/ns-tool/main.ts', name: 'ns-tool', byHand: 'isolab exercise ns-tool $$ "$PPID"' };
const first = 'isolab-nstool-a';
const second = 'isolab-nstool-b';

/** What the kernel says: every link in /proc/<pid>/ns, read as the tool should. */
function links(context: CheckContext, pid: number): Record<string, string> {
  const kinds = readdirSync(systemPath(context, `/proc/${pid}/ns`));
  return Object.fromEntries(kinds.map((kind) => [kind, readSystemLink(context, `/proc/${pid}/ns/${kind}`)]));
}

function expected(context: CheckContext, a: number, b: number) {
  const [x, y] = [links(context, a), links(context, b)];
  const kinds = Object.keys(x).filter((kind) => kind in y).sort();
  return { shared: kinds.filter((kind) => x[kind] === y[kind]), differ: kinds.filter((kind) => x[kind] !== y[kind]) };
}

type Marked = { name: string; pid: number };

/**
 * A marked sleep the check starts itself (`unshare` flags, or `nsenter` into another pid), not waited for: its
 * process group dies with the check, and the check kills it by name before it ends. Its pid, once it runs.
 */
async function startMarked(context: CheckContext, name: string, prefix: string[]): Promise<Marked> {
  void context.exec(prefix[0]!, [...prefix.slice(1), 'bash', '-c', `exec -a ${name} sleep 60`], { timeoutMs: 60_000 });
  return { name, pid: (await waitFor(context, `a running ${name}`, () => labProcessesNamed(context, name)[0], 10_000)).pid };
}

async function killMarked(context: CheckContext): Promise<void> {
  for (const name of [second, first]) await killLabProcesses(context, name);
}

/** Runs ns-tool on the two processes and holds what it prints to what /proc says. */
async function compare(context: CheckContext, tool: LearnerProgram, [x, y]: [Marked, Marked]): Promise<CheckOutcome> {
  const [a, b] = [x.pid, y.pid];
  const what = `${x.name} (pid ${a}) vs ${y.name} (pid ${b})`;
  const result = await tool.mustRun([String(a), String(b)], 'namespaceLinks and compareNamespaces in exercises/ns-tool/namespaces.ts', 15_000);
  const printed = parseJsonObject(result.stdout.trim());
  if (!printed) return { pass: false, message: `ns-tool did not print JSON: ${result.stdout.trim().slice(0, 120)}`, observed: { stdout: result.stdout.slice(0, 400) }, hint: 'main.ts prints the JSON; keep it as it is and return { shared, differ } from compareNamespaces.' };
  const want = expected(context, a, b);
  const same = (list: unknown, kinds: string[]) => JSON.stringify(list) === JSON.stringify(kinds);
  if (same(printed.shared, want.shared) && same(printed.differ, want.differ)) return { pass: true, message: `${what}: shared ${want.shared.join(' ')}; differ ${want.differ.join(' ') || '(none)'}`, observed: { pids: [a, b], ...want } };
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
function comparing(place: (context: CheckContext) => Promise<[Marked, Marked]>) {
  return (context: CheckContext) =>
    withLearnerProgram(context, program, async (tool) => {
      try {
        return await compare(context, tool, await place(context));
      } finally {
        await killMarked(context);
      }
    });
}

const inNewNamespaces = ['unshare', '--uts', '--ipc', '--net'];

export default defineChecker({
  checks: [
    {
      id: 'new-namespaces',
      title: 'ns-tool tells itself apart from a process in new UTS, IPC and network namespaces',
      tag: 'experiment',
      timeoutMs: 60_000,
      run: comparing(async (context) => [{ name: 'isolab', pid: process.pid }, await startMarked(context, first, inNewNamespaces)]),
    },
    {
      id: 'some-shared',
      title: 'ns-tool sees which namespaces two processes share (UTS and IPC, not network)',
      tag: 'experiment',
      timeoutMs: 60_000,
      run: comparing(async (context) => {
        const a = await startMarked(context, first, inNewNamespaces);
        return [a, await startMarked(context, second, ['nsenter', '-t', String(a.pid), '-u', '-i'])];
      }),
    },
  ],

  cleanup: killMarked,

  async solution(context) {
    writeSolution(context, { from: 'checkers/01-namespaces/solutions/ns-tool', to: 'exercises/ns-tool', files: ['namespaces.ts'] });
  },
});
