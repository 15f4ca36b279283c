import { boolean, index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

export const users = pgTable("users", {
  id: uuid("id").primaryKey(),
  email: text("email").notNull(),
});

export const posts = pgTable(
  "posts",
  {
    id: uuid("id").primaryKey(),
    authorId: uuid("author_id").notNull(),
    status: text("status").notNull(),
    published: boolean("published").notNull(),
    siteId: integer("site_id").notNull(),
    createdAt: timestamp("created_at").notNull(),
  },
  (t) => [index("posts_site_idx").on(t.siteId)],
);
