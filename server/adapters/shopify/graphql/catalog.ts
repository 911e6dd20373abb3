// Catalog and location lookups (StorefrontPort: findVariantsBySku, listLocations).

/** SKU search is prefix/tokenised and SKUs are not unique: callers keep only exact matches. */
export const VARIANTS_BY_SKU_QUERY = /* GraphQL */ `
  query VariantsBySku($query: String!, $first: Int!) {
    productVariants(first: $first, query: $query) {
      nodes {
        id
        sku
        title
        product {
          id
          title
        }
        inventoryItem {
          id
          tracked
        }
      }
    }
  }
`;

export const LOCATIONS_QUERY = /* GraphQL */ `
  query Locations($first: Int!) {
    locations(first: $first, includeInactive: false) {
      nodes {
        id
        name
        isActive
        fulfillsOnlineOrders
      }
    }
  }
`;
