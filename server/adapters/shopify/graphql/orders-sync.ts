// Documents of the order loop (server/adapters/shopify/order-sync-adapter.ts): the order as the sync needs it
// (fulfilment-order lines with variant, shipping need and location; the ship-to), fulfilling shipped lines,
// and adding tracking later.

/**
 * Requested cost ≈ 5 fulfilment orders × (50 lines × ~3 + a few) + 50 order lines + fulfillments ≈ 850 < 1000
 * (MAX_COST; the fidelity test checks it).
 * 50 lines per fulfilment order covers small shops; more makes the adapter refuse the order loudly.
 */
export const ORDER_FOR_SYNC_QUERY = /* GraphQL */ `
  query OrderForSync($id: ID!) {
    order(id: $id) {
      id
      name
      updatedAt
      cancelledAt
      displayFinancialStatus
      lineItems(first: 50) {
        nodes {
          id
          sku
          currentQuantity
          requiresShipping
        }
      }
      fulfillments(first: 10) {
        id
      }
      fulfillmentOrders(first: 5) {
        pageInfo {
          hasNextPage
        }
        nodes {
          id
          status
          assignedLocation {
            location {
              id
            }
          }
          destination {
            firstName
            lastName
            company
            address1
            address2
            city
            province
            zip
            countryCode
            phone
            email
          }
          lineItems(first: 50) {
            pageInfo {
              hasNextPage
            }
            nodes {
              id
              sku
              totalQuantity
              remainingQuantity
              requiresShipping
              lineItem {
                id
              }
              variant {
                id
              }
            }
          }
        }
      }
    }
  }
`;

export const SHIPMENT_FULFILLMENT_CREATE_MUTATION = /* GraphQL */ `
  mutation ShipmentFulfillmentCreate($fulfillment: FulfillmentInput!) {
    fulfillmentCreate(fulfillment: $fulfillment) {
      fulfillment {
        id
        status
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export const FULFILLMENT_TRACKING_UPDATE_MUTATION = /* GraphQL */ `
  mutation FulfillmentTrackingUpdate($fulfillmentId: ID!, $trackingInfoInput: FulfillmentTrackingInput!, $notifyCustomer: Boolean) {
    fulfillmentTrackingInfoUpdate(fulfillmentId: $fulfillmentId, trackingInfoInput: $trackingInfoInput, notifyCustomer: $notifyCustomer) {
      fulfillment {
        id
      }
      userErrors {
        field
        message
      }
    }
  }
`;
