import { describe, expect, it } from 'vitest';
import { homeRows, progressOf, startView, type ListEntry } from './course.js';

const entry = (id: string, short: string, status: ListEntry['status'], fastPath = false): ListEntry => ({
  id,
  short,
  track: id.split('/')[0]!,
  title: `Lesson ${short}`,
  minutes: 10,
  kind: 'state',
  fastPath,
  status,
  lockedReasons: [],
});

const entries = [entry('orientation/a', '0.1', 'done'), entry('orientation/b', '0.2', 'in-progress', true), entry('cgroups/c', '2.1', 'locked', true), entry('cgroups/d', '2.2', 'available')];
const lessons = entries.map((e) => ({ id: e.id, trackNumber: Number(e.short.split('.')[0]), trackTitle: e.track === 'cgroups' ? 'Cgroups' : 'Orientation' }));

describe('course', () => {
  it('groups lessons under their tracks, for the full course or the fast path', () => {
    expect(homeRows(entries, lessons, { mode: 'full', filter: '' }).map((row) => row.key)).toEqual([
      'track:orientation',
      'orientation/a',
      'orientation/b',
      'track:cgroups',
      'cgroups/c',
      'cgroups/d',
    ]);
    expect(homeRows(entries, lessons, { mode: 'fast', filter: '' }).map((row) => row.key)).toEqual(['track:orientation', 'orientation/b', 'track:cgroups', 'cgroups/c']);
  });

  it('filters by every word of the text, in ids, titles, kinds and track titles', () => {
    expect(homeRows(entries, lessons, { mode: 'full', filter: 'CGROUPS 2.2' }).map((row) => row.key)).toEqual(['track:cgroups', 'cgroups/d']);
    expect(homeRows(entries, lessons, { mode: 'full', filter: 'nothing' })).toEqual([]);
  });

  it('counts progress over the lessons of the chosen course, and what is locked here', () => {
    expect(progressOf(entries, 'full')).toEqual({ done: 1, total: 4, locked: 1, reachablePercent: 75, text: '1 of 4 lessons done (1 locked here: can reach 75%)' });
    expect(progressOf(entries, 'fast')).toEqual({ done: 0, total: 2, locked: 1, reachablePercent: 50, text: '0 of 2 lessons done (1 locked here: can reach 50%)' });
    expect(progressOf([entry('x/y', '0.1', 'done'), entry('x/z', '0.2', 'available')], 'full').text).toBe('1 of 2 lessons done');
  });

  it('opens an unfinished last lesson; after a finished one, the home screen at the next open lesson', () => {
    expect(startView(entries, 'orientation/b')).toEqual({ screen: 'lesson', lesson: 'orientation/b' });
    expect(startView(entries, 'orientation/a')).toEqual({ screen: 'home', cursor: 'orientation/b' });
    expect(startView(entries, undefined)).toEqual({ screen: 'home', cursor: 'orientation/b' });
    expect(startView([entry('x/y', '0.1', 'done')], 'x/y')).toEqual({ screen: 'home', cursor: 'x/y' });
  });
});
