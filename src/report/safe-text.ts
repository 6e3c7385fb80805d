// Text from result files (learner names, lesson titles, check titles, hints, file names) is the learner's: a
// terminal, a browser or a spreadsheet must show it, never act on it.

/**
 * C0 and C1 controls and DEL (escape sequences: a title change, a clear screen, a cursor move), line and paragraph
 * separators, and the bidirectional overrides and isolates that make text read in another order than it is.
 */
const acted = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Each such character as a visible escape (`\x1b`, `\u202e`), so a teacher sees what the file held. */
export function showControls(text: string): string {
  return text.replace(acted, (char) => {
    const code = char.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Text for an HTML element's content or a quoted attribute. */
export function htmlText(text: string): string {
  return showControls(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * A CSV cell a spreadsheet reads as text: a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return
 * would be a formula, so it gets a leading `'` (OWASP's CSV injection rule); the report's columns hold no numbers,
 * so no negative number is changed. Quotes, separators and line breaks are quoted as RFC 4180 says.
 */
export function csvCell(text: string): string {
  const cell = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

// JSON.stringify escapes C0 controls in strings but leaves these raw; outside strings it writes only spaces and \n.
const actedInJson = /[\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** JSON with what a terminal would act on escaped as `\uXXXX`, DEL and C1 too: the same value when parsed. */
export function terminalJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(actedInJson, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
