import { blockedError, errnoCode } from '../errors/index.js';
import { LinkRefused } from '../system/index.js';

/**
 * A fault of the state directory (`.isolab/` or ISOLAB_HOME) as an error a learner can act on: the path, what is
 * wrong with it in plain words, and what to do. `doing` says what isolab was about to do: `record progress`.
 * Anything this does not recognise is passed through unchanged: it is a bug, and keeps its stack.
 */
export function stateFault(error: unknown, path: string, doing: string): unknown {
  if (error instanceof LinkRefused) {
    return blockedError(
      `cannot ${doing}: ${error.path} is a symbolic link, and isolab does not follow links in its state directory`,
      `Remove the link (rm ${error.path}); if the state should live elsewhere, set ISOLAB_HOME to that directory itself.`,
    );
  }
  const code = errnoCode(error);
  const why = code ? reasons[code] : undefined;
  if (!why) return error;
  return blockedError(`cannot ${doing}: ${path} ${why.what}`, why.remedy(path));
}

const reasons: Record<string, { what: string; remedy: (path: string) => string }> = {
  EROFS: { what: 'is on a read-only filesystem', remedy: () => 'Set ISOLAB_HOME to a writable directory (e.g. ISOLAB_HOME=~/.isolab), or remount the filesystem read-write.' },
  ENOSPC: { what: 'is on a full filesystem (no space left on the device)', remedy: () => 'Free some space (df -h shows where), then run the command again; nothing recorded before was lost.' },
  EDQUOT: { what: 'is over its disk quota', remedy: () => 'Free some space within your quota, then run the command again.' },
  EACCES: { what: 'is not writable by this user', remedy: (path) => `Make it yours (sudo chown -R "$USER" ${path}), or run the command as the user who owns it.` },
  EPERM: { what: 'may not be changed by this user', remedy: (path) => `Make it yours (sudo chown -R "$USER" ${path}), or run the command as the user who owns it.` },
  EISDIR: { what: 'is a directory, where isolab keeps a file', remedy: (path) => `Move the directory away (mv ${path} ${path}.old); isolab starts a new file.` },
  ENOTDIR: { what: 'lies below something that is not a directory', remedy: () => 'Set ISOLAB_HOME to a directory, or move the file that stands in the way.' },
  ENOENT: { what: 'does not exist (a link to a directory that is gone?)', remedy: () => 'Create the directory, or set ISOLAB_HOME to one that exists (or unset it to use .isolab/ in the checkout).' },
  ELOOP: { what: 'is a symbolic link, and isolab does not follow links in its state directory', remedy: (path) => `Remove the link (rm ${path}); isolab starts a new file.` },
};
