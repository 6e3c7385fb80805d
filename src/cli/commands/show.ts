import chalk from 'chalk';
import { usageError } from '../../errors/index.js';
import { answeredKey, commandSections, type CommandSection, type LessonMeta } from '../../lessons/index.js';
import type { Command } from '../command.js';
import { lessonOf } from '../command.js';
import { out } from '../output.js';

export const show: Command = {
  name: 'show',
  usage: 'show [lesson] [--commands [--step N]]',
  operands: 'lesson?',
  summary: "prints the lesson text; --commands only its shell commands, by step (--step N: that step's)",
  example: 'isolab show 0.1 --commands --step 2',
  async run(context) {
    if (context.flags.step !== undefined && !context.flags.commands) throw context.usageError('--step goes with --commands');
    const { workbook, lesson } = await lessonOf(context);
    // Reading a lesson is opening it, as in the workbook: hint and verify then default to it. Not remembering it
    // is no reason to refuse to print it.
    await workbook.opened(lesson).catch(() => undefined);
    const body = workbook.lessonText(lesson);
    if (context.flags.commands) {
      out(renderCommands(lesson, selectSections(lesson, commandSections(body), context.flags.step)));
      return 0;
    }
    out(renderPlain(lesson, body));
    const gate = workbook.gate(lesson);
    if (!gate.available) out(chalk.yellow(`\nLocked on this machine:\n${gate.reasons.map((r) => `- ${r}`).join('\n')}`));
    return 0;
  },
};

/** Plain Markdown with the headings emphasised, then the questions in full; the TUI has the full renderer. */
function renderPlain(lesson: LessonMeta, body: string): string {
  const header = `${chalk.bold(`${lesson.short} ${lesson.title}`)}  ${chalk.dim(`${lesson.id} · ${lesson.kind} · ${lesson.minutes} min`)}`;
  const text = body
    .trim()
    .split('\n')
    .map((line) => (/^#{1,6} /.test(line) ? chalk.bold(line) : line))
    .join('\n');
  return `${header}\n\n${text}${renderQuestions(lesson)}`;
}

/** Each question as the front matter asks it, with the command that records an answer. */
function renderQuestions(lesson: LessonMeta): string {
  if (lesson.questions.length === 0) return '';
  const lines = lesson.questions.map((question) => `- ${question.prompt}\n  ${chalk.dim(`isolab answer ${lesson.short} ${question.key} <answer>`)}`);
  return `\n\n${chalk.bold('## Questions')}\n\n${lines.join('\n')}`;
}

function selectSections(lesson: LessonMeta, sections: CommandSection[], step: string | undefined): CommandSection[] {
  if (step === undefined) return sections;
  const number = Number(step);
  if (!Number.isInteger(number) || number < 1 || number > lesson.steps.length) {
    throw usageError(`${lesson.short} has no step "${step}"`, `Its steps are 1 to ${lesson.steps.length}: isolab show ${lesson.short} lists them.`);
  }
  return sections.filter((section) => section.step === number);
}

/**
 * The blocks as text a shell can take: each section's heading as a comment, and above the first line that
 * answers a question, the question itself (the lesson's prose, which asks it, is not printed here).
 */
function renderCommands(lesson: LessonMeta, sections: CommandSection[]): string {
  const asked = new Set<string>();
  const prompt = (key: string) => lesson.questions.find((question) => question.key === key)?.prompt;
  return sections
    .map((section) => {
      const lines = section.blocks.join('\n\n').split('\n').flatMap((line) => {
        const key = answeredKey(line);
        const question = key === undefined || asked.has(key) ? undefined : prompt(key);
        if (key !== undefined) asked.add(key);
        return question ? [`# ${question}`, line] : [line];
      });
      return sections.length > 1 && section.heading ? [`# ${section.heading}`, ...lines].join('\n') : lines.join('\n');
    })
    .join('\n\n');
}
