// Order queries of the platform layer. Every document the app sends is a named constant in this folder
// (a fidelity test validates each against Shopify's 2026-04 schema).

/** orders.reconcile: orders updated in a window, oldest first, 50 per page (cost ≈ 50 + a few points). */
export const ORDERS_UPDATED_SINCE_QUERY = /* GraphQL */ `
  query OrdersUpdatedSince($first: Int!, $after: String, $query: String!) {
    orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
      nodes {
        id
        legacyResourceId
        name
        createdAt
        updatedAt
        cancelledAt
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;
