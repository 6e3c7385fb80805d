import { lstatSync, readlinkSync } from 'node:fs';
import { dirname, isAbsolute, join, relative } from 'node:path';

/**
 * Where `path` leads inside the root filesystem `root`, as a process whose root it is sees it: absolute links
 * start again at `root`, and `..` never climbs out of it, so nothing leads to the host's files. undefined when
 * the path leads to nothing (or round a loop of links).
 */
export function resolveInRootfs(root: string, path: string, depth = 0): string | undefined {
  if (depth > 16) return undefined;
  let current = root;
  const parts = path.split('/').filter(Boolean);
  for (const [index, part] of parts.entries()) {
    const next = part === '..' ? (current === root ? root : dirname(current)) : join(current, part);
    const stat = lstatSync(next, { throwIfNoEntry: false });
    if (!stat) return undefined;
    if (stat.isSymbolicLink()) {
      const target = readlinkSync(next);
      const inside = isAbsolute(target) ? target : join('/', relative(root, current), target);
      return resolveInRootfs(root, `${inside}/${parts.slice(index + 1).join('/')}`, depth + 1);
    }
    current = next;
  }
  return current;
}
