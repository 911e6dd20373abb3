// Second fidelity check: the 98 curl calls of greaterwms-transcript.md (an independent recording against a
// real GreaterWMS 2.1.50, covering back orders, returns, PUT move-to-bin, cancels, stock bins) replayed in order
// against a fresh simulator with the same comparator as trace A. Bodies the transcript truncated are compared
// on status and content type only.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGreaterWmsSimulator, type GreaterWmsSimulator } from '../sim/greaterwms/index.js';
import { replayTrace, TRUNCATED_BODY, type StepResult, type TraceStep } from '../sim/greaterwms/replay.js';
import { loadTranscript } from '../sim/greaterwms/transcript.js';

const FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'sim', 'greaterwms', 'fixtures', 'greaterwms-transcript.md');
const transcript = loadTranscript(FILE);

describe('GreaterWMS transcript replay (98 real curl calls)', () => {
  let sim: GreaterWmsSimulator;
  let results: StepResult[];
  beforeAll(async () => {
    sim = await startGreaterWmsSimulator();
    results = await replayTrace(transcript, sim.url);
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('parses every curl call of the transcript, and only one body is too truncated to compare', () => {
    expect(transcript.steps).toHaveLength(98);
    expect(transcript.steps.filter((s) => s.response.body === TRUNCATED_BODY)).toHaveLength(1);
    expect(transcript.steps.filter((s) => s.response.status === 500)).toHaveLength(2);
  });

  it.each(transcript.steps.map((s) => [s.step, s.request.method, s.request.path, s.note] as const))('call %i %s %s (%s)', (step) => {
    expect(results.find((r) => r.step === step)!.mismatches).toEqual([]);
  });

  it('an altered copy of one recorded answer (back-order stock 2 -> 3) is reported', async () => {
    const target = transcript.steps.find((s) => s.request.path === '/stock/list/?goods_code=SHOP-SKU-002' && JSON.stringify(s.response.body).includes('"back_order_stock":2'))!;
    const sim2 = await startGreaterWmsSimulator();
    try {
      const alter = (s: TraceStep): TraceStep => {
        if (s.step !== target.step) return s;
        const c = structuredClone(s);
        (c.response.body as { results: { back_order_stock: number }[] }).results[0]!.back_order_stock = 3;
        return c;
      };
      const res = await replayTrace(transcript, sim2.url, alter);
      expect(res.filter((r) => r.mismatches.length > 0).map((r) => [r.step, r.mismatches])).toEqual([
        [target.step, ['body.results[0].back_order_stock: expected 3, got 2']],
      ]);
    } finally {
      await sim2.close();
    }
  });
});
