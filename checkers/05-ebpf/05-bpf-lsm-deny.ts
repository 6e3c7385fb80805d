/**
 * 5.5 Enforcing with the BPF LSM. The learner completes exercises/bpf-lsm-deny/deny.bpf.c (an LSM program on
 * file_open that denies one file to the processes of the lesson's cgroup), compiles it against the kernel's
 * BTF, and loads, attaches and pins it under /sys/fs/bpf/isolab-bpf-lsm-deny with isolab's loader. The checks compile the
 * source, find the pinned LSM link, and open files from inside and outside the cgroup: only the target file,
 * only inside, is refused, and with EPERM.
 */
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  bpfLinks,
  bpfLinkTarget,
  bpfObjectSections,
  bpfPinPrefix,
  bpfPinsIn,
  cgroup2Dir,
  cgroup2Path,
  defineChecker,
  failCheck,
  freshLessonCgroup,
  labCgroup,
  mustCompileBpf,
  mustLoadBpf,
  removeBpfPins,
  removeLessonCgroup,
  runInCgroup,
  systemPath,
  withBpfBuildDir,
  writeSolution,
  type BpfLinkInfo,
  type CheckContext,
  type CheckOutcome,
  type SolutionContext,
} from '../../src/kit/index.js';

const source = 'exercises/bpf-lsm-deny/deny.bpf.c';
const solution = { from: 'checkers/05-ebpf/solutions/bpf-lsm-deny', to: 'exercises/bpf-lsm-deny', files: ['deny.bpf.c'] };
const hook = 'file_open';
// No dot: the BPF filesystem refuses dotted names (kernel/bpf/inode.c, bpf_lookup()), so not isolab-5.5.
const pinDir = `${bpfPinPrefix}-bpf-lsm-deny`;
/** Where the learner builds (lesson steps 2 and 3); cleanup removes it. */
const buildDir = '/tmp/isolab-5.5';
const labDir = '/run/isolab/ebpf-lsm';
const target = `${labDir}/secret.txt`;
const other = `${labDir}/notes.txt`;

/** Opens a file and prints `opened` or the errno's code: Node's words do not depend on the locale, cat's do. */
const opener = "const fs = require('fs'); try { fs.closeSync(fs.openSync(process.argv[1], 'r')); console.log('opened'); } catch (error) { console.log(error.code ?? String(error)); }";

/** The open of `path` by a process inside the lab cgroup (`inside`) or outside it: `opened`, `EPERM`, …. */
async function openFrom(context: CheckContext, path: string, inside: boolean): Promise<string> {
  const result = inside
    ? await runInCgroup(context, cgroup2Path(context, labCgroup(context)).dir, process.execPath, ['-e', opener, path])
    : await context.exec(process.execPath, ['-e', opener, path], { timeoutMs: 20_000 });
  const said = result.stdout.trim().split('\n').pop() ?? '';
  if (result.exitCode === 0 && said !== '') return said;
  // Nothing of the program ran: the shell could not even start node in the cgroup.
  return `no run (${(result.stderr.trim().split('\n').pop() ?? '') || `exit ${result.exitCode}`})`;
}

/** The LSM links pinned under the lesson's pin directory; the check ends when there is none. */
async function pinnedLsmLinks(context: CheckContext): Promise<BpfLinkInfo[]> {
  const pins = bpfPinsIn(context, pinDir);
  const links = (await bpfLinks(context)).filter((link) => (link.pinned ?? []).some((path) => path.startsWith(`${pinDir}/`)));
  if (links.length > 0) return links;
  failCheck({
    message: pins.length === 0 ? `nothing is pinned under ${pinDir}` : `no link is pinned under ${pinDir}, only ${pins.join(', ')}`,
    hint: `Load, attach and pin the program with isolab's loader (step 3): isolab-bpf-load <object> ${pinDir} target_cgroup=… target_ino=… target_dev=…`,
    observed: { pins },
  });
}

/** An experiment needs the program in place: without it, an open that succeeds proves nothing. */
async function withProgramAttached(context: CheckContext, experiment: () => Promise<CheckOutcome>): Promise<CheckOutcome> {
  await pinnedLsmLinks(context);
  return experiment();
}

/** A check: with the program attached, `path` opens from inside the cgroup (`inside`) or outside it. */
function mustOpen(path: string, inside: boolean, hint: string): (context: CheckContext) => Promise<CheckOutcome> {
  const where = inside ? 'inside the cgroup' : 'outside the cgroup';
  return (context) =>
    withProgramAttached(context, async () => {
      const said = await openFrom(context, path, inside);
      return said === 'opened'
        ? { pass: true, message: `${where}, ${path} opens`, observed: { [where]: said } }
        : { pass: false, message: `${where}, opening ${path} gave ${said}`, hint, observed: { [where]: said } };
    });
}

/** The kernel's dev_t (MKDEV: major << 20 | minor) of the filesystem holding `path`, from stat's user encoding. */
function kernelDevice(dev: bigint): bigint {
  const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
  const minor = (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
  return (major << 20n) | minor;
}

/** What the learner passes the loader (step 3): the cgroup's id is its directory's inode number on cgroup v2. */
function targetGlobals(context: CheckContext): Record<string, bigint> {
  const file = statSync(systemPath(context, target), { bigint: true });
  const lab = cgroup2Dir(context, labCgroup(context));
  if (!lab) failCheck({ message: `${cgroup2Path(context, labCgroup(context)).shown} is missing`, hint: `isolab start ${context.lesson.short} makes it.` });
  return {
    target_cgroup: lab.id,
    target_ino: file.ino,
    target_dev: kernelDevice(file.dev),
  };
}

/** The learner's steps 2 and 3 with the source in exercises/ now: compile, then load, attach and pin. */
async function compileAndLoad(context: CheckContext): Promise<void> {
  mkdirSync(buildDir, { recursive: true, mode: 0o700 });
  const object = join(buildDir, 'deny.bpf.o');
  await mustCompileBpf(context, source, object);
  await mustLoadBpf(context, object, pinDir, targetGlobals(context));
}

/** The reference solution with one edit, as a learner who cut a corner would write it. */
function solutionEdited(context: SolutionContext, from: string | RegExp, to: string): void {
  writeSolution(context, solution);
  const path = join(context.workspace, source);
  const text = readFileSync(path, 'utf8');
  const edited = text.replace(from, to);
  if (edited === text) throw new Error(`the reference ${source} has no ${String(from)} to change`);
  writeFileSync(path, edited);
}

/** A step of the self-test: a check's failure there is a broken solution or shortcut, so it throws plainly. */
async function asLearner(context: SolutionContext, step: () => Promise<void>): Promise<void> {
  try {
    await step();
  } catch (error) {
    const outcome = (error as { outcome?: CheckOutcome }).outcome;
    throw outcome ? new Error(`${outcome.message}${outcome.hint ? ` (${outcome.hint})` : ''}`) : error;
  }
}

export default defineChecker({
  checks: [
    {
      id: 'compiles',
      title: `${source} compiles for the BPF target, its program in section lsm/${hook}`,
      tag: 'observe',
      timeoutMs: 120_000,
      run: (context) =>
        withBpfBuildDir(async (dir) => {
          const object = join(dir, 'deny.bpf.o');
          await mustCompileBpf(context, source, object);
          const programs = bpfObjectSections(object).filter((name) => name.startsWith('lsm/') || name.startsWith('lsm.s/'));
          return programs.includes(`lsm/${hook}`)
            ? { pass: true, message: `it compiles; its program is in section lsm/${hook}`, observed: { programs } }
            : {
                pass: false,
                message: programs.length === 0 ? 'it compiles, but holds no LSM program (no lsm/… section)' : `it compiles, but its LSM program is in ${programs.join(', ')}`,
                hint: `The hook that runs when a file is opened is ${hook}: SEC("lsm/${hook}") (step 1).`,
                observed: { programs },
              };
        }),
    },
    {
      id: 'attached',
      title: `an LSM program is attached to ${hook} by a link pinned under ${pinDir}`,
      tag: 'observe',
      timeoutMs: 60_000,
      async run(context) {
        const links = await pinnedLsmLinks(context);
        const observed = { links: links.map((link) => ({ id: link.id, type: link.type, attach_type: link.attach_type, prog_id: link.prog_id, pinned: link.pinned })) };
        const lsm = links.filter((link) => link.attach_type === 'lsm_mac');
        if (lsm.length === 0) return { pass: false, message: `the link under ${pinDir} is not an LSM link (attach type ${links.map((link) => link.attach_type ?? link.type).join(', ')})`, hint: `SEC("lsm/${hook}") makes an LSM program; step 1.`, observed };
        // Each LSM hook's BPF programs hang on the kernel function bpf_lsm_<hook> (kernel/bpf/bpf_lsm.c).
        const targets = await Promise.all(lsm.map((link) => bpfLinkTarget(context, (link.pinned ?? []).find((path) => path.startsWith(`${pinDir}/`))!)));
        const onHook = targets.find((link) => link.target === `bpf_lsm_${hook}`);
        if (!onHook) return { pass: false, message: `the LSM link under ${pinDir} is attached to ${targets.map((link) => link.target.replace(/^bpf_lsm_/, '')).join(', ')}, not ${hook}`, hint: `The hook that runs when a file is opened is ${hook}: SEC("lsm/${hook}") (step 1), then load again.`, observed: { ...observed, targets } };
        return { pass: true, message: `link ${onHook.id} (program ${onHook.prog}, id ${onHook.progId}) is attached to the LSM hook ${hook} and pinned under ${pinDir}`, observed: { ...observed, targets } };
      },
    },
    {
      id: 'denied-inside',
      title: `a process in the lesson's cgroup cannot open ${target}: EPERM`,
      tag: 'experiment',
      timeoutMs: 60_000,
      run: (context) =>
        withProgramAttached(context, async () => {
          const said = await openFrom(context, target, true);
          if (said === 'EPERM') return { pass: true, message: `inside ${labCgroup(context)}, opening ${target} fails with EPERM`, observed: { inside: said } };
          return {
            pass: false,
            message: `inside ${labCgroup(context)}, opening ${target} gave ${said}, not EPERM`,
            hint: said === 'opened' ? 'The program lets the open through: check the cgroup id and the file\'s inode and device you passed the loader (step 3), and the comparisons (step 1).' : 'Return -EPERM (minus: an LSM hook refuses with a negative errno).',
            observed: { inside: said },
          };
        }),
    },
    {
      id: 'allowed-outside',
      title: `with the program attached, a process outside the cgroup opens ${target}`,
      tag: 'experiment',
      timeoutMs: 60_000,
      run: mustOpen(target, false, 'Deny only when bpf_get_current_cgroup_id() is target_cgroup: the rule is for one cgroup, not the whole machine.'),
    },
    {
      id: 'other-file-inside',
      title: `with the program attached, a process in the cgroup opens another file (${other})`,
      tag: 'experiment',
      timeoutMs: 60_000,
      run: mustOpen(other, true, 'Deny only the target: compare the inode number and the device with target_ino and target_dev before returning -EPERM.'),
    },
  ],

  async setup(context) {
    removeBpfPins(context, basename(pinDir));
    await freshLessonCgroup(context);
    const dir = systemPath(context, labDir);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(systemPath(context, target), 'the file one cgroup may not open\n');
    writeFileSync(systemPath(context, other), 'any process may open this one\n');
  },

  async cleanup(context) {
    // The program first: while it is attached, the cgroup's processes cannot open the file.
    removeBpfPins(context, basename(pinDir));
    rmSync(buildDir, { recursive: true, force: true });
    rmSync(systemPath(context, labDir), { recursive: true, force: true });
    await removeLessonCgroup(context);
  },

  async solution(context) {
    writeSolution(context, solution);
    await asLearner(context, () => compileAndLoad(context));
  },

  shortcuts: [
    {
      name: 'the skeleton compiled and loaded as it is (SEC("lsm/TODO"))',
      fails: ['compiles', 'attached', 'denied-inside', 'allowed-outside', 'other-file-inside'],
      async apply(context) {
        mkdirSync(buildDir, { recursive: true });
        await compileAndLoad(context).catch(() => undefined);
      },
    },
    {
      name: 'denied to every process: no cgroup check',
      fails: ['allowed-outside'],
      async apply(context) {
        solutionEdited(context, /\tif \(bpf_get_current_cgroup_id\(\) != target_cgroup\)\n\t\treturn 0;\n/, '');
        await asLearner(context, () => compileAndLoad(context));
      },
    },
    {
      name: 'every file denied in the cgroup: no file check',
      fails: ['other-file-inside'],
      async apply(context) {
        solutionEdited(context, /\tif \(inode->i_ino != target_ino \|\| inode->i_sb->s_dev != target_dev\)\n\t\treturn 0;\n/, '');
        await asLearner(context, () => compileAndLoad(context));
      },
    },
    {
      name: 'refused with EACCES instead of EPERM',
      fails: ['denied-inside'],
      async apply(context) {
        solutionEdited(context, 'return -EPERM;', 'return -13; /* EACCES */');
        await asLearner(context, () => compileAndLoad(context));
      },
    },
    {
      name: 'compiled but never loaded',
      fails: ['attached', 'denied-inside', 'allowed-outside', 'other-file-inside'],
      async apply(context) {
        writeSolution(context, solution);
        mkdirSync(buildDir, { recursive: true });
        await asLearner(context, () => mustCompileBpf(context, source, join(buildDir, 'deny.bpf.o')));
      },
    },
    {
      name: 'attached to another hook (file_permission: reads and writes, not opens)',
      fails: ['compiles', 'attached', 'denied-inside'],
      async apply(context) {
        solutionEdited(context, 'SEC("lsm/file_open")\nint BPF_PROG(isolab_deny, struct file *file, int ret)', 'SEC("lsm/file_permission")\nint BPF_PROG(isolab_deny, struct file *file, int mask, int ret)');
        await asLearner(context, () => compileAndLoad(context));
      },
    },
  ],
});
