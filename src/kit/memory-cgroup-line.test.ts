import { describe, expect, it } from 'vitest';
import { memoryCgroupLine } from './memory-cgroup-line.js';

const hybrid = '12:pids:/user.slice\n7:cpu,memory:/isolab/side\n1:name=systemd:/user.slice\n0::/user.slice\n';

describe('memoryCgroupLine', () => {
  it('is the 0:: line on v2 and the memory line on v1, even shared with other controllers', () => {
    expect(memoryCgroupLine(hybrid, true)).toBe('0::/user.slice');
    expect(memoryCgroupLine(hybrid, false)).toBe('7:cpu,memory:/isolab/side');
  });

  it('is no line where memory has none', () => {
    expect(memoryCgroupLine('12:pids:/\n', false)).toBeUndefined();
  });
});
