import { index, integer, pgTable, serial, text, timestamp } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";

export const recipes = pgTable(
  "recipes",
  {
    id: serial("id").primaryKey(),
    title: text("title").notNull(),
    summary: text("summary"),
    ingredients: text("ingredients"),
    instructions: text("instructions"),
    authorId: integer("author_id").notNull(),
    createdAt: timestamp("created_at").defaultNow(),
  },
  (t) => [
    index("recipes_title_trgm").using("gin", sql`${t.title} gin_trgm_ops`),
    index("recipes_summary_trgm").using("gin", t.summary.op("gin_trgm_ops")),
    index("recipes_instructions_fts").using("gin", sql`to_tsvector('english', ${t.instructions})`),
  ],
);

export const authors = pgTable("authors", {
  id: serial("id").primaryKey(),
  displayName: text("display_name").notNull(),
  city: text("city"),
});

export const notes = pgTable("notes", {
  id: serial("id").primaryKey(),
  content: text("content").notNull(),
});
