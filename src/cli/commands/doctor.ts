import chalk from 'chalk';
import type { Command } from '../command.js';
import { rejectExtra } from '../command.js';
import { out } from '../output.js';

export const doctor: Command = {
  name: 'doctor',
  usage: 'doctor [--json]',
  summary: 'what this machine is and which lessons it can run',
  example: 'isolab doctor --json',
  async run(context) {
    rejectExtra(context, 0, doctor);
    const workbook = context.workbook();
    const env = workbook.env;
    const locked = workbook.catalog.lessons
      .map((lesson) => ({ id: lesson.id, short: lesson.short, reasons: workbook.gate(lesson).reasons }))
      .filter((entry) => entry.reasons.length > 0);
    const available = workbook.catalog.lessons.filter((lesson) => workbook.gate(lesson).available).map((lesson) => lesson.id);
    const report = {
      version: 1,
      kernel: env.kernel,
      cgroup: env.cgroup,
      privileges: env.privileges,
      tools: env.tools,
      capabilities: [...workbook.capabilities],
      lessons: { available, locked: locked.map(({ id, reasons }) => ({ id, reasons })) },
    };
    if (context.flags.json) {
      out(JSON.stringify(report, null, 2));
      return 0;
    }
    const yes = (ok: boolean) => (ok ? chalk.green('✓') : chalk.red('✗'));
    const lines = [
      `${yes(true)} kernel ${env.kernel.release}`,
      `${yes(env.cgroup.mode === 'v2')} cgroup ${describeMode(env.cgroup.mode)}`,
      `${yes(env.privileges.root)} ${env.privileges.root ? 'running as root' : `running as uid ${env.privileges.uid} (most lessons need root: sudo)`}`,
      `  tools: ${Object.entries(env.tools).map(([tool, path]) => `${yes(path !== null)} ${tool}`).join('  ')}`,
      '',
      `${available.length} of ${workbook.catalog.lessons.length} lessons can run here.`,
    ];
    for (const entry of locked) lines.push(`  ${entry.short} locked: ${entry.reasons.join('; ')}`);
    out(lines.join('\n'));
    return 0;
  },
};

function describeMode(mode: string): string {
  switch (mode) {
    case 'v2':
      return 'v2 (unified hierarchy)';
    case 'hybrid':
      return 'hybrid (v1 controllers; the v2 tree holds no controllers to limit with)';
    case 'v1':
      return 'v1 (legacy hierarchy)';
    default:
      return 'mode unknown (/sys/fs/cgroup could not be read)';
  }
}
