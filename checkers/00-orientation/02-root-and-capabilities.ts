import { findOnPath } from '../../src/env/index.js';
import { answerEveryQuestion, commandOutput, defineChecker, quizCheck, sameHex, sameNumber, sameYesNo, yesNo, type CheckContext, type QuizQuestion } from '../../src/kit/index.js';
import { statusField } from '../../src/verify/index.js';

const capSysAdmin = 21n;

/**
 * A root shell's CapEff. When isolab itself runs as root (from the root shell) that is its own CapEff; otherwise
 * a root shell started with `sudo -s` gets the whole bounding set, which is this process's CapBnd.
 */
function rootCapEff(context: CheckContext): bigint {
  const field = process.geteuid?.() === 0 ? 'CapEff' : 'CapBnd';
  const mask = statusField(context.system, 'self', field);
  if (!mask || !/^[0-9a-f]+$/.test(mask)) throw new Error(`no ${field} mask in /proc/self/status`);
  return BigInt(`0x${mask}`);
}

const bitCount = (mask: bigint) => mask.toString(2).split('').filter((bit) => bit === '1').length;

/** The lesson's way: `capsh --decode`; without capsh, the bits of the mask, as the lesson says. */
async function decodedNames(context: CheckContext, mask: string): Promise<string[]> {
  if (findOnPath('capsh', context.system.env)) {
    const decoded = await commandOutput(context, 'capsh', [`--decode=${mask}`]);
    return decoded.replace(/^0x[0-9a-f]+=/, '').split(',').filter(Boolean);
  }
  const value = BigInt(`0x${mask}`);
  return [...Array(64).keys()].filter((bit) => (value >> BigInt(bit)) & 1n).map((bit) => `bit ${bit}`);
}

async function solvedCapEff(context: CheckContext): Promise<string> {
  const line = await commandOutput(context, 'grep', ['CapEff', '/proc/self/status']);
  return line.split(/\s+/)[1]!;
}

const questions: QuizQuestion[] = [
  {
    key: 'uid',
    title: 'who opened the root shell',
    // A root shell from sudo (`sudo -s`) carries the learner's uid in SUDO_UID; without sudo, whoever runs isolab.
    truth: async (context) => context.system.env.SUDO_UID ?? String(process.getuid?.() ?? ''),
    solve: async (context) => context.system.env.SUDO_UID ?? (await commandOutput(context, 'id', ['-u'])),
    howToFind: 'Run `echo "${SUDO_UID:-$(id -u)}"` in the root shell you run isolab from.',
  },
  {
    key: 'capeff',
    title: "root's CapEff",
    truth: async (context) => rootCapEff(context).toString(16),
    solve: solvedCapEff,
    matches: sameHex,
    howToFind: 'Run `grep CapEff /proc/self/status` in your root shell and take the hex number.',
  },
  {
    key: 'cap-count',
    title: 'capabilities in that mask',
    truth: async (context) => String(bitCount(rootCapEff(context))),
    solve: async (context) => String((await decodedNames(context, await solvedCapEff(context))).length),
    matches: sameNumber,
    howToFind: 'Run `capsh --decode=<CapEff>` and count the names it prints.',
  },
  {
    key: 'sys-admin',
    title: 'CAP_SYS_ADMIN held',
    truth: async (context) => yesNo(((rootCapEff(context) >> capSysAdmin) & 1n) === 1n),
    solve: async (context) => yesNo((await decodedNames(context, await solvedCapEff(context))).some((name) => name === 'cap_sys_admin' || name === 'bit 21')),
    matches: sameYesNo,
    howToFind: 'Look for cap_sys_admin in what `capsh --decode=<CapEff>` prints (it is bit 21).',
  },
];

export default defineChecker({ checks: questions.map(quizCheck), solution: answerEveryQuestion(questions) });
