// Time from process start to the first full home frame of the workbook in a pseudo-terminal (util-linux
// `script`), as a ratio to `node -e 0` started the same way. Usage: node scripts/bench-tui.mjs [runs]
// (after `npm run build`). The target is a ratio of at most 4.
// Timed runs stay on node:child_process, not execa: execa's own work per start would be counted in every figure.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const bundle = join(root, 'dist/isolab.js');
const runs = Number(process.argv[2] ?? 15);
// The first frame of the home screen has both: the progress line and the footer's last key.
const homeFrame = /lessons done[\s\S]*q quit/;
const ansi = /\u001b\[[0-9;?<>=]*[ -/]*[@-~]|\u001b[()][0-9A-Za-z]|\u001b[=>]/g;

/**
 * Starts `command` in a 120×40 pseudo-terminal; resolves with the milliseconds until `ready(output)` holds
 * (then types q), or without `ready` until it exits.
 */
function timeInPty(command, ready, env) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('script', ['-qfec', `stty cols 120 rows 40; exec ${command}`, '/dev/null'], {
      cwd: root,
      env: { ...process.env, TERM: 'xterm-256color', ...env },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let output = '';
    let elapsed;
    child.stdout.on('data', (chunk) => {
      output += chunk.toString('utf8');
      if (ready && elapsed === undefined && ready(output.replace(ansi, ''))) {
        elapsed = performance.now() - started;
        child.stdin.write('q');
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (!ready) resolve(performance.now() - started);
      else if (elapsed === undefined) reject(new Error(`${command} exited (${code}) before it was ready:\n${output.replace(ansi, '')}`));
      else resolve(elapsed);
    });
  });
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const home = mkdtempSync(join(tmpdir(), 'isolab-bench-tui-'));
try {
  const node = [];
  const tui = [];
  // Interleaved, so a busy moment on the machine weighs on both.
  for (let run = 0; run < runs; run++) {
    node.push(await timeInPty(`${JSON.stringify(process.execPath)} -e 0`, undefined, {}));
    tui.push(await timeInPty(`${JSON.stringify(process.execPath)} ${JSON.stringify(bundle)}`, (text) => homeFrame.test(text), { ISOLAB_HOME: home, CI: 'true' }));
  }
  const nodeMs = median(node);
  const tuiMs = median(tui);
  console.log(`node -e 0 in a pty:          ${nodeMs.toFixed(0)} ms (median of ${runs})`);
  console.log(`isolab to first home frame:  ${tuiMs.toFixed(0)} ms (median of ${runs})`);
  console.log(`ratio: ${(tuiMs / nodeMs).toFixed(2)}x (target <= 4x)`);
} finally {
  rmSync(home, { recursive: true, force: true });
}
