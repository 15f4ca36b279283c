CREATE EXTENSION IF NOT EXISTS pg_trgm;
-- the email search is served by a trigram index created here, not in schema.prisma
CREATE INDEX "Member_email_trgm_idx" ON "Member" USING GIN ("email" gin_trgm_ops);
