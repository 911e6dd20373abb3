// The contract suite's target. Default: a fresh GreaterWMS simulator per test file, with a tenant registered
// through the ordinary POST /register/. With GREATERWMS_URL, GREATERWMS_TOKEN and GREATERWMS_OPERATOR set, the
// same tests run against that server (a real GreaterWMS 2.1.x): everything they create carries the run id
// (codes, SKUs, customers, suppliers, lookup values) and they only ever read or change their own documents.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { GreaterWmsClient, type GreaterWmsClientOptions } from '../../../server/adapters/greaterwms/greaterwms-client.js';
import { GreaterWmsWarehouse, type GreaterWmsWarehouseOptions } from '../../../server/adapters/greaterwms/greaterwms-adapter.js';
import { GreaterWmsHttp } from '../../../server/adapters/greaterwms/greaterwms-http.js';
import { TenantWriteLock } from '../../../server/adapters/greaterwms/tenant-write-lock.js';
import type { DnHeader, DnLine } from '../../../server/adapters/greaterwms/greaterwms-types.js';
import type { GreaterWmsSimulator } from '../../sim/greaterwms/index.js';

export interface ContractTarget {
  kind: 'simulator' | 'real';
  url: string;
  token: string;
  operator: number;
  /** Letters only, so the first digit run of our codes is the order number (back-order numbering). */
  runId: string;
  /** The simulator (control API, fault injection) when the target is one. */
  sim?: GreaterWmsSimulator;
  close(): Promise<void>;
}

export const REAL = Boolean(process.env.GREATERWMS_URL && process.env.GREATERWMS_TOKEN && process.env.GREATERWMS_OPERATOR);
/** For it.skipIf on features only the simulator has. */
export const SIM_ONLY_REASON = 'needs the simulator (a real GreaterWMS cannot be made to do this on demand)';

function letters(n: number): string {
  const a = 'abcdefghjkmnpqrtuvwxyz'; // no i/l/o/s: keeps "select"/"script" out of run ids
  return Array.from(randomBytes(n), (b) => a[b % a.length]).join('');
}

/**
 * First order number of a test file. GreaterWMS numbers a back order "DN" + (first digit run of the tenant's
 * newest dn_code + 1), so with fixed order numbers two runs on one tenant make back orders with the same code
 * (and picking by code then hits the other run's DN). A random 8-digit base per file, and steps of 10 between
 * orders, keep back-order codes unique across runs and files.
 */
export function orderNumberBase(): number {
  return 10_000_000 + randomBytes(4).readUInt32BE(0) % 8_000_000 * 10;
}

export async function openTarget(): Promise<ContractTarget> {
  const runId = letters(6);
  if (REAL) {
    return {
      kind: 'real',
      url: process.env.GREATERWMS_URL!,
      token: process.env.GREATERWMS_TOKEN!,
      operator: Number(process.env.GREATERWMS_OPERATOR),
      runId,
      close: async () => {},
    };
  }
  const { startGreaterWmsSimulator } = await import('../../sim/greaterwms/index.js');
  const sim = await startGreaterWmsSimulator();
  const res = await fetch(`${sim.url}/register/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: `contract_${runId}`, password1: 'Contract-pass1', password2: 'Contract-pass1' }),
  });
  const reg = (await res.json()) as { data: { openid: string; user_id: number } };
  return { kind: 'simulator', url: sim.url, token: reg.data.openid, operator: reg.data.user_id, runId, sim, close: () => sim.close() };
}

/** One lock per test file, shared by every client built here (like one process). */
const sharedLock = new TenantWriteLock();

export function clientFor(t: ContractTarget, opts: Partial<GreaterWmsClientOptions> = {}): GreaterWmsClient {
  return new GreaterWmsClient({
    baseUrl: t.url,
    token: t.token,
    operator: t.operator,
    timeoutMs: 10_000,
    lock: sharedLock,
    creater: `contract-${t.runId}`,
    // Namespaced lookup values: the suite never relies on (or changes) a tenant's own master data.
    goodsDefaults: {
      supplier: `Supplier ${t.runId}`,
      unit: `Unit ${t.runId}`,
      class: `Class ${t.runId}`,
      brand: `Brand ${t.runId}`,
      color: `Color ${t.runId}`,
      shape: `Shape ${t.runId}`,
      specs: `Specs ${t.runId}`,
      origin: `Origin ${t.runId}`,
    },
    ...opts,
  });
}

export function warehouseFor(
  t: ContractTarget,
  clientOpts: Partial<GreaterWmsClientOptions> = {},
  opts: Partial<GreaterWmsWarehouseOptions> = {},
): GreaterWmsWarehouse {
  return new GreaterWmsWarehouse({
    client: clientFor(t, clientOpts),
    orderCodePrefix: `CT${t.runId}-`,
    returnCodePrefix: `CR${t.runId}-`,
    returnsSupplierName: `Returns ${t.runId}`,
    sharedCustomerName: `Shared ${t.runId}`,
    ...opts,
  });
}

/** A PostgreSQL-backed lock as a separate process would have it. */
export function pgLock(): { lock: TenantWriteLock; close: () => Promise<void> } {
  const pool = new pg.Pool({ connectionString: inject('dbServerUrl'), max: 2 });
  return { lock: new TenantWriteLock(pool), close: () => pool.end() };
}

/** Raw GreaterWMS calls: what the warehouse staff (or a crashed earlier attempt) would do. */
export function rawFor(t: ContractTarget): GreaterWmsHttp {
  return new GreaterWmsHttp({ baseUrl: t.url, token: t.token, operator: t.operator, timeoutMs: 10_000 });
}

export async function dnHeaders(raw: GreaterWmsHttp, code: string): Promise<DnHeader[]> {
  return (await raw.listAll<DnHeader>('/dn/list/', { dn_code: code })).filter((h) => h.dn_code === code);
}

export async function dnLines(raw: GreaterWmsHttp, code: string): Promise<Record<string, number>> {
  const rows = (await raw.listAll<DnLine>('/dn/detail/', { dn_code: code })).filter((l) => l.dn_code === code);
  return Object.fromEntries(rows.map((l) => [l.goods_code, l.goods_qty]));
}

/** Warehouse staff: release one DN (never the tenant-wide POST /dn/orderrelease/). */
export async function release(raw: GreaterWmsHttp, id: number): Promise<void> {
  await raw.put(`/dn/orderrelease/${id}/`, {});
}

/** Warehouse staff: pick everything on the picking list (optionally short by `short` units on the first row). */
export async function pickAll(raw: GreaterWmsHttp, header: DnHeader, short = 0): Promise<void> {
  const list = await raw.get<{ goods_code: string; t_code: string; pick_qty: number }[]>(`/dn/pickinglist/${header.id}/`);
  await raw.post(`/dn/picked/${header.id}/`, {
    dn_code: header.dn_code,
    customer: header.customer,
    goodsData: list.map((r, i) => ({ goods_code: r.goods_code, t_code: r.t_code, pick_qty: i === 0 ? r.pick_qty - short : r.pick_qty })),
  });
}

export async function dispatch(raw: GreaterWmsHttp, header: DnHeader, driver: string): Promise<void> {
  await raw.post(`/dn/dispatch/${header.id}/`, { dn_code: header.dn_code, driver });
}
