/**
 * Enough of the POSIX shell grammar to find the simple commands in a lesson's shell block: words and quotes,
 * pipelines and lists (`|`, `&&`, `||`, `;`, `&`, newlines), subshells and groups, redirections (their targets
 * are not words of the command), here-documents (their bodies are not commands), comments and line
 * continuations, and command substitutions `$(…)` and `` `…` `` (whose commands are collected too).
 * Parameter and arithmetic expansions are kept in the word and mark it as not literal.
 */

export interface Word {
  /** The word with quotes removed; expansions are left as written. */
  text: string;
  /** No expansion in it: `text` is exactly what the program receives. */
  literal: boolean;
}

export type SimpleCommand = Word[];

const operatorStart = new Set([';', '&', '|', '(', ')', '\n']);
const redirection = /^(\d*)(<<<|<<-|<<|<>|<&|>&|>>|>\||&>>|&>|<|>)/;

/** Every simple command in `script`, outermost first, then those inside its substitutions. */
export function simpleCommands(script: string): SimpleCommand[] {
  const found: SimpleCommand[] = [];
  const nested: string[] = [];
  let current: Word[] = [];
  const pendingHeredocs: Array<{ delimiter: string; stripTabs: boolean }> = [];
  const end = () => {
    if (current.length > 0) found.push(current);
    current = [];
  };
  let i = 0;
  while (i < script.length) {
    const char = script[i]!;
    if (char === '\\' && script[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (char === ' ' || char === '\t') {
      i++;
      continue;
    }
    if (char === '#') {
      while (i < script.length && script[i] !== '\n') i++;
      continue;
    }
    if (char === '\n') {
      end();
      i++;
      // Here-document bodies start on the line after their operator; they are data, not commands.
      for (const heredoc of pendingHeredocs.splice(0)) {
        for (;;) {
          const lineEnd = script.indexOf('\n', i) < 0 ? script.length : script.indexOf('\n', i);
          const line = script.slice(i, lineEnd);
          i = lineEnd + 1;
          if ((heredoc.stripTabs ? line.replace(/^\t+/, '') : line) === heredoc.delimiter || i > script.length) break;
        }
      }
      continue;
    }
    const redirect = redirection.exec(script.slice(i));
    if (redirect) {
      i += redirect[0].length;
      while (script[i] === ' ' || script[i] === '\t') i++;
      const target = readWord(script, i, nested);
      i = target.end;
      if (redirect[2] === '<<' || redirect[2] === '<<-') pendingHeredocs.push({ delimiter: target.word.text, stripTabs: redirect[2] === '<<-' });
      continue;
    }
    if (operatorStart.has(char)) {
      end();
      i += script[i + 1] === char && (char === '&' || char === '|' || char === ';') ? 2 : 1;
      continue;
    }
    const { word, end: next } = readWord(script, i, nested);
    i = next;
    current.push(word);
  }
  end();
  return [...found, ...nested.flatMap(simpleCommands)];
}

/** One word from `start`; the scripts of command substitutions in it are pushed onto `nested`. */
function readWord(script: string, start: number, nested: string[]): { word: Word; end: number } {
  let text = '';
  let literal = true;
  let i = start;
  while (i < script.length) {
    const char = script[i]!;
    if (char === ' ' || char === '\t' || operatorStart.has(char) || char === '<' || char === '>') break;
    if (char === '\\') {
      if (script[i + 1] !== '\n') text += script[i + 1] ?? '';
      i += 2;
    } else if (char === "'") {
      const close = script.indexOf("'", i + 1);
      const stop = close < 0 ? script.length : close;
      text += script.slice(i + 1, stop);
      i = stop + 1;
    } else if (char === '"') {
      i++;
      while (i < script.length && script[i] !== '"') {
        if (script[i] === '\\' && '$`"\\\n'.includes(script[i + 1] ?? '')) {
          if (script[i + 1] !== '\n') text += script[i + 1];
          i += 2;
        } else if (script[i] === '$' || script[i] === '`') {
          const expansion = readExpansion(script, i, nested);
          text += expansion.text;
          if (expansion.text !== '$') literal = false;
          i = expansion.end;
        } else {
          text += script[i++];
        }
      }
      i++;
    } else if (char === '$' || char === '`') {
      const expansion = readExpansion(script, i, nested);
      text += expansion.text;
      if (expansion.text !== '$') literal = false;
      i = expansion.end;
    } else {
      text += char;
      i++;
    }
  }
  return { word: { text, literal }, end: i };
}

/** `$(…)`, `` `…` ``, `$((…))`, `${…}` or `$name` at `start`. */
function readExpansion(script: string, start: number, nested: string[]): { text: string; end: number } {
  if (script[start] === '`') {
    const close = script.indexOf('`', start + 1);
    const stop = close < 0 ? script.length : close;
    nested.push(script.slice(start + 1, stop));
    return { text: script.slice(start, stop + 1), end: stop + 1 };
  }
  if (script.startsWith('$((', start)) {
    const stop = matching(script, start + 1, '(', ')');
    return { text: script.slice(start, stop + 1), end: stop + 1 };
  }
  if (script[start + 1] === '(') {
    const stop = matching(script, start + 1, '(', ')');
    nested.push(script.slice(start + 2, stop));
    return { text: script.slice(start, stop + 1), end: stop + 1 };
  }
  if (script[start + 1] === '{') {
    const stop = matching(script, start + 1, '{', '}');
    return { text: script.slice(start, stop + 1), end: stop + 1 };
  }
  const name = /^\$([A-Za-z_][A-Za-z0-9_]*|[0-9#?$!@*-])/.exec(script.slice(start));
  return name ? { text: name[0], end: start + name[0].length } : { text: '$', end: start + 1 };
}

/** The index of the bracket that closes the one at `open`, skipping quoted text. */
function matching(script: string, open: number, opening: string, closing: string): number {
  let depth = 0;
  for (let i = open; i < script.length; i++) {
    const char = script[i]!;
    if (char === '\\') i++;
    else if (char === "'") i = Math.max(i, script.indexOf("'", i + 1));
    else if (char === '"') {
      for (i++; i < script.length && script[i] !== '"'; i++) if (script[i] === '\\') i++;
    } else if (char === opening) depth++;
    else if (char === closing && --depth === 0) return i;
  }
  return script.length;
}
