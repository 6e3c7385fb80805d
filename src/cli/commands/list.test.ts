import chalk from 'chalk';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ListDocument, ListEntry } from '../../report/index.js';
import { formatList } from './list.js';

const entry = (short: string, status: ListEntry['status'], fields: Partial<ListEntry> = {}): ListEntry => ({
  id: `cgroups/l${short.replace('.', '')}`,
  short,
  track: 'cgroups',
  title: `Lesson ${short}`,
  minutes: 10,
  kind: 'state',
  fastPath: true,
  status,
  lockedReasons: status === 'locked' ? ['needs cgroup v2'] : [],
  ...fields,
});
const tracks = (document: ListDocument) => document.lessons.map((lesson) => ({ id: lesson.id, trackTitle: 'Cgroups', trackNumber: 2 }));

beforeAll(() => {
  chalk.level = 0;
});

describe('isolab list', () => {
  it('shows both facts for a lesson done earlier whose last verify failed', () => {
    const document: ListDocument = {
      version: 1,
      lessons: [entry('2.1', 'done', { lastVerify: { status: 'fail', at: 't', passed: 0, total: 4 } }), entry('2.2', 'done', { lastVerify: { status: 'pass', at: 't' } })],
    };
    const text = formatList(document, tracks(document));
    expect(text).toContain('2.1   Lesson 2.1 ★  10 min  ✓ done earlier · ✗ last verify failed (0 of 4)');
    expect(text).toMatch(/2\.2   Lesson 2\.2 ★  10 min  ✓ done$/m);
  });

  it('says how far the course and the fast path can go when lessons are locked here', () => {
    const document: ListDocument = {
      version: 1,
      lessons: [entry('2.1', 'done'), entry('2.2', 'locked'), entry('2.3', 'available', { fastPath: false }), entry('2.4', 'locked')],
    };
    const text = formatList(document, tracks(document));
    expect(text).toContain('1 of 4 lessons done (2 locked here: can reach 50%).');
    expect(text).toContain('Fast path ★: 1 of 3 lessons done (2 locked here: can reach 33%).');
  });
});
