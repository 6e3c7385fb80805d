import { createInterface } from 'node:readline/promises';

/** Whether there is someone to ask: a terminal on stdin. Without one, commands that would ask say which flag agrees. */
export function canAsk(): boolean {
  return process.stdin.isTTY === true;
}

/**
 * A yes/no question on the terminal, asked on stderr so that stdout stays the command's result. Only `y` or `yes`
 * agrees; Enter, anything else, or the input ending (Ctrl-D) is no.
 */
export async function confirm(question: string): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const closed = new Promise<string>((resolve) => prompt.once('close', () => resolve('')));
    const answer = await Promise.race([prompt.question(`${question} [y/N] `), closed]);
    return /^y(es)?$/i.test(answer.trim());
  } catch {
    return false;
  } finally {
    prompt.close();
  }
}
