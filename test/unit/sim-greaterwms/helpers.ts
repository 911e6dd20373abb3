// Tiny HTTP helper for the simulator's unit tests: raw status / content type / parsed body, no client logic.
import { startGreaterWmsSimulator, type GreaterWmsSimulator, type SimulatorOptions, type TenantInfo } from '../../sim/greaterwms/index.js';

export interface Answer {
  status: number;
  contentType: string;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- assertions read arbitrary JSON
  text: string;
}

export interface Gw {
  sim: GreaterWmsSimulator;
  tenant: TenantInfo;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Answer>;
  get(path: string, headers?: Record<string, string>): Promise<Answer>;
  post(path: string, body?: unknown, headers?: Record<string, string>): Promise<Answer>;
  put(path: string, body?: unknown, headers?: Record<string, string>): Promise<Answer>;
  del(path: string, headers?: Record<string, string>): Promise<Answer>;
}

export async function request(url: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(url + path, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body !== undefined ? JSON.stringify(body) : undefined,
    redirect: 'manual',
  });
  const text = await res.text();
  const contentType = res.headers.get('content-type') ?? '';
  let parsed: unknown = text;
  if (contentType.startsWith('application/json')) parsed = JSON.parse(text);
  return { status: res.status, contentType, body: parsed, text };
}

/** A fresh simulator with one registered tenant; `call` sends its token and operator unless overridden. */
export async function startGw(opts: SimulatorOptions = {}): Promise<Gw> {
  const sim = await startGreaterWmsSimulator(opts);
  const tenant = sim.control.createTenant({ name: 'unit_admin' });
  const auth = { token: tenant.token, operator: String(tenant.operator) };
  const call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    request(sim.url, method, path, body, { ...auth, ...(headers ?? {}) });
  return {
    sim,
    tenant,
    call,
    get: (p, h) => call('GET', p, undefined, h),
    post: (p, b, h) => call('POST', p, b ?? {}, h),
    put: (p, b, h) => call('PUT', p, b ?? {}, h),
    del: (p, h) => call('DELETE', p, undefined, h),
  };
}

export const GOODS_BASE = {
  goods_desc: 'Plain tee',
  goods_supplier: 'Supplier Name-1',
  goods_weight: 250,
  goods_w: 300,
  goods_d: 200,
  goods_h: 20,
  unit_volume: 0,
  goods_unit: 'Box',
  goods_class: 'Baby',
  goods_brand: 'Brand Name-1',
  goods_color: 'Blue',
  goods_shape: 'Cone',
  goods_specs: '1 x 10',
  goods_origin: 'beijing',
  goods_cost: 5.5,
  goods_price: 19.9,
  creater: 'unit',
  bar_code: 'x',
};

export const CUSTOMER = {
  customer_name: 'Jane Unit',
  customer_city: 'Shanghai',
  customer_address: '1 Unit Road',
  customer_contact: '1380000',
  customer_manager: 'M',
  customer_level: 1,
  creater: 'unit',
};

export async function createGoods(gw: Gw, code: string, extra: Record<string, unknown> = {}): Promise<Answer> {
  const r = await gw.post('/goods/', { ...GOODS_BASE, goods_code: code, ...extra });
  return r;
}

/** Goods + customer "Jane Unit" + `stock` units received into A010101 (a real ASN flow). */
export async function seedGoods(gw: Gw, code: string, stock: number, bin = 'A010101'): Promise<void> {
  const g = await createGoods(gw, code);
  if (g.body.goods_code !== code) throw new Error(`goods create failed: ${g.text}`);
  if (stock > 0) gw.sim.control.stockIn(gw.tenant.token, code, stock, { bin });
}

export async function ensureCustomer(gw: Gw): Promise<void> {
  const r = await gw.post('/customer/', CUSTOMER);
  if (r.body.customer_name !== CUSTOMER.customer_name && r.body.detail !== 'Data exists') throw new Error(r.text);
}

/** Creates a DN with lines (status 1) and returns its id. */
export async function createDn(gw: Gw, code: string, lines: [string, number][]): Promise<number> {
  await ensureCustomer(gw);
  const h = await gw.post(`/dn/list/?custom_dn=${encodeURIComponent(code)}`, { creater: `shop:${code}` });
  const d = await gw.post('/dn/detail/', {
    dn_code: code,
    customer: CUSTOMER.customer_name,
    goods_code: lines.map((l) => l[0]),
    goods_qty: lines.map((l) => l[1]),
  });
  if (d.body.detail !== 'success') throw new Error(d.text);
  return h.body.id as number;
}

export async function stockRow(gw: Gw, code: string): Promise<Record<string, number> | undefined> {
  const r = await gw.get(`/stock/list/?goods_code=${encodeURIComponent(code)}`);
  return r.body.results[0];
}
