import { pgTable, serial, text, integer } from "drizzle-orm/pg-core";

export const signups = pgTable("signups", {
  id: serial("id").primaryKey(),
  email: text("email").notNull(),
  waveId: integer("wave_id").notNull(),
});
