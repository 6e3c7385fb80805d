import { limitCommand } from './limits.js';

export const pidsMax = limitCommand('pids-max', 'pids.max', 'cgroup-tool pids-max isolab/lab 20', 'a number of processes, max');
