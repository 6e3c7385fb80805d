import { randomBytes } from 'node:crypto';
import { closeSync, constants, fchownSync, lchownSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';

// isolab often runs as root in a directory the learner owns (the checkout, its .isolab/). The learner can plant
// a symbolic link at any name there, and a root that follows it writes, or gives away, a file anywhere. So in
// such places isolab never opens an existing name for writing, never follows a link it did not expect, and
// changes ownership through the file it created, not through a path.

/** Who a file isolab writes for the learner should belong to; undefined keeps the writer's own. */
export interface FileOwner {
  uid: number;
  gid: number;
}

/** A symbolic link where isolab needs a real file or directory: the path, and what was expected there. */
export class LinkRefused extends Error {
  constructor(readonly path: string) {
    super(`${path} is a symbolic link`);
    this.name = 'LinkRefused';
  }
}

const createFlags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/**
 * Creates `path` as a new file with this content. A file or link already at the name is refused (EEXIST), never
 * written through; the owner is set on the open file, so no path is followed to do it.
 */
export function writeNewFile(path: string, content: string | Uint8Array, options: { mode?: number; owner?: FileOwner } = {}): void {
  const fd = openSync(path, createFlags, options.mode ?? 0o644);
  try {
    const bytes = typeof content === 'string' ? Buffer.from(content) : content;
    for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written, bytes.length - written);
    if (options.owner) fchownSync(fd, options.owner.uid, options.owner.gid);
  } catch (error) {
    closeSync(fd);
    rmSync(path, { force: true });
    throw error;
  }
  closeSync(fd);
}

/**
 * Replaces `path` with this content in one step: a new file under an unpredictable name beside it (so nothing can
 * be planted there in advance), renamed over `path`. A rename replaces a link at `path` and never follows it, and
 * a reader sees the old file or the new one, never half. A failed write leaves no temporary file behind.
 */
export function replaceFile(path: string, content: string | Uint8Array, options: { mode?: number; owner?: FileOwner } = {}): void {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  writeNewFile(temporary, content, options);
  try {
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** Reads a file that must not be a link (a link to a root-only file would otherwise be read as root). */
export function readFileNoFollow(path: string): string {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * The first symbolic link on the way from `base` to `base/inner` (the inner path included), or undefined. `base`
 * itself is trusted: it is where isolab was told to work. A name that does not exist ends the walk: nothing below
 * it can be a link yet.
 */
export function linkOnTheWay(base: string, inner: string): string | undefined {
  const steps = insidePath(base, inner).split(sep).filter(Boolean);
  let path = base;
  for (const step of steps) {
    path = join(path, step);
    const kind = pathKind(path);
    if (kind === 'missing') return undefined;
    if (kind === 'link') return path;
  }
  return undefined;
}

/** Throws LinkRefused when a link lies on the way from `base` to `base/inner`. */
export function refuseLinksOnTheWay(base: string, inner: string): void {
  const link = linkOnTheWay(base, inner);
  if (link) throw new LinkRefused(link);
}

/**
 * `mkdir -p base/inner` that never goes through a link: each directory below `base` is created (and given to
 * `owner`) or found as a real directory. A link on the way is a LinkRefused.
 */
export function makeDirectories(base: string, inner: string, owner?: FileOwner): void {
  let path = base;
  for (const step of insidePath(base, inner).split(sep).filter(Boolean)) {
    path = join(path, step);
    try {
      mkdirSync(path, { mode: 0o755 });
      if (owner) lchownSync(path, owner.uid, owner.gid);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (pathKind(path) === 'link') throw new LinkRefused(path);
  }
}

/** `inner` relative to `base` (absolute or relative), refusing a way out of it (`..`). */
function insidePath(base: string, inner: string): string {
  const rel = isAbsolute(inner) ? relative(base, inner) : inner;
  if (rel.split(/[\\/]/).includes('..')) throw new Error(`${inner} is not inside ${base}`);
  return rel;
}

/** What is at `path` itself, its last part not followed: nothing (or below a file), a link, or something else. */
export function pathKind(path: string): 'missing' | 'link' | 'other' {
  try {
    return lstatSync(path).isSymbolicLink() ? 'link' : 'other';
  } catch (error) {
    if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return 'missing';
    throw error;
  }
}

/**
 * Why `path` is not a safe place for root to write, or undefined: on the way from / to it (itself included) a
 * link that a user other than root made, a directory that belongs to a user not in `trusted`, or a directory
 * anyone may change that lacks the sticky bit. Any of them lets another user swap what the path means while
 * root writes there. Parts that do not exist yet end the walk: isolab creates them.
 */
export function untrustedOnTheWay(path: string, trusted: readonly number[]): string | undefined {
  let current = '/';
  for (const step of path.split(sep).filter(Boolean)) {
    current = join(current, step);
    let stat;
    try {
      stat = lstatSync(current);
    } catch (error) {
      // Not there yet (or below a file, which creating it will report): nothing further to trust.
      if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return undefined;
      throw error;
    }
    if (stat.isSymbolicLink()) {
      if (stat.uid !== 0 || current === path) return `${current} is a symbolic link${stat.uid !== 0 ? ` made by uid ${stat.uid}` : ''}`;
    } else if (!trusted.includes(stat.uid) && stat.uid !== 0) {
      return `${current} belongs to uid ${stat.uid}`;
    } else if ((stat.mode & 0o002) !== 0 && (stat.mode & 0o1000) === 0) {
      return `${current} may be changed by any user (mode ${(stat.mode & 0o7777).toString(8)}, no sticky bit)`;
    }
  }
  return undefined;
}
