-- AlterTable
ALTER TABLE "stock_reservation" ALTER COLUMN "expires_at" DROP NOT NULL;

