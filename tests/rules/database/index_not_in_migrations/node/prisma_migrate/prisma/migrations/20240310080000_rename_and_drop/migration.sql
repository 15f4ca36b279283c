-- the column the full-name index is on is renamed: the index follows it
ALTER TABLE "customers" RENAME COLUMN "name" TO "full_name";

-- DropIndex
DROP INDEX "Order_region_idx";
