import { limitCommand } from './limits.js';

export const cpuMax = limitCommand('cpu-max', 'cpu.max', 'cgroup-tool cpu-max isolab/lab 50%', '50%, 0.5 CPUs, "20000 100000", max');
