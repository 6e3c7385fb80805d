import { afterEach, describe, expect, it } from 'vitest';
import { writeScenarioRecord } from '../../src/kit/index.js';
import { fixtureMachine, testCheckContext } from '../../test/helpers/check-context.js';
import checker from './06-runbook-enforcement.js';

const machines: Array<{ dispose(): void }> = [];
afterEach(() => machines.splice(0).forEach((machine) => machine.dispose()));

/** The diagnosis check `id` against a scenario whose program is 42 and whose wrong rule is cgroup 5283, inode 14. */
async function judge(id: 'enforcer-prog' | 'wrong-rule', answer: string | undefined) {
  const machine = fixtureMachine({ '/run/.keep': '' });
  machines.push(machine);
  const context = testCheckContext({ system: machine.system, lesson: { id: 'ebpf/runbook-enforcement', short: '5.6' } });
  machines.push(context);
  writeScenarioRecord(context, { 'enforcer-prog': '42', 'link-id': '7', 'map-id': '9', 'wrong-rule': '5283:14' });
  const check = checker.checks.find((candidate) => candidate.id === id)!;
  return check.run({ ...context, answers: answer === undefined ? {} : { [id]: answer } });
}

describe('5.6 diagnosis', () => {
  it('takes the program id as bpftool prints it', async () => {
    for (const answer of ['42', ' prog 42', '42: lsm  name isolab_enforcer']) expect((await judge('enforcer-prog', answer)).pass).toBe(true);
    expect((await judge('enforcer-prog', '7')).pass).toBe(false);
  });

  it('takes the wrong rule as two numbers, the formatted dump, or the key bytes in hex', async () => {
    const bytes = '0xa3 0x14 0x00 0x00 0x00 0x00 0x00 0x00 0x0e 0x00 0x00 0x00 0x00 0x00 0x00 0x00';
    for (const answer of ['5283 14', '{"cgroup": 5283, "inode": 14}', bytes, `["${bytes.split(' ').join('","')}"]`]) {
      expect((await judge('wrong-rule', answer)).pass, answer).toBe(true);
    }
    for (const answer of ['14 5283', '5283', '40 6']) expect((await judge('wrong-rule', answer)).pass, answer).toBe(false);
  });

  it('fails with a hint to record one when nothing is recorded', async () => {
    const outcome = await judge('wrong-rule', undefined);
    expect(outcome).toMatchObject({ pass: false, message: expect.stringContaining('no answer recorded') });
    expect(outcome.hint).toContain('isolab answer 5.6 wrong-rule');
  });
});
