CREATE TABLE IF NOT EXISTS "events" (
	"id" serial PRIMARY KEY NOT NULL,
	"project_id" integer NOT NULL,
	"kind" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "events_project_idx" ON "events" USING btree ("project_id");
