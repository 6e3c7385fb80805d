// The loader on this kernel, end to end with a program every BPF kernel loads (a tracepoint): a global set, a map
// entry put, the link and the map pinned under /sys/fs/bpf/isolab…, asked what the link is, and removed again.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { liveSystem } from '../system/index.js';
import { testCheckContext } from '../../test/helpers/check-context.js';
import { bpfLinks, bpfLinkTarget, bpfPinsIn, mustCompileBpf, mustLoadBpf, withBpfBuildDir } from './bpf-object.js';
import { removeBpfPins } from './bpf-pins.js';

const pinDir = '/sys/fs/bpf/isolab-kit-test';
const ready =
  process.getuid?.() === 0 &&
  existsSync('/sys/kernel/btf/vmlinux') &&
  existsSync('/sys/kernel/tracing/events/syscalls/sys_enter_getppid') &&
  existsSync('/usr/include/bpf/libbpf.h') &&
  existsSync('/usr/bin/clang');

const program = `#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} isolab_counts SEC(".maps");

const volatile __u32 isolab_key = 0;

SEC("tracepoint/syscalls/sys_enter_getppid")
int isolab_kit_test(void *ctx)
{
	__u32 key = isolab_key;
	__u64 *count = bpf_map_lookup_elem(&isolab_counts, &key);
	if (count)
		__sync_fetch_and_add(count, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
`;

const cache = mkdtempSync(join(tmpdir(), 'isolab-bpf-cache-'));
const context = testCheckContext({ system: liveSystem({ ...process.env, ISOLAB_BPF_CACHE: cache }) });
afterAll(() => {
  removeBpfPins(context, basename(pinDir));
  context.dispose();
  rmSync(cache, { recursive: true, force: true });
});

describe.skipIf(!ready)('isolab-bpf-load on this kernel', () => {
  it('sets a global, puts a map entry, pins the link and the map, and leaves nothing once the pins are removed', async () => {
    removeBpfPins(context, basename(pinDir));
    await withBpfBuildDir(async (dir) => {
      const source = join(dir, 'kit.bpf.c');
      writeFileSync(source, program);
      await mustCompileBpf(context, source, join(dir, 'kit.bpf.o'));
      const key = new Uint8Array([7, 0, 0, 0]);
      const loaded = await mustLoadBpf(context, join(dir, 'kit.bpf.o'), pinDir, { isolab_key: 7 }, [{ map: 'isolab_counts', key, value: new Uint8Array(8) }]);
      expect(loaded.links).toEqual([expect.objectContaining({ prog: 'isolab_kit_test', pinned: `${pinDir}/isolab_kit_test` })]);
      expect(loaded.maps).toEqual([expect.objectContaining({ name: 'isolab_counts', pinned: `${pinDir}/isolab_counts` })]);
      expect(bpfPinsIn(context, pinDir)).toEqual([`${pinDir}/isolab_counts`, `${pinDir}/isolab_kit_test`]);

      // The program runs with the global the loader set: a shell's start calls getppid (for $PPID), counted under key 7.
      await context.exec('sh', ['-c', 'echo $PPID']);
      const dump = await context.exec('bpftool', ['-j', 'map', 'dump', 'pinned', `${pinDir}/isolab_counts`]);
      const entries = JSON.parse(dump.stdout) as { key: string[]; value: string[] }[];
      expect(entries.map((entry) => entry.key.map(Number))).toEqual([[7, 0, 0, 0]]);
      expect(entries[0]!.value.map(Number).some((byte) => byte > 0)).toBe(true);

      const link = await bpfLinkTarget(context, `${pinDir}/isolab_kit_test`);
      expect(link).toMatchObject({ id: loaded.links[0]!.id, prog: 'isolab_kit_test' });
      expect((await bpfLinks(context)).map((entry) => entry.id)).toContain(link.id);

      // A second load into a directory that holds pins is refused, and changes nothing.
      const loader = readdirSync(cache).find((name) => name.startsWith('isolab-bpf-load-'))!;
      const again = await context.exec(join(cache, loader), [join(dir, 'kit.bpf.o'), pinDir]);
      expect(again.exitCode).toBe(3);
      expect(again.stderr).toContain('It already holds pins');
      expect(bpfPinsIn(context, pinDir)).toHaveLength(2);

      removeBpfPins(context, basename(pinDir));
      expect(existsSync(pinDir)).toBe(false);
      expect((await bpfLinks(context)).map((entry) => entry.id)).not.toContain(link.id);
    });
  }, 120_000);
});
