// An order's current state with its fulfilment orders, and marking shipped (StorefrontPort: getOrder,
// createFulfillment). Handlers re-fetch with ORDER_QUERY instead of trusting a (possibly stale) webhook.
// Page sizes keep the query under Shopify's 1000-point single-query limit (≈ 100 + 5 × 100 + overhead):
// up to 100 lines per order and per fulfilment order, 5 fulfilment orders (known limit, docs/shopify.md).

export const ORDER_QUERY = /* GraphQL */ `
  query Order($id: ID!) {
    order(id: $id) {
      id
      name
      updatedAt
      cancelledAt
      displayFinancialStatus
      lineItems(first: 100) {
        nodes {
          id
          sku
          quantity
          currentQuantity
          unfulfilledQuantity
        }
      }
      fulfillmentOrders(first: 5) {
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
          lineItems(first: 100) {
            nodes {
              id
              sku
              totalQuantity
              remainingQuantity
            }
          }
        }
      }
    }
  }
`;

export const FULFILLMENT_CREATE_MUTATION = /* GraphQL */ `
  mutation FulfillmentCreate($fulfillment: FulfillmentInput!, $message: String) {
    fulfillmentCreate(fulfillment: $fulfillment, message: $message) {
      fulfillment {
        id
        status
        trackingInfo {
          company
          number
          url
        }
      }
      userErrors {
        field
        message
      }
    }
  }
`;
