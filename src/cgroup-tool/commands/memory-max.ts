import { limitCommand } from './limits.js';

export const memoryMax = limitCommand('memory-max', 'memory.max', 'cgroup-tool memory-max isolab/lab 50M', '50M, 1.5G, max');
