import { describe, expect, it } from 'vitest';
import { highlightCode } from './highlight.js';

const scopes = (code: string, language: string) =>
  highlightCode(code, language)
    .flat()
    .filter((segment) => segment.scope)
    .map((segment) => `${segment.scope}:${segment.text}`);

describe('highlightCode', () => {
  it('highlights shell, TypeScript, JSON and YAML', () => {
    expect(scopes('echo "$HOME" # where', 'sh')).toEqual(['built_in:echo', 'string:"', 'variable:$HOME', 'string:"', 'comment:# where']);
    expect(scopes('const limit: number = 64;', 'ts')).toEqual(expect.arrayContaining(['keyword:const', 'built_in:number', 'number:64']));
    expect(scopes('{"memory": 64, "on": true}', 'json')).toEqual(expect.arrayContaining(['attr:"memory"', 'number:64', 'keyword:true']));
    expect(scopes('minutes: 10\nhints:\n  - one', 'yaml')).toEqual(expect.arrayContaining(['attr:minutes:', 'number:10', 'bullet:-']));
  });

  it('keeps the lines and the text exactly, including characters HTML escapes', () => {
    const code = 'if [ "$a" < "$b" ] && echo \'&\'; then\n  cat <<EOF\nEOF\n';
    const lines = highlightCode(code, 'bash');
    expect(lines.map((line) => line.map((segment) => segment.text).join(''))).toEqual(['if [ "$a" < "$b" ] && echo \'&\'; then', '  cat <<EOF', 'EOF']);
  });

  it('leaves unknown languages and blocks without one unscoped', () => {
    expect(highlightCode('x = 1', 'cobol')).toEqual([[{ text: 'x = 1' }]]);
    expect(highlightCode('a\n\nb', undefined)).toEqual([[{ text: 'a' }], [], [{ text: 'b' }]]);
  });
});
