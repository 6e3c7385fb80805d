import { describe, expect, it } from 'vitest';
import { namesExactly } from './named-tracer.js';

describe('a word of a trace line, matched exactly', () => {
  it('finds a pid, an id or a path however the learner printed it', () => {
    expect(namesExactly('oom victim pid=1234 comm=isolab-hog-ab12 cgroup=5678', 1234)).toBe(true);
    expect(namesExactly('attach 1234 sh /isolab/ebpf-hog', '/isolab/ebpf-hog')).toBe(true);
    expect(namesExactly('mkdir id=5678 path=/isolab/ebpf-hog', 5678n)).toBe(true);
    expect(namesExactly('victim: isolab-hog-ab12 (1234), cgroup 5678', 'isolab-hog-ab12')).toBe(true);
  });

  it('does not take a longer number, name or path for it', () => {
    expect(namesExactly('oom victim pid=12345', 1234)).toBe(false);
    expect(namesExactly('oom victim pid=91234', 1234)).toBe(false);
    expect(namesExactly('mkdir path=/isolab/ebpf-hog-verify-0a1b2c', '/isolab/ebpf-hog')).toBe(false);
    expect(namesExactly('mkdir path=/isolab/ebpf-hog/child', '/isolab/ebpf-hog')).toBe(false);
    expect(namesExactly('comm=isolab-hog-ab123', 'isolab-hog-ab12')).toBe(false);
  });
});
