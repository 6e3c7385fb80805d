import { writeFileSync } from 'node:fs';
import { ExitCode, errnoCode, usageError } from '../../errors/index.js';
import { formatVerify, formatVerifyAll, toJUnit, type VerifyAllDocument, type VerifyDocument } from '../../report/index.js';
import { ResultNotRecorded } from '../../workbook/index.js';
import type { Command } from '../command.js';
import { lessonOf } from '../command.js';
import { out } from '../output.js';

export const verify: Command = {
  name: 'verify',
  usage: 'verify [lesson] | --all [--live] [--json] [--junit FILE]',
  operands: 'lesson?',
  summary: 'checks the live kernel and your work, records progress',
  example: 'isolab verify 0.1',
  async run(context) {
    const { flags } = context;
    if (flags.all && context.positionals.length > 0) throw context.usageError('name one lesson, or --all');

    if (flags.all) {
      const workbook = await context.workbook();
      const document = await showingUnrecorded(workbook.verifyAll({ live: flags.live }), (all) => showAll(all as VerifyAllDocument));
      showAll(document);
      // Locked lessons count only when asked for by name.
      return Math.max(...document.results.map((result) => exitCodeOf(result, false)), 0);
    }

    const { workbook, lesson } = await lessonOf(context);
    const document = await showingUnrecorded(workbook.verify(lesson, { live: true }), (one) => showOne(one as VerifyDocument));
    showOne(document);
    return exitCodeOf(document, true);

    function showAll(document: VerifyAllDocument): void {
      if (flags.junit) writeReport(flags.junit, toJUnit(document.results));
      out(flags.json ? JSON.stringify(document, null, 2) : formatVerifyAll(document));
    }

    function showOne(document: VerifyDocument): void {
      if (flags.junit) writeReport(flags.junit, toJUnit([document]));
      out(flags.json ? JSON.stringify(document, null, 2) : formatVerify(document));
    }
  },
};

/** The checks ran but the state directory refused their result: show what they found, then the error. */
async function showingUnrecorded<T>(verifying: Promise<T>, show: (document: ResultNotRecorded['document']) => void): Promise<T> {
  try {
    return await verifying;
  } catch (error) {
    if (error instanceof ResultNotRecorded) show(error.document);
    throw error;
  }
}

/** pass 0, fail 1, locked 3 (when asked by name), a check that could not run 4; `--all` takes the worst. */
function exitCodeOf(result: VerifyDocument, askedByName: boolean): number {
  switch (result.status) {
    case 'pass':
      return ExitCode.ok;
    case 'fail':
      return ExitCode.checksFailed;
    case 'locked':
      return askedByName ? ExitCode.blocked : ExitCode.ok;
    case 'error':
      return ExitCode.internal;
  }
}

function writeReport(file: string, content: string): void {
  try {
    writeFileSync(file, content);
  } catch (error) {
    throw usageError(`cannot write ${file} (${errnoCode(error) ?? String(error)})`, 'Give --junit a path in a directory that exists and that you can write.');
  }
}
