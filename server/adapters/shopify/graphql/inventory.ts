// The absolute set of `available` (InventoryStorefront.setAvailable).

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
