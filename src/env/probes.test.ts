import { describe, expect, it } from 'vitest';
import { programTypesOf } from './probes.js';

describe("bpftool's feature probe, read", () => {
  it('names each program type by the word between have_ and _prog_type', () => {
    const json = JSON.stringify({
      system_config: { unprivileged_bpf_disabled: 2 },
      program_types: { have_kprobe_prog_type: true, have_tracing_prog_type: false, have_lsm_prog_type: false, have_raw_tracepoint_writable_prog_type: true },
      map_types: { have_hash_map_type: true },
    });
    expect(programTypesOf(json)).toEqual({ kprobe: true, tracing: false, lsm: false, raw_tracepoint_writable: true });
  });

  it('is null for output that is not the probe: not JSON, no program types, none it can read', () => {
    expect(programTypesOf('Error: bpftool: command not found')).toBeNull();
    expect(programTypesOf('{"map_types": {}}')).toBeNull();
    expect(programTypesOf('{"program_types": {"lsm": "yes"}}')).toBeNull();
    expect(programTypesOf('null')).toBeNull();
  });
});
