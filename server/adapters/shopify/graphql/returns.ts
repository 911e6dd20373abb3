// A return and what is coming back (StorefrontPort: getReturn), for announcing it to the warehouse.

export const RETURN_QUERY = /* GraphQL */ `
  query Return($id: ID!) {
    return(id: $id) {
      id
      name
      status
      order {
        id
        name
      }
      returnLineItems(first: 100) {
        nodes {
          ... on ReturnLineItem {
            id
            quantity
            fulfillmentLineItem {
              lineItem {
                sku
              }
            }
          }
        }
      }
    }
  }
`;
