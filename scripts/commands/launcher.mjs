// The text of one launcher, and telling ours from any other file of the same name. A launcher is a tiny
// /bin/sh script that runs this checkout's bundle with the Node that installed it: absolute paths, so it works
// where PATH has no Node (sudo's secure_path, a root shell, Node from nvm in the learner's home) and never asks
// the npm registry for anything, unlike `npx isolab` outside the checkout.
import { closeSync, lstatSync, openSync, readSync } from 'node:fs';

// The marker isolab looks for before it replaces or removes a file: a file without it is someone else's.
export const MARKER = '# isolab-launcher v1';
const MARKER_PREFIX = '# isolab-launcher ';

/** A string as one single-quoted sh word. */
export function shellQuote(text) {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** Text to print from inside an sh double-quoted string, as it is. */
function inDoubleQuotes(text) {
  return text.replace(/["$`\\]/g, (character) => `\\${character}`);
}

function unquote(word) {
  return word.slice(1, -1).replaceAll(`'\\''`, "'");
}

/**
 * The launcher for `name`: runs `script` (this checkout's dist/<name>.js) with `node`. `removeHint` is the
 * command that removes the launchers, printed when the checkout is gone (npm run remove-commands needs it).
 */
export function launcherText({ name, node, script, checkout, removeHint }) {
  return `#!/bin/sh
${MARKER}: runs ${name} from the checkout below. Written by \`npm run install-commands\` there,
# removed by \`npm run remove-commands\`; isolab replaces or removes only files that carry this line.
node=${shellQuote(node)}
script=${shellQuote(script)}
checkout=${shellQuote(checkout)}
if [ ! -f "$script" ]; then
  if [ -d "$checkout" ]; then
    echo "${name}: $checkout is not built ($script is missing): run npm ci (or npm run build) there." >&2
  else
    echo "${name}: this command runs ${name} from $checkout, which is gone." >&2
    echo "${name}: remove it with: ${inDoubleQuotes(removeHint)}" >&2
    echo "${name}: or run npm start in the checkout you use now, which points it there." >&2
  fi
  exit 127
fi
if [ ! -x "$node" ]; then
  # The Node that installed this launcher is gone (an nvm upgrade removes the old version): use the one on PATH.
  if found=$(command -v node); then
    node=$found
  else
    echo "${name}: the Node.js this command was installed with is gone ($node), and there is no node on PATH." >&2
    echo "${name}: run npm start (or npm run install-commands) in $checkout again, with the Node you use now." >&2
    exit 127
  fi
fi
exec "$node" "$script" "$@"
`;
}

/** The recorded paths of a launcher's text, or null when it is not one of ours. */
export function parseLauncher(text) {
  const lines = text.split('\n');
  if (lines[0] !== '#!/bin/sh' || !lines[1]?.startsWith(MARKER_PREFIX)) return null;
  const value = (key) => {
    const line = lines.find((candidate) => candidate.startsWith(`${key}='`));
    return line ? unquote(line.slice(key.length + 1)) : undefined;
  };
  return { node: value('node'), script: value('script'), checkout: value('checkout') };
}

/**
 * What is at `path`: nothing, one of our launchers (with its recorded paths and text), or a foreign file.
 * Symbolic links are foreign without being followed (`npm link` and `npm install -g` put one there).
 */
export function inspectFile(path) {
  let stat;
  try {
    stat = lstatSync(path);
  } catch (error) {
    if (error.code === 'ENOENT') return { kind: 'missing' };
    throw error;
  }
  if (!stat.isFile()) return { kind: 'foreign', what: stat.isSymbolicLink() ? 'a symbolic link' : 'not a regular file' };
  // A launcher is small; the head of a large foreign binary is enough to tell it is not one.
  const buffer = Buffer.alloc(4096);
  const fd = openSync(path, 'r');
  let length;
  try {
    length = readSync(fd, buffer, 0, buffer.length, 0);
  } finally {
    closeSync(fd);
  }
  const text = buffer.subarray(0, length).toString('utf8');
  const launcher = length < buffer.length ? parseLauncher(text) : null;
  return launcher ? { kind: 'ours', launcher, text } : { kind: 'foreign', what: 'a file isolab did not write' };
}
