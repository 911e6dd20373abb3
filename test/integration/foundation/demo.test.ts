// The README's promise: `npm run demo` shows orders going all the way through (webhook → DN → dispatch →
// fulfilment with tracking) with the real app process and both simulators.
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { spawnTs } from '../../helpers/process.js';

describe('npm run demo', () => {
  const database = `wms_demo_test_${process.pid}`;
  afterAll(async () => {
    const c = new pg.Client({ connectionString: inject('dbServerUrl') });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await c.end();
  });

  it('three orders reach fulfilled in the Shopify simulator with DHL tracking, one DN each', async () => {
    const demo = spawnTs('scripts/demo.ts', ['--once', '--database', database], { DATABASE_URL: inject('dbServerUrl') });
    const { code } = await demo.exited;
    const out = demo.output();
    expect(code, out).toBe(0);
    for (const name of ['#1001', '#1002', '#1003']) {
      expect(out).toMatch(new RegExp(`order ${name} fulfilled in Shopify: DHL Express \\d+ https://www\\.dhl\\.com/track\\?tracking-id=\\d+`));
    }
    expect(out).toMatch(/done: 3 orders, 3 DNs in GreaterWMS, 3 fulfilments in Shopify/);
  }, 120_000);
});
