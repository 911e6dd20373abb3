// Documents of the stock sync (server/adapters/shopify/storefront-inventory-adapter.ts). The quantity set itself
// reuses INVENTORY_SET_QUANTITIES_MUTATION (./inventory.ts).

/**
 * Variant → inventory item and its `available` at one location, up to 250 ids per call (nodes(ids:) limit). One
 * pass instead of an item lookup followed by a read of the items: a cold 10,000-SKU cycle makes 40 calls, not 80.
 * `inventoryLevel` is null when the item is not stocked at the location.
 */
export const VARIANT_INVENTORY_AT_LOCATION_QUERY = /* GraphQL */ `
  query VariantInventoryAtLocation($ids: [ID!]!, $locationId: ID!) {
    nodes(ids: $ids) {
      ... on ProductVariant {
        id
        inventoryItem {
          id
          tracked
          inventoryLevel(locationId: $locationId) {
            quantities(names: ["available"]) {
              name
              quantity
            }
          }
        }
      }
    }
  }
`;

/** `available` of up to 250 items at one location; an item without a level there is not stocked at it. */
export const AVAILABLE_AT_LOCATION_QUERY = /* GraphQL */ `
  query AvailableAtLocation($ids: [ID!]!, $locationId: ID!) {
    nodes(ids: $ids) {
      ... on InventoryItem {
        id
        inventoryLevel(locationId: $locationId) {
          quantities(names: ["available"]) {
            name
            quantity
          }
        }
      }
    }
  }
`;

/** Stocks an item at a location (answer to ITEM_NOT_STOCKED_AT_LOCATION); a no-op when already stocked. */
export const INVENTORY_ACTIVATE_MUTATION = /* GraphQL */ `
  mutation InventoryActivate($inventoryItemId: ID!, $locationId: ID!) {
    inventoryActivate(inventoryItemId: $inventoryItemId, locationId: $locationId) {
      inventoryLevel {
        id
      }
      userErrors {
        field
        message
      }
    }
  }
`;
