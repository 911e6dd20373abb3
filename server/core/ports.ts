// The two ports the core sync logic talks through. Core code imports these types only — never a Shopify or
// GreaterWMS type. Adapters: server/adapters/shopify (StorefrontPort), server/adapters/greaterwms (WarehousePort).
// Method sets grow with the features (orders, stock, returns); each method is safe to repeat.

export type ShopDomain = string & { readonly __brand?: 'ShopDomain' };

/** The warehouse (GreaterWMS today). Operations are idempotent by the codes the core derives. */
export interface WarehousePort {
  testConnection(): Promise<ConnectionTestResult>;
}

export type ConnectionTestResult =
  | { ok: true; detail: string }
  | { ok: false; problem: 'unreachable' | 'token_rejected' | 'operator_unknown' | 'unexpected'; detail: string };

/** The shop (Shopify today, WooCommerce later). */
export interface StorefrontPort {
  readonly platform: string;
}
