/**
 * The JSON paths where two values differ (`process.args`, `mounts[7]`, `linux.namespaces[1].path`): what an
 * editor of config.json changed, to hold against what it was asked to change.
 */
export function changedPaths(before: unknown, after: unknown, path = ''): string[] {
  if (Object.is(before, after)) return [];
  if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, index) => changedPaths(before[index], after[index], `${path}[${index}]`)).flat();
  }
  if (isObject(before) && isObject(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    return [...keys].flatMap((key) => changedPaths(before[key], after[key], path ? `${path}.${key}` : key));
  }
  return [path || '(the whole file)'];
}

/** The changes outside the fields an edit may touch (each given as a path prefix: `linux.namespaces`, `mounts[3]`). */
export function strayChanges(before: unknown, after: unknown, allowed: readonly string[]): string[] {
  const inside = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);
  return changedPaths(before, after).filter((path) => !allowed.some((prefix) => inside(path, prefix)));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
