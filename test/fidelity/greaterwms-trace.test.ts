// Fidelity gate (issue 10): the simulator must answer all 165 calls recorded from a real GreaterWMS 2.1.50
// exactly like the real server, after normalising only the trace's declared volatile fields. A mismatch is a
// simulator bug: fix test/sim/greaterwms, never the trace or the comparison.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGreaterWmsSimulator, type GreaterWmsSimulator } from '../sim/greaterwms/index.js';
import { loadTrace, replayTrace, type StepResult, type TraceStep } from '../sim/greaterwms/replay.js';

const TRACE_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'greaterwms', 'trace-a.jsonl');
const trace = loadTrace(TRACE_FILE);

describe('GreaterWMS trace A replay (165 real calls)', () => {
  let sim: GreaterWmsSimulator;
  let results: StepResult[];

  beforeAll(async () => {
    sim = await startGreaterWmsSimulator();
    results = await replayTrace(trace, sim.url);
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('the fixture is the full recorded trace', () => {
    expect(trace.header.server).toBe('GreaterWMS 2.1.50');
    expect(trace.steps).toHaveLength(165);
    expect(trace.steps.map((s) => s.step)).toEqual(Array.from({ length: 165 }, (_, i) => i + 1));
  });

  it.each(trace.steps.map((s) => [s.step, s.request.method, s.request.path, s.note] as const))(
    'step %i %s %s — %s',
    (step) => {
      const r = results.find((x) => x.step === step)!;
      expect(r.mismatches, `step ${step} mismatches`).toEqual([]);
    },
  );

  it('every stock snapshot in the trace (GET /stock/list/) matches, and the replay matched N/165 overall', () => {
    const stockSteps = results.filter((r) => r.path.startsWith('/stock/list/'));
    expect(stockSteps.length).toBeGreaterThan(40);
    expect(stockSteps.filter((r) => r.mismatches.length > 0)).toEqual([]);
    const matching = results.filter((r) => r.mismatches.length === 0).length;
    console.log(`GreaterWMS trace A replay: ${matching}/${results.length} calls match; ${stockSteps.length} stock snapshots compared`);
    expect(matching).toBe(165);
  });
});

describe('the replay gate can fail', () => {
  let sim: GreaterWmsSimulator;
  afterAll(async () => {
    await sim?.close();
  });

  it('a deliberately altered copy of one recorded answer (can_order_stock 7 -> 8 at step 93) is reported, and only that', async () => {
    sim = await startGreaterWmsSimulator();
    const alter = (s: TraceStep): TraceStep => {
      if (s.step !== 93) return s;
      const copy = structuredClone(s);
      (copy.response.body as { results: { can_order_stock: number }[] }).results[0]!.can_order_stock = 8;
      return copy;
    };
    const results = await replayTrace(trace, sim.url, alter);
    const failing = results.filter((r) => r.mismatches.length > 0);
    expect(failing.map((r) => r.step)).toEqual([93]);
    expect(failing[0]!.mismatches).toEqual(['body.results[0].can_order_stock: expected 8, got 7']);
    await sim.close();
  });

  it('a simulator answer changed by a test-only hook (one stock row, one DN status code text) is reported', async () => {
    sim = await startGreaterWmsSimulator();
    let tampered = 0;
    sim.control.setResponseHook((info, res) => {
      // Change the 3rd answer to GET /stock/list/?goods_code=SKU-A2 and every "This DN Status Not Picked".
      const body = res.body as Record<string, unknown>;
      if (info.path === '/stock/list/' && info.rawQuery === 'goods_code=SKU-A2' && ++tampered === 3) {
        const rows = body.results as Record<string, number>[];
        return { ...res, body: { ...body, results: [{ ...rows[0], pre_load_stock: 7 }] } };
      }
      if (body && body.detail === 'This DN Status Not Picked') return { ...res, body: { ...body, detail: 'This DN Status Is Not Picked' } };
      return res;
    });
    const results = await replayTrace(trace, sim.url);
    const failing = results.filter((r) => r.mismatches.length > 0);
    expect(failing.map((r) => r.step)).toEqual([35, 101]);
    expect(failing[0]!.mismatches).toEqual(['body.results[0].pre_load_stock: expected 8, got 7']);
    expect(failing[1]!.mismatches[0]).toContain('This DN Status Not Picked');
  });

  it('an inconsistent volatile code is reported: the same trace t_code must always map to the same simulator value', async () => {
    sim = await startGreaterWmsSimulator();
    sim.control.setResponseHook((info, res) => {
      // The second picking-list read (step 107) hands out different t_codes than the first (step 100).
      if (info.path === '/dn/pickinglist/1/' && Array.isArray(res.body) && (res.body as { picking_status: number }[])[0]?.picking_status === 1)
        return { ...res, body: (res.body as Record<string, unknown>[]).map((r) => ({ ...r, t_code: 'f'.repeat(32) })) };
      return res;
    });
    const results = await replayTrace(trace, sim.url);
    const failing = results.filter((r) => r.mismatches.length > 0);
    expect(failing.map((r) => r.step)).toEqual([107]);
    expect(failing[0]!.mismatches.join('\n')).toMatch(/inconsistent volatile value/);
  });
});
