// Ports of the catalogue feature (platform-neutral): where variants come from, and the warehouse's goods list.

export interface CatalogueVariantInput {
  variantId: string;
  sku: string | null;
  title: string;
  productTitle: string;
  inventoryItemId: string | null;
}

/** The shop's variants, one page at a time (cursor from the previous page; null = first page). */
export interface CatalogueSource {
  page(after: string | null): Promise<{ variants: CatalogueVariantInput[]; next: string | null }>;
}

/** The warehouse's goods (GreaterWMS goods codes). */
export interface GoodsDirectory {
  /** Which of these codes exist in the warehouse (exact match). */
  existing(codes: readonly string[]): Promise<Set<string>>;
}

/** Field → message, shown next to the field (or on the row of a table). */
export class ValidationFailed extends Error {
  override name = 'ValidationFailed';
  constructor(readonly fieldErrors: Record<string, string>) {
    super(Object.entries(fieldErrors).map(([k, v]) => `${k}: ${v}`).join('; '));
  }
}

export class NotFound extends Error {
  override name = 'NotFound';
}
