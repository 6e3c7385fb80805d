import type { FileOwner } from '../system/index.js';

/**
 * Under sudo, files isolab writes in the checkout belong to the learner (SUDO_UID/SUDO_GID), so their own user
 * can keep using it without sudo. Undefined when isolab is not root under sudo: files keep the writer's owner.
 */
export function learnerOwner(env: NodeJS.ProcessEnv = process.env): FileOwner | undefined {
  const uid = Number(env.SUDO_UID);
  const gid = Number(env.SUDO_GID);
  if (process.geteuid?.() !== 0 || !env.SUDO_UID || !env.SUDO_GID || !Number.isInteger(uid) || !Number.isInteger(gid)) return undefined;
  return { uid, gid };
}

