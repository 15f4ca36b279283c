-- a hand-written migration: the total index is created inside a DO block, the status index is not
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = 'Order_totalCents_idx') THEN
    CREATE INDEX "Order_totalCents_idx" ON "Order"("totalCents");
  END IF;
END $$;

UPDATE "Order" SET "status" = 'open' WHERE "status" IS NULL;
