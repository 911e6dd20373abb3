// What the storefront may sell, from the warehouse figure (pure; no I/O). docs/stock.md § Arithmetic.
//
//   goods net       = max(0, can_order − open reservations)            (per warehouse goods code)
//   variant raw     = min over components of floor(net / qty)          (a plain variant: one component, qty 1)
//   publish         = max(0, raw − buffer)
//   buffer          = the mapping's override (units), else max(shop units, ceil(shop percent % × raw))
//
// The buffer is taken once, at the variant: a bundle keeps back whole bundles, a plain product whole units.
// The percentage is of what the variant could sell (raw, after reservations) and rounds up, so any stock at
// all with a percentage set keeps at least one unit back. Reservations are taken at the goods, because a bundle order and
// a plain order of the same goods draw from the same shelf.

export interface Component {
  goodsCode: string;
  quantity: number;
}

export interface GoodsFigure {
  /** Sellable in the warehouse (GreaterWMS can_order_stock); a goods code the warehouse has no row for is 0. */
  available: number;
  /** Units held by open reservations. */
  reserved: number;
}

export interface VariantStock {
  /** Warehouse units behind the variant (before reservations and buffer): min floor(available / qty). */
  wmsAvailable: number;
  /** Reservations expressed in variant units: wmsAvailable minus what is left after reservations. */
  reserved: number;
  buffer: number;
  publish: number;
}

const nonNegInt = (n: number) => (Number.isFinite(n) && n > 0 ? Math.floor(n) : 0);

/** What a variant keeps back: `units`, or `percent` % of its sellable units rounded up when that is more. */
export interface BufferRule {
  units: number;
  percent: number;
}

/** Sellable units of a variant made of `components`, given each goods' figure (absent goods = 0). */
export function variantStock(components: readonly Component[], goods: (code: string) => GoodsFigure | undefined, buffer: number | BufferRule): VariantStock {
  const rule = typeof buffer === 'number' ? { units: buffer, percent: 0 } : buffer;
  if (components.length === 0) return { wmsAvailable: 0, reserved: 0, buffer: nonNegInt(rule.units), publish: 0 };
  let gross = Number.POSITIVE_INFINITY;
  let net = Number.POSITIVE_INFINITY;
  // The same goods listed twice in one mapping counts its quantities together.
  const need = new Map<string, number>();
  for (const c of components) need.set(c.goodsCode, (need.get(c.goodsCode) ?? 0) + Math.max(1, Math.floor(c.quantity)));
  for (const [code, qty] of need) {
    const g = goods(code);
    const available = nonNegInt(g?.available ?? 0);
    const reserved = nonNegInt(g?.reserved ?? 0);
    gross = Math.min(gross, Math.floor(available / qty));
    net = Math.min(net, Math.floor(Math.max(0, available - reserved) / qty));
  }
  const pct = Number.isFinite(rule.percent) ? Math.min(100, Math.max(0, rule.percent)) : 0;
  // Rounded to 1e-9 first: 10 % of 30 is 3.0000000000000004 in floating point, and must stay 3.
  const b = Math.max(nonNegInt(rule.units), Math.ceil(Math.round((pct / 100) * net * 1e9) / 1e9));
  return { wmsAvailable: gross, reserved: gross - net, buffer: b, publish: Math.max(0, net - b) };
}

/** Buffer rule of a variant: its own override (units) when set, else the shop's units and percentage. */
export function bufferFor(override: number | null | undefined, shopDefault: number, shopPercent = 0): BufferRule {
  return override !== null && override !== undefined ? { units: nonNegInt(override), percent: 0 } : { units: nonNegInt(shopDefault), percent: shopPercent };
}
