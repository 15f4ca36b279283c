import { integer, pgTable, serial } from "drizzle-orm/pg-core";

export const products = pgTable("products", {
  id: serial("id").primaryKey(),
  stock: integer("stock").notNull(),
});
