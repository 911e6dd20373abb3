// Catalogue sync (CatalogueSource): every variant, 250 a page (Shopify's maximum; ≈ 500 cost points).

export const CATALOGUE_VARIANTS_QUERY = /* GraphQL */ `
  query CatalogueVariants($first: Int!, $after: String) {
    productVariants(first: $first, after: $after) {
      nodes {
        id
        sku
        title
        product {
          title
        }
        inventoryItem {
          id
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;
