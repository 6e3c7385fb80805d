import type { ToolCommand } from '../tool.js';
import { attach } from './attach.js';
import { cpuMax } from './cpu-max.js';
import { create } from './create.js';
import { remove } from './delete.js';
import { events } from './events.js';
import { ioMax } from './io-max.js';
import { kill } from './kill.js';
import { ls } from './ls.js';
import { memoryMax } from './memory-max.js';
import { pidsMax } from './pids-max.js';
import { run } from './run.js';
import { set } from './set.js';
import { stats } from './stats.js';
import { tree } from './tree.js';

/** In the order the overview lists them. */
export const toolCommands: readonly ToolCommand[] = [create, remove, attach, run, set, memoryMax, cpuMax, pidsMax, ioMax, stats, ls, tree, kill, events];
