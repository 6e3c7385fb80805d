import { describe, expect, it } from 'vitest';
import { answerStates, judgedAnswer } from './answers.js';

describe('answerStates', () => {
  const keys = ['release', 'mode', 'pid1', 'mnt'];

  it('proves an answer only by a check that passed with that very answer', () => {
    const answers = { release: '6.1.0', mode: 'v9', pid1: 'init' };
    const lastRun = [
      { id: 'release', status: 'pass', answer: '6.1.0' },
      { id: 'mode', status: 'fail', answer: 'v9' },
      // Judged an earlier answer: says nothing about the one recorded since.
      { id: 'pid1', status: 'pass', answer: 'systemd' },
    ];
    expect(answerStates(keys, answers, lastRun)).toEqual({ release: 'proved', mode: 'wrong', pid1: 'recorded', mnt: 'missing' });
  });

  it('takes the evidence of a recorded pass for the answer it judged, and nothing before a run', () => {
    const answers = { release: '6.1.0', mode: 'hybrid' };
    const evidence = { release: { answer: '6.1.0', truth: '6.1.0' }, mode: { answer: 'v1', truth: 'v1' } };
    expect(answerStates(keys, answers, [], evidence)).toEqual({ release: 'proved', mode: 'recorded', pid1: 'missing', mnt: 'missing' });
    // A wrong answer, recorded and never verified, is only recorded: never a ✓.
    expect(answerStates(['mode'], { mode: 'v9' }, [])).toEqual({ mode: 'recorded' });
  });

  it("reads the judged answer from a quiz check's observation", () => {
    expect(judgedAnswer({ answer: 'x', truth: 'x' })).toBe('x');
    expect(judgedAnswer({ answer: null })).toBeNull();
    expect(judgedAnswer({ inode: 4 })).toBeUndefined();
    expect(judgedAnswer(null)).toBeUndefined();
  });
});
