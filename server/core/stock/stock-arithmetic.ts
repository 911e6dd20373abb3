// What the storefront may sell, from the warehouse figure (pure; no I/O). docs/stock.md § Arithmetic.
//
//   goods net       = max(0, can_order − open reservations)            (per warehouse goods code)
//   variant raw     = min over components of floor(net / qty)          (a plain variant: one component, qty 1)
//   publish         = max(0, raw − buffer)
//
// The buffer is taken once, at the variant (the mapping's override or the shop default): a bundle keeps back
// whole bundles, a plain product whole units. Reservations are taken at the goods, because a bundle order and
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

/** Sellable units of a variant made of `components`, given each goods' figure (absent goods = 0). */
export function variantStock(components: readonly Component[], goods: (code: string) => GoodsFigure | undefined, buffer: number): VariantStock {
  if (components.length === 0) return { wmsAvailable: 0, reserved: 0, buffer: nonNegInt(buffer), publish: 0 };
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
  const b = nonNegInt(buffer);
  return { wmsAvailable: gross, reserved: gross - net, buffer: b, publish: Math.max(0, net - b) };
}

/** Buffer of a variant: its own override when set, else the shop default. */
export function bufferFor(override: number | null | undefined, shopDefault: number): number {
  return nonNegInt(override ?? shopDefault);
}
