const fence = /^---[ \t]*$/;

/** The body without its front matter, for `show`: no YAML parsing, the index already holds the metadata. */
export function bodyOf(text: string): string {
  const lines = text.split('\n');
  if (!fence.test(lines[0] ?? '')) return text;
  const end = lines.findIndex((line, index) => index > 0 && fence.test(line));
  return end < 0 ? text : lines.slice(end + 1).join('\n');
}
