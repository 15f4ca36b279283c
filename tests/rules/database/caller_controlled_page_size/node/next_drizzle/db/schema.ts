import { pgTable, serial, text, integer } from "drizzle-orm/pg-core";

export const posts = pgTable("posts", { id: serial("id").primaryKey(), title: text("title"), authorId: integer("author_id") });
export const authors = pgTable("authors", { id: serial("id").primaryKey(), name: text("name") });
