CREATE TABLE "labels" ("id" serial PRIMARY KEY NOT NULL, "name" text NOT NULL, "color" text NOT NULL);
