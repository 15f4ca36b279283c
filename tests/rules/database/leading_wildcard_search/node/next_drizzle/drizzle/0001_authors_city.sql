CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "authors_city_trgm_idx" ON "authors" USING gin ("city" gin_trgm_ops);
