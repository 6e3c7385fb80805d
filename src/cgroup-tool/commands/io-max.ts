import { parseIoMax } from '../../cgroup/index.js';
import type { ToolCommand } from '../tool.js';
import { applyLimits } from './limits.js';

export const ioMax: ToolCommand = {
  name: 'io-max',
  usage: 'io-max <cgroup> <major:minor> rbps=… wbps=… riops=… wiops=… [--force]',
  operands: 'cgroup name, device…',
  summary: 'limit I/O on one block device (lsblk shows major:minor)',
  example: 'cgroup-tool io-max isolab/lab 7:0 wbps=1M',
  async run(context) {
    const [cgroup, ...device] = context.positionals as [string, ...string[]];
    return applyLimits(context, cgroup, [parseIoMax(device.join(' '))]);
  },
};
