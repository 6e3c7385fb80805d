import { readFileSync } from 'node:fs';

/** Running, as opposed to gone or a zombie (killed, waiting for its new parent to reap it). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** A SIGKILLed process is gone a moment after the signal, not at once: true once it is, false after a second. */
export async function goneSoon(pid: number): Promise<boolean> {
  for (let tries = 0; tries < 50 && alive(pid); tries++) await new Promise((resolve) => setTimeout(resolve, 20));
  return !alive(pid);
}
