import { writeFileSync } from 'node:fs';
import { errnoCode, usageError } from '../../errors/index.js';
import { loadClassReport } from '../../report/index.js';
import type { Command } from '../command.js';
import { err, out, warn } from '../output.js';

export const report: Command = {
  name: 'report',
  usage: 'report <files…> [--csv FILE] [--html FILE] [--json]',
  operands: 'result files…',
  summary: "merges learners' verify results: pass rates, progress, common failures; flags tampered files",
  example: 'ISOLAB_REPORT_KEY=… isolab report results/*.json --html class.html',
  async run(context) {
    const { formatReportTable, mergeReports, readResultFile, reportCsv, reportHtml, reportJson, showControls } = await loadClassReport();
    const key = process.env.ISOLAB_REPORT_KEY || undefined;
    const files = context.positionals.map((file) => readResultFile(file, key));
    if (files.every((file) => file.status === 'unreadable')) {
      const why = files.map((file) => `\n  ${showControls(`${file.file}: ${file.problem}`)}`).join('');
      throw usageError(`none of the files is a verify result:${why}`, 'Give files written by isolab verify --json or verify --all --json.');
    }
    const merged = mergeReports(files);
    if (context.flags.csv) write(context.flags.csv, reportCsv(merged));
    if (context.flags.html) write(context.flags.html, reportHtml(merged));
    out(context.flags.json ? reportJson(merged) : formatReportTable(merged));
    // The table names them; a JSON document sent to a file would leave the teacher unaware.
    if (context.flags.json && merged.unreadable.length > 0) warn(`${merged.unreadable.length} of ${files.length} files left out as unreadable (see "unreadable" in the report)`);
    if (!key) err('note: ISOLAB_REPORT_KEY is not set, so signatures were not checked.');
    // A tampered file is the one outcome a teacher must not miss.
    return merged.tampered.length > 0 ? 1 : 0;
  },
};

function write(file: string, content: string): void {
  try {
    writeFileSync(file, content);
  } catch (error) {
    throw usageError(`cannot write ${file} (${errnoCode(error) ?? String(error)})`, 'Give a path in a directory that exists and that you can write.');
  }
}
