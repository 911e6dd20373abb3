// CatalogueSource for Shopify: productVariants pages over the Admin GraphQL wrapper (throttling handled there).
import type { CatalogueSource } from '../../core/catalogue/catalogue-ports.js';
import type { AdminGraphql } from './admin-client.js';
import { CATALOGUE_VARIANTS_QUERY } from './graphql/catalogue-sync.js';

export const CATALOGUE_PAGE_SIZE = 250;

interface Data {
  productVariants: {
    nodes: { id: string; sku: string | null; title: string; product: { title: string }; inventoryItem: { id: string } | null }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

export function shopifyCatalogueSource(admin: AdminGraphql): CatalogueSource {
  return {
    async page(after) {
      const data = await admin.request<Data>(CATALOGUE_VARIANTS_QUERY, { variables: { first: CATALOGUE_PAGE_SIZE, after } });
      const c = data.productVariants;
      return {
        variants: c.nodes.map((n) => ({
          variantId: n.id,
          sku: n.sku ? n.sku : null,
          title: n.title,
          productTitle: n.product.title,
          inventoryItemId: n.inventoryItem?.id ?? null,
        })),
        next: c.pageInfo.hasNextPage ? c.pageInfo.endCursor : null,
      };
    },
  };
}
