// jsdom lacks what Polaris calls at render: matchMedia (breakpoints), and the observers some components use.
import { vi } from 'vitest';
import { configure } from '@testing-library/react';

// findBy*/waitFor give up after 1 s by default; a first Polaris render in jsdom took longer than that while the
// browser tests ran beside it on 2 cores (a false failure). 5 s still fails fast on a real miss.
configure({ asyncUtilTimeout: 5_000 });

if (!window.matchMedia) {
  window.matchMedia = ((query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => {},
    removeListener: () => {},
    addEventListener: () => {},
    removeEventListener: () => {},
    dispatchEvent: () => false,
  })) as unknown as typeof window.matchMedia;
}
class NoopObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
  takeRecords() {
    return [];
  }
}
globalThis.ResizeObserver ??= NoopObserver as unknown as typeof ResizeObserver;
globalThis.IntersectionObserver ??= NoopObserver as unknown as typeof IntersectionObserver;
window.scrollTo = () => {};

export interface StubCall {
  method: string;
  url: string;
  body: unknown;
  authorization: string | null;
}

/** A fetch stub answering by "METHOD path" (path without query) from a table; records every call. */
export function stubFetch(routes: Record<string, (call: StubCall) => { status?: number; body: unknown }>): StubCall[] {
  const calls: StubCall[] = [];
  vi.stubGlobal('fetch', async (input: string, init: RequestInit = {}) => {
    const url = String(input);
    const method = init.method ?? 'GET';
    const call: StubCall = {
      method,
      url,
      body: typeof init.body === 'string' && init.body.startsWith('{') ? JSON.parse(init.body) : init.body,
      authorization: (init.headers as Record<string, string> | undefined)?.authorization ?? null,
    };
    calls.push(call);
    const handler = routes[`${method} ${url.split('?')[0]}`];
    if (!handler) return new Response(JSON.stringify({ message: `no stub for ${method} ${url}` }), { status: 404 });
    const r = handler(call);
    return new Response(JSON.stringify(r.body), { status: r.status ?? 200, headers: { 'content-type': 'application/json' } });
  });
  return calls;
}
