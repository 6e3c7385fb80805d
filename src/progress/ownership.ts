import { chownSync } from 'node:fs';

/**
 * Under sudo, files isolab writes in the checkout belong to the learner (SUDO_UID/SUDO_GID), so their own
 * user can keep using it without sudo.
 */
export function giveToLearner(path: string, env: NodeJS.ProcessEnv = process.env): void {
  const uid = Number(env.SUDO_UID);
  const gid = Number(env.SUDO_GID);
  if (process.geteuid?.() !== 0 || !env.SUDO_UID || !env.SUDO_GID || !Number.isInteger(uid) || !Number.isInteger(gid)) return;
  chownSync(path, uid, gid);
}
