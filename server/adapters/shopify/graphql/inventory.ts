// Stock levels and the absolute set (StorefrontPort: readAvailable, setAvailable).

export const INVENTORY_LEVELS_QUERY = /* GraphQL */ `
  query InventoryLevels($ids: [ID!]!, $locationId: ID!) {
    nodes(ids: $ids) {
      ... on InventoryItem {
        id
        sku
        tracked
        inventoryLevel(locationId: $locationId) {
          quantities(names: ["available", "on_hand"]) {
            name
            quantity
          }
        }
      }
    }
  }
`;

/**
 * 2026-04: @idempotent is mandatory and every quantity must carry changeFromQuantity (the expected current
 * value for compare-and-swap, or an explicit null to opt out).
 */
export const INVENTORY_SET_QUANTITIES_MUTATION = /* GraphQL */ `
  mutation InventorySetQuantities($input: InventorySetQuantitiesInput!, $idempotencyKey: String!) {
    inventorySetQuantities(input: $input) @idempotent(key: $idempotencyKey) {
      inventoryAdjustmentGroup {
        id
        changes {
          name
          delta
          quantityAfterChange
          item {
            id
          }
        }
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`;
