import type { CgroupManager } from '../cgroup/index.js';
import { flag, withValue, type Command, type Invocation } from '../command/index.js';

/** cgroup-tool's options: every command accepts them all (each reads the ones it documents). */
export const toolOptions = { json: flag, force: flag, kill: flag, controllers: withValue } as const;

export interface ToolContext extends Invocation<typeof toolOptions> {
  /** The cgroup manager, made on first use (it reads the machine's cgroup mounts). */
  manager(): CgroupManager;
  out(text: string): void;
  warn(text: string): void;
}

/** One file per command in commands/: `name`, `usage`, `summary`, `example`, its `operands`, `run`. */
export type ToolCommand = Command<ToolContext>;
