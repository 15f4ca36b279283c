import { pgTable, serial, text, index } from "drizzle-orm/pg-core";

// no generated migrations at all: the schema is pushed, nothing to drift from
export const tags = pgTable(
  "tags",
  { id: serial("id").primaryKey(), slug: text("slug").notNull() },
  (t) => ({
    // ok: SC-DB-016
    slugIdx: index("tags_slug_idx").on(t.slug),
  }),
);
