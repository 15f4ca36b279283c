import { boolean, integer, pgTable, serial, text } from "drizzle-orm/pg-core";

export const teams = pgTable("teams", {
  id: serial("id").primaryKey(),
  name: text("name").notNull(),
});

export const channels = pgTable("channels", {
  id: serial("id").primaryKey(),
  teamId: integer("team_id")
    .notNull()
    .references(() => teams.id),
  muted: boolean("muted").notNull().default(false),
});

export const posts = pgTable("posts", {
  id: serial("id").primaryKey(),
  channelId: integer("channel_id").references(() => channels.id),
  body: text("body"),
});
