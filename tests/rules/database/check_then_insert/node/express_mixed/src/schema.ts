import { pgTable, serial, text, uniqueIndex } from "drizzle-orm/pg-core";

export const pages = pgTable("pages", {
  id: serial("id").primaryKey(),
  slug: text("slug").notNull(),
  title: text("title"),
});

export const domains = pgTable(
  "domains",
  {
    id: serial("id").primaryKey(),
    host: text("host").notNull(),
  },
  (t) => ({ hostIdx: uniqueIndex("domains_host_idx").on(t.host) }),
);
