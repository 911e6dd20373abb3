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
