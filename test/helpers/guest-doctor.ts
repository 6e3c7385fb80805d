// What every lane's doctor test starts with: `isolab doctor --json` inside the qemu guest, which must succeed
// and see the VM it runs in (node:test's assert: lane tests run in the guest without vitest).
import assert from 'node:assert/strict';
import { isolabBin } from './cli.js';
import { runSync } from './run.js';

// The doctor document, as src/schemas/doctor.schema.json describes it; the lane tests read it field by field.
export function doctorInQemuGuest(): any {
  const run = runSync(process.execPath, [isolabBin, 'doctor', '--json'], { env: { ISOLAB_HOME: '/tmp/isolab-home' } });
  assert.equal(run.status, 0, run.stderr);
  const report = JSON.parse(run.stdout);
  assert.equal(report.environment.kind, 'vm');
  assert.equal(report.environment.vm, 'qemu');
  return report;
}
