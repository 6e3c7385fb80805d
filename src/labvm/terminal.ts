import { spawnSync } from 'node:child_process';

/**
 * The terminal's settings now, and a function that puts them back. qemu sets the terminal raw and restores it
 * only when it exits normally; a VM killed outright would leave the learner's shell without echo.
 * (node:child_process, not exec/: stty must run on this terminal, in the foreground, before and after.)
 */
export function saveTerminal(): () => void {
  if (!process.stdin.isTTY) return () => {};
  const saved = spawnSync('stty', ['-g'], { stdio: ['inherit', 'pipe', 'ignore'], encoding: 'utf8' });
  const settings = saved.status === 0 ? saved.stdout.trim() : 'sane';
  return () => void spawnSync('stty', [settings], { stdio: ['inherit', 'ignore', 'ignore'] });
}
