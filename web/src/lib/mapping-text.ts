// How a mapping is shown and edited in the table: "MUG-1 ×1 + TEA-1 ×2".
export interface Component {
  goodsCode: string;
  quantity: number;
}

export function formatComponents(components: Component[]): string {
  return components.map((c) => `${c.goodsCode} ×${c.quantity}`).join(' + ');
}

/** Editable rows of the bundle editor (quantities as typed text until saved). */
export interface ComponentDraft {
  goodsCode: string;
  quantity: string;
}

export function toDrafts(components: Component[], fallbackCode: string | null): ComponentDraft[] {
  if (components.length) return components.map((c) => ({ goodsCode: c.goodsCode, quantity: String(c.quantity) }));
  return [{ goodsCode: fallbackCode ?? '', quantity: '1' }];
}

/** Drafts → request body; blank rows are dropped, quantity text goes as typed (the server validates it). */
export function fromDrafts(drafts: ComponentDraft[]): { goodsCode: string; quantity: number | string }[] {
  return drafts
    .filter((d) => d.goodsCode.trim() !== '' || d.quantity.trim() !== '1')
    .map((d) => ({ goodsCode: d.goodsCode.trim(), quantity: /^\d+$/.test(d.quantity.trim()) ? Number(d.quantity.trim()) : d.quantity }));
}

/** Server field errors ("components.1.goodsCode") → per-row errors of the editor. */
export function rowErrors(fieldErrors: Record<string, string>, rows: number): { goodsCode?: string; quantity?: string }[] {
  const out: { goodsCode?: string; quantity?: string }[] = Array.from({ length: rows }, () => ({}));
  for (const [k, v] of Object.entries(fieldErrors)) {
    const m = /^components\.(\d+)\.(goodsCode|quantity)$/.exec(k);
    if (m && out[Number(m[1])]) out[Number(m[1])]![m[2] as 'goodsCode' | 'quantity'] = v;
  }
  return out;
}

/** Human names of the order sync states. */
export const ORDER_STATE_LABELS: Record<string, string> = {
  received: 'Received',
  needs_mapping: 'Needs mapping',
  needs_address: 'Needs address',
  queued: 'Queued',
  in_warehouse: 'In warehouse',
  partially_shipped: 'Partially shipped',
  shipped: 'Shipped',
  fulfilled: 'Fulfilled',
  cancelled: 'Cancelled',
  cancel_requested_in_warehouse: 'Cancel requested',
  cancelled_in_warehouse: 'Cancelled in warehouse',
  failed: 'Failed',
  not_for_warehouse: 'Not for the warehouse',
};

export type BadgeTone = 'success' | 'critical' | 'warning' | 'attention' | 'info' | undefined;

export function orderStateTone(state: string): BadgeTone {
  if (state === 'failed') return 'critical';
  if (state === 'needs_mapping' || state === 'needs_address' || state === 'cancel_requested_in_warehouse') return 'warning';
  if (state === 'shipped' || state === 'fulfilled') return 'success';
  if (state === 'in_warehouse' || state === 'partially_shipped') return 'info';
  return undefined;
}
