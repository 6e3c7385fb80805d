import { join } from 'node:path';
import { packageRoot } from '../system/index.js';

/** `.isolab/` at the root of the learner's checkout; ISOLAB_HOME names another directory. */
export function stateHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.ISOLAB_HOME || join(packageRoot(), '.isolab');
}
