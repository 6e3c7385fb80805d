import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureMachine, testCheckContext, type TestCheckContext } from '../../test/helpers/check-context.js';
import { readScenarioRecord, removeScenarioRecord, writeScenarioRecord } from './scenario-record.js';

let machine: ReturnType<typeof fixtureMachine>;
let context: TestCheckContext;
afterEach(() => {
  context.dispose();
  machine.dispose();
});

function scenario(): TestCheckContext {
  machine = fixtureMachine({});
  return (context = testCheckContext({ system: machine.system, lesson: { id: 'sandboxes/runbook', short: '4.4' } }));
}

describe('scenario records', () => {
  it('holds the facts setup recorded, and only those', () => {
    writeScenarioRecord(scenario(), { 'blocking-pid': '4242', 'blocking-cgroup': 'isolab/rb4/job-1a2b' });
    const record = readScenarioRecord(context);
    expect(record?.holds('blocking-pid', '4242')).toBe(true);
    expect(record?.holds('blocking-cgroup', 'isolab/rb4/job-1a2b')).toBe(true);
    expect(record?.holds('blocking-pid', '1')).toBe(false);
    expect(record?.holds('blocking-cgroup', '4242')).toBe(false);
    expect(record?.holds('no-such-fact', '4242')).toBe(false);
  });

  it('keeps no fact in the clear, under /run/isolab', () => {
    writeScenarioRecord(scenario(), { 'blocking-pid': '4242', 'blocking-cgroup': 'isolab/rb4/job-1a2b' });
    const [file] = readdirSync(join(machine.dir, 'run/isolab'));
    const text = readFileSync(join(machine.dir, 'run/isolab', file!), 'utf8');
    expect(text).not.toMatch(/4242|job-1a2b/);
  });

  it('salts each record: the same facts give other digests on another start', () => {
    writeScenarioRecord(scenario(), { 'blocking-pid': '4242' });
    const path = join(machine.dir, 'run/isolab', readdirSync(join(machine.dir, 'run/isolab'))[0]!);
    const first = readFileSync(path, 'utf8');
    writeScenarioRecord(context, { 'blocking-pid': '4242' });
    expect(readFileSync(path, 'utf8')).not.toBe(first);
    expect(readScenarioRecord(context)?.holds('blocking-pid', '4242')).toBe(true);
  });

  it('is gone once removed, with /run/isolab when nothing else is in it', () => {
    writeScenarioRecord(scenario(), { 'blocking-pid': '4242' });
    removeScenarioRecord(context);
    expect(readScenarioRecord(context)).toBeUndefined();
    expect(existsSync(join(machine.dir, 'run/isolab'))).toBe(false);
    removeScenarioRecord(context);
  });
});
