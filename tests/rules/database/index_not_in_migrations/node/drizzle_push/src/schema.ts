import { pgTable, serial, text, index } from "drizzle-orm/pg-core";

// the schema is pushed (`drizzle-kit push`); an old generated migration is kept in drizzle/, which
// code may still apply: reported at low confidence
export const labels = pgTable(
  "labels",
  {
    id: serial("id").primaryKey(),
    name: text("name").notNull(),
    color: text("color").notNull(),
  },
  (t) => ({
    // ruleid: SC-DB-016 low
    nameIdx: index("labels_name_idx").on(t.name),
  }),
);
