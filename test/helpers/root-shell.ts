/**
 * Whether a command a lesson shows runs as shown in a root shell: on a root machine without sudo, and in the
 * shell `sudo -s` gives, whose PATH is sudo's secure_path. There `isolab` and `cgroup-tool` are launchers in
 * /usr/local/bin, but Node, npx and tsx (often in the learner's home, through nvm) are not.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { join } from 'node:path';
import { simpleCommands, type Word } from './shell-words.js';

/** sudo's secure_path on Debian and Ubuntu, and root's PATH there. */
export const rootPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface RootShell {
  /** Shell builtins and keywords (`compgen -b -k`). */
  builtins: ReadonlySet<string>;
  isolabCommands: ReadonlySet<string>;
  /** Lesson id and short id → the keys of its questions. */
  lessons: ReadonlyMap<string, readonly string[]>;
  /** Directories under exercises/ with a main.ts. */
  exercises: ReadonlySet<string>;
  cgroupToolCommands: ReadonlySet<string>;
}

export interface Analysis {
  problems: string[];
  /** It starts a shell that reads commands from the terminal (`unshare --uts bash`): not for a script. */
  interactive: boolean;
}

/** Never shown: they are either missing in a root shell (sudo on a root machine) or off its PATH. */
const forbidden = new Set(['sudo', 'npx', 'node', 'nodejs', 'tsx']);
const lessonCommands = new Set(['show', 'start', 'verify', 'hint', 'answer', 'reset']);
const shells = new Set(['bash', 'sh', 'dash']);
/** Prefixes that are grammar, not programs: what follows them is the command. */
const prefixKeywords = new Set(['!', '{', '(', 'do', 'then', 'else', 'elif', 'if', 'while', 'until', 'time']);
const closingKeywords = new Set(['done', 'fi', 'esac', '}', ')']);
/** Their words are names and values, not commands. */
const skippedKeywords = new Set(['for', 'select', 'case', 'in', 'function']);

/** Programs that run another program: their options (those taking a value), fixed arguments, then the command. */
const wrappers: Record<string, { values?: string[]; fixed?: number; assignments?: boolean; shellWhenEmpty?: boolean }> = {
  env: { values: ['-u', '--unset', '-C', '--chdir'], assignments: true },
  setsid: {},
  nohup: {},
  unshare: {
    values: ['--propagation', '--setgroups', '-S', '--setuid', '-G', '--setgid', '-R', '--root', '-w', '--wd', '--map-user', '--map-group', '--map-users', '--map-groups', '--monotonic', '--boottime'],
    shellWhenEmpty: true,
  },
  nsenter: { values: ['-t', '--target', '-S', '--setuid', '-G', '--setgid', '-w', '--wd'], shellWhenEmpty: true },
  setpriv: { values: ['--reuid', '--regid', '--ruid', '--rgid', '--euid', '--egid', '--groups', '--inh-caps', '--ambient-caps', '--bounding-set', '--securebits', '--pdeathsig'] },
  runuser: { values: ['-u', '--user', '-g', '--group', '-G', '--supp-group', '-s', '--shell', '-w', '--whitelist-environment'] },
  timeout: { values: ['-s', '--signal', '-k', '--kill-after'], fixed: 1 },
  nice: { values: ['-n', '--adjustment'] },
  xargs: { values: ['-I', '-n', '-P', '-d', '-L', '-s', '-a', '-E'] },
  stdbuf: { values: ['-i', '-o', '-e'] },
};

export function analyzeScript(script: string, shell: RootShell): Analysis {
  const result: Analysis = { problems: [], interactive: false };
  for (const command of simpleCommands(script)) merge(result, analyzeCommand(command, shell));
  return result;
}

function merge(into: Analysis, from: Analysis): Analysis {
  into.problems.push(...from.problems);
  into.interactive ||= from.interactive;
  return into;
}

export function analyzeCommand(words: readonly Word[], shell: RootShell): Analysis {
  const result: Analysis = { problems: [], interactive: false };
  for (const word of words) {
    if (word.literal && forbidden.has(word.text) && !word.text.startsWith('node')) result.problems.push(`"${word.text}" in \`${show(words)}\``);
  }
  return merge(result, analyzeProgram(words, shell));
}

function analyzeProgram(words: readonly Word[], shell: RootShell): Analysis {
  const none: Analysis = { problems: [], interactive: false };
  let start = 0;
  while (start < words.length && words[start]!.literal && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[start]!.text)) start++;
  const first = words[start];
  // `"$@"` and the like: what runs is decided when it runs.
  if (!first || !first.literal) return none;
  const name = first.text;
  const rest = words.slice(start + 1);
  const problem = (text: string): Analysis => ({ problems: [`${text} in \`${show(words)}\``], interactive: false });

  // sudo, npx and tsx are reported wherever they stand (analyzeCommand); node only as the program.
  if (forbidden.has(name)) return name === 'node' || name === 'nodejs' ? problem(`"${name}" is not in a root shell`) : none;
  if (prefixKeywords.has(name) || closingKeywords.has(name)) return analyzeProgram(rest, shell);
  if (skippedKeywords.has(name)) return none;
  if (name === 'exec' || name === 'command' || name === 'builtin') {
    let index = 0;
    while (rest[index]?.text.startsWith('-')) index += rest[index]!.text === '-a' ? 2 : 1;
    return analyzeProgram(rest.slice(index), shell);
  }
  if (shells.has(name)) {
    const script = rest.findIndex((word) => word.text === '-c');
    if (script >= 0) {
      const text = rest[script + 1];
      return text?.literal ? analyzeScript(text.text, shell) : none;
    }
    // No script and no file: it reads commands from the terminal.
    return { problems: [], interactive: rest.every((word) => word.text.startsWith('-')) };
  }
  const wrapper = wrappers[name];
  if (wrapper) {
    let index = 0;
    for (; index < rest.length; index++) {
      const text = rest[index]!.text;
      if (text === '--') {
        index++;
        break;
      }
      if (wrapper.assignments && /^[A-Za-z_][A-Za-z0-9_]*=/.test(text)) continue;
      if (!text.startsWith('-') || text === '-') break;
      if (wrapper.values?.includes(text)) index++;
    }
    const inner = rest.slice(index + (wrapper.fixed ?? 0));
    if (inner.length === 0) return { problems: onPath(name, shell) ? [] : problem(`"${name}" is not on the root PATH`).problems, interactive: wrapper.shellWhenEmpty === true };
    return analyzeProgram(inner, shell);
  }
  if (name === 'ip') {
    const netns = rest.findIndex((word, index) => word.text === 'netns' && rest[index + 1]?.text === 'exec');
    if (netns >= 0) return analyzeProgram(rest.slice(netns + 3), shell);
  }
  if (name === 'isolab') return checkIsolab(rest, shell, problem);
  if (name === 'cgroup-tool') {
    const sub = rest.find((word) => !word.text.startsWith('-'));
    if (sub?.literal && !shell.cgroupToolCommands.has(sub.text)) return problem(`"cgroup-tool ${sub.text}" is not a cgroup-tool command`);
    const split = rest.findIndex((word) => word.text === '--');
    return sub?.text === 'run' && split >= 0 ? analyzeProgram(rest.slice(split + 1), shell) : none;
  }
  // chroot and `runc exec` run their command in another root: the host's PATH says nothing about it.
  if (shell.builtins.has(name) || onPath(name, shell)) return none;
  return problem(`"${name}" is not a builtin and not on the root PATH`);
}

function checkIsolab(rest: readonly Word[], shell: RootShell, problem: (text: string) => Analysis): Analysis {
  const none: Analysis = { problems: [], interactive: false };
  const positionals = rest.filter((word) => !word.text.startsWith('-'));
  const [sub, target, key] = positionals;
  if (!sub) return none;
  if (!sub.literal) return none;
  if (!shell.isolabCommands.has(sub.text)) return problem(`"isolab ${sub.text}" is not an isolab command`);
  if (sub.text === 'exercise') {
    if (!target) return problem('`isolab exercise` without an exercise');
    return !target.literal || shell.exercises.has(target.text) ? none : problem(`"${target.text}" is not an exercise with a main.ts`);
  }
  if (!lessonCommands.has(sub.text)) return none;
  if (!target) return rest.some((word) => word.text === '--all') ? none : problem(`\`isolab ${sub.text}\` without a lesson`);
  if (!target.literal) return none;
  const questions = shell.lessons.get(target.text);
  if (!questions) return problem(`"${target.text}" is not a lesson`);
  if (sub.text === 'answer' && key?.literal && !questions.includes(key.text)) return problem(`lesson ${target.text} has no question "${key.text}"`);
  return none;
}

function onPath(name: string, shell: RootShell): boolean {
  if (name.includes('/')) return name.startsWith('/') && executable(name);
  if (name === 'isolab' || name === 'cgroup-tool') return true;
  void shell;
  return rootPath.split(':').some((dir) => executable(join(dir, name)));
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return existsSync(file);
  } catch {
    return false;
  }
}

const show = (words: readonly Word[]) => words.map((word) => word.text).join(' ');
