// @vitest-environment jsdom
// Page components in jsdom with a stubbed /api: what they request (token, server-side paging/search/filter)
// and how they show answers, field errors and empty states.
import './dom-setup.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { AppProvider, Frame } from '@shopify/polaris';
import en from '@shopify/polaris/locales/en.json' with { type: 'json' };
import type { ReactNode } from 'react';
import { stubFetch } from './dom-setup.js';
import { MappingsPage } from '../../../web/src/pages/MappingsPage.js';
import { SettingsPage } from '../../../web/src/pages/SettingsPage.js';
import { ToastProvider } from '../../../web/src/components/toast.js';

const wrap = (node: ReactNode) => render(<AppProvider i18n={en}><Frame><ToastProvider>{node}</ToastProvider></Frame></AppProvider>);
const ROWS = [
  { variantId: 'gid://shopify/ProductVariant/1', sku: 'MUG-1', title: 'Default', productTitle: 'Blue mug', components: [], buffer: null },
  { variantId: 'gid://shopify/ProductVariant/2', sku: 'GIFT-1', title: 'Box', productTitle: 'Gift box', components: [{ goodsCode: 'MUG-1', quantity: 1 }, { goodsCode: 'TEA-1', quantity: 2 }], buffer: 3 },
];

beforeEach(() => {
  window.history.replaceState(null, '', '/mappings?shop=a.myshopify.com&id_token=tok-123');
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('MappingsPage', () => {
  it('requests page 1 with the URL session token, shows unmapped and bundle rows and the total', async () => {
    const calls = stubFetch({ 'GET /api/mappings': () => ({ body: { rows: ROWS, total: 120, page: 1, pageSize: 50, catalogue: { state: 'done', fetched: 120 } } }) });
    wrap(<MappingsPage />);
    await screen.findByText('Blue mug');
    expect(calls[0]!.authorization).toBe('Bearer tok-123');
    expect(calls[0]!.url).toBe('/api/mappings?pageSize=50');
    expect(screen.getAllByText('Unmapped')).toHaveLength(2); // the filter tab and MUG-1's badge
    expect(screen.getByText('MUG-1 ×1 + TEA-1 ×2')).toBeTruthy();
    expect(screen.getByText('Bundle')).toBeTruthy();
    expect(screen.getByText('buffer 3')).toBeTruthy();
    expect(screen.getByText('Page 1 of 3 · 120 variants')).toBeTruthy();
  });

  it('search is sent to the server once typing pauses (debounced), not per key', async () => {
    const calls = stubFetch({ 'GET /api/mappings': () => ({ body: { rows: [], total: 0, page: 1, pageSize: 50, catalogue: null } }) });
    wrap(<MappingsPage />);
    await waitFor(() => expect(calls).toHaveLength(1));
    fireEvent.change(screen.getByPlaceholderText('Search SKU, product, variant or goods code'), { target: { value: 'te' } });
    fireEvent.change(screen.getByPlaceholderText('Search SKU, product, variant or goods code'), { target: { value: 'tea' } });
    await waitFor(() => expect(calls.map((c) => c.url)).toContain('/api/mappings?pageSize=50&query=tea'));
    expect(calls.map((c) => c.url)).not.toContain('/api/mappings?pageSize=50&query=te');
    // (Filter tabs collapse into "More views" at jsdom's zero widths; the browser test clicks them.)
  });

  it('empty catalogue: the empty state offers a catalogue refresh', async () => {
    const calls = stubFetch({
      'GET /api/mappings': () => ({ body: { rows: [], total: 0, page: 1, pageSize: 50, catalogue: null } }),
      'POST /api/catalogue/refresh': () => ({ status: 202, body: { enqueued: true } }),
    });
    wrap(<MappingsPage />);
    await screen.findByText('No variants yet');
    fireEvent.click(screen.getAllByRole('button', { name: 'Refresh catalogue' }).at(-1)!);
    await waitFor(() => expect(calls.some((c) => c.method === 'POST' && c.url === '/api/catalogue/refresh')).toBe(true));
  });

  it('editing: the server\'s 422 field error appears under the right goods code; nothing else is sent', async () => {
    const calls = stubFetch({
      'GET /api/mappings': () => ({ body: { rows: ROWS, total: 2, page: 1, pageSize: 50, catalogue: null } }),
      'PUT /api/mappings/gid%3A%2F%2Fshopify%2FProductVariant%2F2': () => ({
        status: 422,
        body: { error: 'invalid', message: 'Some fields need attention', fieldErrors: { 'components.1.goodsCode': 'Goods TEA-9 does not exist in GreaterWMS' } },
      }),
    });
    wrap(<MappingsPage />);
    fireEvent.click(await screen.findByRole('button', { name: 'Edit mapping of GIFT-1' }));
    fireEvent.change(screen.getByLabelText('Goods code 2'), { target: { value: 'TEA-9' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    });
    await screen.findByText('Goods TEA-9 does not exist in GreaterWMS');
    const put = calls.find((c) => c.method === 'PUT')!;
    expect(put.body).toEqual({ components: [{ goodsCode: 'MUG-1', quantity: 1 }, { goodsCode: 'TEA-9', quantity: 2 }] });
  });
});

describe('SettingsPage', () => {
  const SETTINGS = { warehouseUrl: 'http://wms.local:8008', warehouseOperator: 1, warehouseTokenHint: '••••9f3a', connectionSource: 'shop', orderTrigger: 'paid', shipmentPollMinutes: 2, stockPollMinutes: 15, defaultBuffer: 0, defaultBufferPercent: 0, notifyCustomer: true };

  it('shows only the token hint, never asks for the token again; field errors from the server appear on their fields', async () => {
    const calls = stubFetch({
      'GET /api/settings': () => ({ body: SETTINGS }),
      'PUT /api/settings': () => ({ status: 422, body: { error: 'invalid', fieldErrors: { shipmentPollMinutes: 'At least 1 minute' } } }),
    });
    wrap(<SettingsPage />);
    await screen.findByText('Stored token ends in 9f3a. Leave empty to keep it.');
    expect((screen.getByLabelText('API token') as HTMLInputElement).value).toBe('');
    fireEvent.change(screen.getByLabelText('Check shipments every (minutes)'), { target: { value: '0' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    });
    await screen.findByText('At least 1 minute');
    const put = calls.find((c) => c.method === 'PUT')!.body as Record<string, unknown>;
    expect(put).not.toHaveProperty('warehouseToken');
    expect(put.shipmentPollMinutes).toBe('0');
  });

  it('sends the percentage buffer with the units and shows its field error', async () => {
    const calls = stubFetch({
      'GET /api/settings': () => ({ body: { ...SETTINGS, defaultBuffer: 2, defaultBufferPercent: 5 } }),
      'PUT /api/settings': () => ({ status: 422, body: { error: 'invalid', fieldErrors: { defaultBufferPercent: 'At most 100' } } }),
    });
    wrap(<SettingsPage />);
    const pct = (await screen.findByLabelText('…or percent of sellable stock, if more')) as HTMLInputElement;
    expect(pct.value).toBe('5');
    fireEvent.change(pct, { target: { value: '150' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    });
    await screen.findByText('At most 100');
    const put = calls.find((c) => c.method === 'PUT')!.body as Record<string, unknown>;
    expect(put).toMatchObject({ defaultBuffer: '2', defaultBufferPercent: '150' });
  });

  it('Test connection shows the warehouse\'s precise answer', async () => {
    stubFetch({
      'GET /api/settings': () => ({ body: SETTINGS }),
      'POST /api/settings/test-connection': () => ({ body: { ok: false, problem: 'operator_unknown', detail: 'GreaterWMS has no staff with id 1 for this token' } }),
    });
    wrap(<SettingsPage />);
    fireEvent.click(await screen.findByRole('button', { name: 'Test connection' }));
    await screen.findByText('Connection failed (operator unknown)');
    expect(screen.getByText('GreaterWMS has no staff with id 1 for this token')).toBeTruthy();
  });
});
