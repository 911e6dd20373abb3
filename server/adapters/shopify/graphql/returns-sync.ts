// A return as the returns feature needs it (server/adapters/shopify/storefront-returns-adapter.ts): every
// returned line with the order line and variant it was sold as, and its reason. The reason comes from
// ReturnReasonDefinition.handle (2026-01+; the ReturnReason enum is deprecated).

export const RETURN_SYNC_QUERY = /* GraphQL */ `
  query ReturnForSync($id: ID!) {
    return(id: $id) {
      id
      name
      status
      order {
        id
        name
      }
      returnLineItems(first: 100) {
        pageInfo {
          hasNextPage
        }
        nodes {
          ... on ReturnLineItem {
            id
            quantity
            returnReasonDefinition {
              handle
            }
            fulfillmentLineItem {
              lineItem {
                id
                sku
                variant {
                  id
                }
              }
            }
          }
        }
      }
    }
  }
`;

/**
 * Returns of recently updated orders (returns.reconcile: a missed returns/* webhook must not leave a return
 * unseen). Page size is a literal 50: 50 orders × (1 + 10 returns) ≈ 550 cost points, under the 1000 limit.
 */
export const RECENT_ORDER_RETURNS_QUERY = /* GraphQL */ `
  query RecentOrderReturns($after: String, $query: String!) {
    orders(first: 50, after: $after, query: $query, sortKey: UPDATED_AT) {
      nodes {
        id
        returns(first: 10) {
          nodes {
            id
            status
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;
