import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The tools lessons may require (`tool:<name>`). */
export const knownTools = ['runc', 'ip', 'nft', 'unshare', 'nsenter', 'busybox', 'bpftrace', 'bpftool', 'clang', 'llc', 'cc', 'gcc', 'capsh'] as const;

export function findOnPath(command: string, env: NodeJS.ProcessEnv, root = '/'): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    try {
      accessSync(join(root, candidate), constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return null;
}

export function findTools(env: NodeJS.ProcessEnv, root = '/'): Record<string, string | null> {
  return Object.fromEntries(knownTools.map((tool) => [tool, findOnPath(tool, env, root)]));
}
