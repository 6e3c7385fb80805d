import { describe, expect, it } from 'vitest';
import { longestResumedPause, parseHeartbeat } from './heartbeat.js';

describe('the heartbeat log of lesson 3.4', () => {
  it('splits runs at each started line and keeps only times', () => {
    const runs = parseHeartbeat('started\n100\n101\nsh: oops\n102\nstarted\n200\n');
    expect(runs).toEqual([{ beats: [100, 101, 102] }, { beats: [200] }]);
  });

  it('ignores times before the first started line and an empty log', () => {
    expect(parseHeartbeat('99\n')).toEqual([]);
    expect(parseHeartbeat('')).toEqual([]);
  });

  it('measures a pause as the widest gap between two beats of one run', () => {
    expect(longestResumedPause({ beats: [100, 101, 102, 103] })).toBe(1);
    expect(longestResumedPause({ beats: [100, 101, 113, 114] })).toBe(12);
    // A gap at the end is not a pause that was resumed: nothing beat after it.
    expect(longestResumedPause({ beats: [100] })).toBe(0);
  });
});
