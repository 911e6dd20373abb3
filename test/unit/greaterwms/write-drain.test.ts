// A write that timed out keeps running inside GreaterWMS. The tenant stays locked for writeDrainMs so the next
// writer's lookups see its result instead of racing it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { GreaterWmsClient } from '../../../server/adapters/greaterwms/greaterwms-client.js';
import { GreaterWmsTimeoutError } from '../../../server/adapters/greaterwms/greaterwms-errors.js';
import { TenantWriteLock } from '../../../server/adapters/greaterwms/tenant-write-lock.js';

let server: http.Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
});

async function run(writeDrainMs: number): Promise<string[]> {
  const events: string[] = [];
  server = http.createServer((req, res) => {
    if (req.method === 'POST') {
      // The slow server-side work we gave up on: it commits 1 s after arriving, long after our 300 ms timeout.
      // (Wide margins on both sides: the next writer's read comes at once without a drain, 2.5 s later with it.)
      events.push('slow write arrived');
      setTimeout(() => {
        events.push('slow write committed');
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      }, 1000);
      return;
    }
    events.push('next writer read');
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"count":0,"next":null,"previous":null,"results":[]}');
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  const opts = { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token: 't', operator: 1, timeoutMs: 300, writeDrainMs, lock: new TenantWriteLock() };
  const a = new GreaterWmsClient(opts);
  const b = new GreaterWmsClient(opts);
  const first = a.exclusive(() => a.http.post('/dn/orderrelease/', {})).catch((e: unknown) => e);
  const second = b.exclusive(() => b.http.get('/dn/list/'));
  expect(await first).toBeInstanceOf(GreaterWmsTimeoutError);
  await second;
  await new Promise((r) => setTimeout(r, 1200));
  return events;
}

describe('write drain after a timeout', () => {
  it('with the drain (2.5 s), the next writer starts after the abandoned write finished in GreaterWMS', async () => {
    expect(await run(2500)).toEqual(['slow write arrived', 'slow write committed', 'next writer read']);
  });
  it('without it (0), the next writer would read before that write committed — the race the drain prevents', async () => {
    expect(await run(0)).toEqual(['slow write arrived', 'next writer read', 'slow write committed']);
  });
});
