// Calls to our /api with the App Bridge session token. Inside the Shopify admin, App Bridge (window.shopify)
// mints a fresh token per call; opened outside it (tests, a direct link) the id_token of the document URL is used.
export interface FieldErrors {
  [field: string]: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
  }
  get fieldErrors(): FieldErrors {
    return (this.body.fieldErrors as FieldErrors | undefined) ?? {};
  }
}

interface AppBridgeGlobal {
  idToken?: () => Promise<string>;
  toast?: { show: (message: string, opts?: { isError?: boolean }) => void };
}

export function appBridge(): AppBridgeGlobal | undefined {
  return (globalThis as { shopify?: AppBridgeGlobal }).shopify;
}

export async function sessionToken(): Promise<string> {
  const bridge = appBridge();
  if (bridge?.idToken) return bridge.idToken();
  return new URLSearchParams(globalThis.location?.search ?? '').get('id_token') ?? '';
}

export async function apiFetch(path: string, init: { method?: string; body?: unknown; contentType?: string } = {}): Promise<Response> {
  const headers: Record<string, string> = { authorization: `Bearer ${await sessionToken()}` };
  let body: string | undefined;
  if (typeof init.body === 'string') {
    body = init.body;
    headers['content-type'] = init.contentType ?? 'text/plain';
  } else if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers['content-type'] = 'application/json';
  }
  return fetch(path, { method: init.method ?? 'GET', headers, body });
}

const prefetched = new Map<string, Promise<Response>>();

/**
 * Starts a GET before React has rendered (main.tsx, for the landing page's first request): the answer is
 * handed to the first api() call for the same path. Saves the bundle-evaluation + first-render time.
 */
export function prefetch(path: string): void {
  if (!prefetched.has(path)) prefetched.set(path, apiFetch(path));
}

/** JSON call; a non-2xx answer throws ApiError with the server's message (and field errors, for 422). */
export async function api<T>(path: string, init: { method?: string; body?: unknown; contentType?: string; allow?: number[] } = {}): Promise<T> {
  const early = (init.method ?? 'GET') === 'GET' ? prefetched.get(path) : undefined;
  if (early) prefetched.delete(path);
  const res = await (early ?? apiFetch(path, init));
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    json = { message: text };
  }
  if (!res.ok && !(init.allow ?? []).includes(res.status)) {
    throw new ApiError(res.status, typeof json.message === 'string' ? json.message : `Request failed (${res.status})`, json);
  }
  return json as T;
}

/** Query string from defined, non-empty values (page 1 and filter "all" are left out: the server's defaults). */
export function queryString(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    if ((k === 'page' && v === 1) || (k === 'filter' && v === 'all')) continue;
    q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}
