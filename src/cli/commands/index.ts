import type { Command } from '../command.js';
import { answer } from './answer.js';
import { clean } from './clean.js';
import { doctor } from './doctor.js';
import { exercise } from './exercise.js';
import { hint } from './hint.js';
import { list } from './list.js';
import { report } from './report.js';
import { reset } from './reset.js';
import { rootfs } from './rootfs.js';
import { show } from './show.js';
import { start } from './start.js';
import { verify } from './verify.js';
import { vm } from './vm.js';
import { watch } from './watch.js';

export const commands: readonly Command[] = [list, show, start, verify, watch, hint, answer, exercise, reset, clean, doctor, vm, rootfs, report];
