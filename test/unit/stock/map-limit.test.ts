// mapLimit (server/core/map-limit.ts) runs the stock cycle's concurrent lookups and push batches.
import { describe, expect, it } from 'vitest';
import { mapLimit } from '../../../server/core/map-limit.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('mapLimit', () => {
  it('keeps at most `limit` calls in flight and returns results in input order', async () => {
    let inFlight = 0;
    let max = 0;
    const out = await mapLimit([30, 5, 20, 1, 10, 2, 8], 3, async (ms, i) => {
      max = Math.max(max, ++inFlight);
      await tick(ms);
      inFlight--;
      return i * 10;
    });
    expect(out).toEqual([0, 10, 20, 30, 40, 50, 60]);
    expect(max).toBe(3);
  });

  it('on a failure starts nothing new, waits for the calls already running, then rethrows the first error', async () => {
    const finished: number[] = [];
    const started: number[] = [];
    const run = mapLimit([0, 1, 2, 3, 4], 2, async (i) => {
      started.push(i);
      if (i === 0) throw new Error('boom');
      await tick(30);
      finished.push(i);
    });
    await expect(run).rejects.toThrow('boom');
    expect(finished).toEqual([1]); // the running call was awaited, not abandoned
    expect(started).toEqual([0, 1]);
  });
});
