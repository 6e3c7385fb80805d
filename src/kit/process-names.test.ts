import { afterAll, describe, expect, it } from 'vitest';
import { fixtureMachine } from '../../test/helpers/check-context.js';
import { describeProcesses, processName } from './process-names.js';

// A lab process named by exec -a, a kernel thread (no command line), and pids 1 and 99 that are not there.
const machine = fixtureMachine({ 'proc/412/cmdline': 'isolab-ctr-app\x002147483647\x00', 'proc/412/comm': 'sleep\n', 'proc/2/cmdline': '', 'proc/2/comm': 'kthreadd\n' });
afterAll(() => machine.dispose());

describe('process names for a message', () => {
  it('names a process by its argv[0], a kernel thread by its comm, and a gone one by ?', () => {
    expect([processName(machine, 412), processName(machine, 2), processName(machine, 99)]).toEqual(['isolab-ctr-app', 'kthreadd', '?']);
  });

  it('counts them all and names the first three', () => {
    expect(describeProcesses(machine, [412])).toBe('1 process (pid 412 isolab-ctr-app)');
    expect(describeProcesses(machine, [412, 2, 1, 99])).toBe('4 processes (pid 412 isolab-ctr-app, 2 kthreadd, 1 ?, …)');
  });
});
