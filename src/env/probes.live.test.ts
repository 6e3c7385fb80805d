// bpftool's feature probe on this machine, and the answer kept for the boot. Needs root and bpftool.
import { execaSync } from 'execa';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { findOnPath } from './tools.js';
import { liveProbes, programTypesCacheFile, programTypesOf } from './probes.js';

const bpftool = findOnPath('bpftool', process.env);
const reason = process.geteuid?.() !== 0 ? 'needs root' : !bpftool ? 'needs bpftool' : '';
const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();

describe.skipIf(reason !== '')(`the BPF program types probe (live${reason ? `: skipped, ${reason}` : ''})`, () => {
  const probes = liveProbes(process.env);
  const bpftoolSays = () => programTypesOf(execaSync(bpftool!, ['-j', 'feature', 'probe', 'kernel']).stdout);
  afterAll(() => rmSync(programTypesCacheFile, { force: true }));

  it("answers as bpftool does, and keeps the answer for this boot", async () => {
    const types = await probes.bpfProgramTypes({ fresh: true });
    expect(types).toEqual(bpftoolSays());
    expect(typeof types?.lsm).toBe('boolean');
    expect(JSON.parse(readFileSync(programTypesCacheFile, 'utf8'))).toEqual({ boot, types });
  });

  it("serves this boot's kept answer without bpftool, and asks bpftool where asked afresh or the answer is another boot's", async () => {
    const kept = { lsm: true, kept_for_the_test: true };
    writeFileSync(programTypesCacheFile, JSON.stringify({ boot, types: kept }));
    expect(await probes.bpfProgramTypes({ fresh: false })).toEqual(kept);
    expect(await probes.bpfProgramTypes({ fresh: true })).toEqual(bpftoolSays());
    writeFileSync(programTypesCacheFile, JSON.stringify({ boot: 'another-boot', types: kept }));
    expect(await probes.bpfProgramTypes({ fresh: false })).toEqual(bpftoolSays());
    writeFileSync(programTypesCacheFile, 'not json');
    expect(await probes.bpfProgramTypes({ fresh: false })).toEqual(bpftoolSays());
  });
});
