import { pgTable, serial, text, integer, timestamp, index, uniqueIndex } from "drizzle-orm/pg-core";

export const projects = pgTable(
  "projects",
  {
    id: serial("id").primaryKey(),
    // ok: SC-DB-016
    slug: text("slug").notNull().unique(),
    ownerId: integer("owner_id").notNull(),
    name: text("name").notNull(),
    createdAt: timestamp("created_at").defaultNow(),
  },
  (t) => ({
    // ok: SC-DB-016
    ownerIdx: index("projects_owner_idx").on(t.ownerId, t.createdAt),
    // ruleid: SC-DB-016
    nameIdx: uniqueIndex("projects_owner_name_idx").on(t.ownerId, t.name),
  }),
);

export const events = pgTable(
  "events",
  {
    id: serial("id").primaryKey(),
    projectId: integer("project_id").notNull(),
    kind: text("kind").notNull(),
  },
  (t) => [
    // ok: SC-DB-016
    index("events_project_idx").on(t.projectId),
    // ruleid: SC-DB-016
    index("events_kind_idx").on(t.kind),
  ],
);
