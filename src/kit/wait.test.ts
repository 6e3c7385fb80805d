import { describe, expect, it } from 'vitest';
import { waitFor, waitUntil } from './wait.js';

const running = () => ({ signal: new AbortController().signal });

describe('waitFor', () => {
  it('returns the first value the probe gives', async () => {
    let calls = 0;
    await expect(waitFor(running(), 'the third call', () => (++calls === 3 ? 'ready' : undefined))).resolves.toBe('ready');
  });

  it('names what did not happen when the time is up', async () => {
    await expect(waitFor(running(), 'the marker', () => undefined, 120)).rejects.toThrow('the marker did not happen within 0.12 s');
  });

  it('stops when the check is stopped', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 60);
    const started = Date.now();
    await expect(waitFor({ signal: controller.signal }, 'the marker', () => undefined, 10_000)).rejects.toThrow('the check was stopped');
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('waitUntil', () => {
  it('says whether the condition came to hold in time', async () => {
    let calls = 0;
    await expect(waitUntil(running(), async () => ++calls > 1)).resolves.toBe(true);
    await expect(waitUntil(running(), () => false, 100)).resolves.toBe(false);
  });
});
