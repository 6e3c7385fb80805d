// Lesson 5.1: eight facts about eBPF on the learner's machine, each read from the kernel.
//
// Where a fact cannot be read, its answer is the word `unknown`, defined per question: the active LSM list (and
// so whether bpf is in it) when securityfs is not mounted and cannot be (a container; the lesson shows the mount),
// the kernel config when neither /proc/config.gz nor /boot/config-<release> exists, the sysctl when /proc/sys
// does not have it. `unknown` is then the only right answer, and a guess from another source (lsm= on the
// command line, CONFIG_LSM) is wrong: that is what the kernel was asked for, not what it runs. No question is
// left out, so the lesson asks the same eight everywhere and still fails before it is answered.
import { liveProbes, readEbpf, readKernel, type EbpfLayer } from '../../src/env/index.js';
import { answerEveryQuestion, commandOutput, defineChecker, quizCheck, readSystemText, sameNumber, sameWithSynonyms, sameYesNo, systemPath, yesNo, type CheckContext, type QuizQuestion } from '../../src/kit/index.js';
import { pathExists } from '../../src/system/index.js';
import { statusField } from '../../src/verify/index.js';

const unknown = 'unknown';
/** include/uapi/linux/capability.h (since 5.8): CAP_PERFMON 38, CAP_BPF 39. */
const capBpf = 39n;

/**
 * The env layer's eBPF facts as doctor reads them, the kernel config included; files only: no question asks whether
 * LSM programs load, so bpftool's probe (a second or more) is not run for each question.
 */
const ebpfFacts = (context: CheckContext): Promise<EbpfLayer> =>
  readEbpf(context.system, readKernel(context.system), { bpfLsm: 'config', probes: liveProbes(context.system.env) });

/** The active list only: securityfs is the one place that shows what runs. */
async function activeLsms(context: CheckContext): Promise<string[] | null> {
  const { bpfLsm } = await ebpfFacts(context);
  return bpfLsm.source === 'securityfs' ? bpfLsm.list : null;
}

async function configOption(context: CheckContext, name: string): Promise<string | null | typeof unknown> {
  const { config } = await ebpfFacts(context);
  return config ? (config.options[name] ?? null) : unknown;
}

const lsmNames = (text: string) => text.toLowerCase().split(/[\s,]+/).filter(Boolean).sort().join(',');

/** The list in any order or spacing (the file's order is the call order, which the question does not ask). */
const sameLsmList = (answer: string, truth: string) => lsmNames(answer) === lsmNames(truth);

// What the lesson's commands print, and the exit that means "not there".
const exitsZero = async (context: CheckContext, command: string, args: string[]) => (await context.exec(command, args, { timeoutMs: 5_000 })).exitCode === 0;

/** Step 3's reading: the file, or unknown where securityfs is not there (the lesson's mount may have failed). */
async function solvedLsms(context: CheckContext): Promise<string> {
  const result = await context.exec('cat', ['/sys/kernel/security/lsm'], { timeoutMs: 5_000 });
  return result.exitCode === 0 ? result.stdout.trim() : unknown;
}

/** Step 4's command: the running kernel's config, wherever it is kept; `zcat -f` reads it packed or not. */
const configLines = 'config=/proc/config.gz; [ -e "$config" ] || config=/boot/config-$(uname -r); zcat -f "$config" | grep -E "^(# )?CONFIG_(BPF_LSM|LSM|DEBUG_INFO_BTF)[= ]"';

async function solvedConfig(context: CheckContext): Promise<Map<string, string> | null> {
  const result = await context.exec('bash', ['-c', `set -o pipefail; ${configLines}`], { timeoutMs: 10_000 });
  // grep exits 1 when the config has none of the three: a config was read, and it sets none of them.
  if (result.exitCode !== 0 && !(result.exitCode === 1 && result.stderr.trim() === '')) return null;
  const values = new Map<string, string>();
  for (const [, name, value] of result.stdout.matchAll(/^(CONFIG_\w+)=(.*)$/gm)) values.set(name!, value!.replace(/^"(.*)"$/, '$1'));
  return values;
}

const configWords = sameWithSynonyms({ yes: 'y', n: 'not-set', no: 'not-set', 'not set': 'not-set', 'is not set': 'not-set', unset: 'not-set' });

const questions: QuizQuestion[] = [
  {
    key: 'btf',
    title: 'kernel BTF present',
    truth: async (context) => yesNo(pathExists(systemPath(context, '/sys/kernel/btf/vmlinux'))),
    solve: async (context) => yesNo(await exitsZero(context, 'ls', ['/sys/kernel/btf/vmlinux'])),
    matches: sameYesNo,
    howToFind: 'Run `ls -l /sys/kernel/btf/vmlinux`.',
  },
  {
    key: 'bpffs',
    title: 'bpffs mounted at /sys/fs/bpf',
    truth: async (context) => yesNo((await ebpfFacts(context)).bpffs.includes('/sys/fs/bpf')),
    // No /sys/fs/bpf at all (stat fails) is no bpf filesystem there either.
    solve: async (context) => yesNo((await context.exec('stat', ['-fc', '%T', '/sys/fs/bpf'], { timeoutMs: 5_000 })).stdout.trim() === 'bpf_fs'),
    matches: sameYesNo,
    howToFind: 'Run `stat -fc %T /sys/fs/bpf`: bpf_fs means yes.',
  },
  {
    key: 'active-lsms',
    title: 'the active LSM list',
    truth: async (context) => (await activeLsms(context))?.join(',') ?? unknown,
    solve: solvedLsms,
    matches: (answer, truth) => (truth === unknown ? sameYesNo(answer, truth) : sameLsmList(answer, truth)),
    howToFind: 'Run `cat /sys/kernel/security/lsm` (mount securityfs first if it is not there; `unknown` if it cannot be mounted).',
  },
  {
    key: 'bpf-active',
    title: 'bpf among the active LSMs',
    truth: async (context) => {
      const list = await activeLsms(context);
      return list ? yesNo(list.includes('bpf')) : unknown;
    },
    async solve(context) {
      const list = await solvedLsms(context);
      return list === unknown ? unknown : yesNo(list.split(',').includes('bpf'));
    },
    matches: sameYesNo,
    howToFind: 'Look for bpf in `cat /sys/kernel/security/lsm`.',
  },
  {
    key: 'config-bpf-lsm',
    title: 'CONFIG_BPF_LSM in the kernel config',
    truth: async (context) => (await configOption(context, 'CONFIG_BPF_LSM')) ?? 'not-set',
    async solve(context) {
      const config = await solvedConfig(context);
      return config ? (config.get('CONFIG_BPF_LSM') ?? 'not-set') : unknown;
    },
    matches: configWords,
    howToFind: 'Run the config command of step 4 and read the CONFIG_BPF_LSM line (`not-set` when it says it is not set).',
  },
  {
    key: 'config-lsm-bpf',
    title: 'bpf in the default LSM list (CONFIG_LSM)',
    truth: async (context) => {
      const list = await configOption(context, 'CONFIG_LSM');
      return list === unknown ? unknown : yesNo((list ?? '').split(',').includes('bpf'));
    },
    async solve(context) {
      const config = await solvedConfig(context);
      return config ? yesNo((config.get('CONFIG_LSM') ?? '').split(',').includes('bpf')) : unknown;
    },
    matches: sameYesNo,
    howToFind: 'Read the CONFIG_LSM line the config command of step 4 prints: does the list name bpf?',
  },
  {
    key: 'unprivileged-bpf',
    title: 'kernel.unprivileged_bpf_disabled',
    truth: async (context) => String((await ebpfFacts(context)).unprivilegedBpfDisabled ?? unknown),
    async solve(context) {
      const result = await context.exec('cat', ['/proc/sys/kernel/unprivileged_bpf_disabled'], { timeoutMs: 5_000 });
      return result.exitCode === 0 ? result.stdout.trim() : unknown;
    },
    matches: (answer, truth) => (truth === unknown ? sameYesNo(answer, truth) : sameNumber(answer, truth)),
    howToFind: 'Run `cat /proc/sys/kernel/unprivileged_bpf_disabled`.',
  },
  {
    key: 'cap-bpf',
    title: 'CAP_BPF in your shell',
    // isolab runs from the learner's shell and inherits its effective set: the shell's answer, read in process.
    truth: async (context) => yesNo(((capEff(statusField(context.system, 'self', 'CapEff')) >> capBpf) & 1n) === 1n),
    async solve(context) {
      const line = await commandOutput(context, 'grep', ['CapEff', '/proc/self/status']);
      return yesNo(((capEff(line.split(/\s+/)[1]) >> capBpf) & 1n) === 1n);
    },
    matches: sameYesNo,
    howToFind: 'Take the CapEff mask of `grep CapEff /proc/self/status` and test bit 39 (step 6 shows how).',
  },
];

function capEff(hex: string | undefined): bigint {
  if (!hex || !/^[0-9a-f]+$/i.test(hex)) throw new Error('no CapEff mask in /proc/self/status');
  return BigInt(`0x${hex}`);
}

export default defineChecker({
  checks: questions.map(quizCheck),
  solution: answerEveryQuestion(questions),
  shortcuts: [
    {
      // `capability` always runs and is in the active list, but no lsm= or CONFIG_LSM needs to name it.
      name: 'the LSM list the kernel was asked for (lsm=, else CONFIG_LSM) given as the active one',
      fails: ['active-lsms'],
      async apply(context) {
        const asked = /(?:^|\s)lsm=(\S+)/.exec(readSystemText(context, '/proc/cmdline').split(' -- ')[0]!)?.[1];
        const configured = await configOption(context, 'CONFIG_LSM');
        await context.answer('active-lsms', asked ?? (configured && configured !== unknown ? configured : 'landlock,lockdown,yama,bpf'));
      },
    },
  ],
});
