-- AlterTable
ALTER TABLE "order_shipment" ADD COLUMN     "failed_reason" TEXT,
ADD COLUMN     "fulfillments_before" JSONB;
