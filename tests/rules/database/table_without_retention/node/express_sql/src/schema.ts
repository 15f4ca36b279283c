import { integer, pgTable, serial, text, timestamp } from "drizzle-orm/pg-core";

export const accounts = pgTable("accounts", {
  id: serial("id").primaryKey(),
  name: text("name"),
});

export const exportLogs = pgTable("export_logs", {
  id: serial("id").primaryKey(),
  accountId: integer("account_id").references(() => accounts.id, { onDelete: "cascade" }),
  createdAt: timestamp("created_at").defaultNow(),
});

export const auditTrail = pgTable("audit_trail", {
  id: serial("id").primaryKey(),
  action: text("action"),
  createdAt: timestamp("created_at").defaultNow(),
});
