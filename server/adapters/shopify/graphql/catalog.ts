// Location lookup (InventoryStorefront.listLocations: where the warehouse stock is published).

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
