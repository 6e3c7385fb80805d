import { describe, expect, it } from 'vitest';
import { pagerReducer, type PagerState } from './use-pager-state.js';

const measured: PagerState = pagerReducer({ offset: 0, viewport: 0, content: 0 }, { type: 'measure', viewport: 10, content: 35 });

describe('pagerReducer', () => {
  it('scrolls by line and by page, keeping a line of overlap, within the text', () => {
    expect(pagerReducer(measured, { type: 'scroll', by: 1 }).offset).toBe(1);
    expect(pagerReducer(measured, { type: 'scroll', by: -1 }).offset).toBe(0);
    expect(pagerReducer(measured, { type: 'page', by: 1 }).offset).toBe(9);
    expect(pagerReducer(measured, { type: 'bottom' }).offset).toBe(25);
    expect(pagerReducer({ ...measured, offset: 20 }, { type: 'top' }).offset).toBe(0);
    expect(pagerReducer(measured, { type: 'goto', line: 30 }).offset).toBe(25);
  });

  it('keeps the offset valid when the viewport or the text changes size', () => {
    const scrolled = { ...measured, offset: 25 };
    expect(pagerReducer(scrolled, { type: 'measure', viewport: 20, content: 35 }).offset).toBe(15);
    expect(pagerReducer(scrolled, { type: 'measure', viewport: 10, content: 35 })).toBe(scrolled);
    expect(pagerReducer(scrolled, { type: 'measure', viewport: 40, content: 35 }).offset).toBe(0);
  });
});
