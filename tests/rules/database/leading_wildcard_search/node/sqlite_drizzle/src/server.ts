import express from "express";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { like } from "drizzle-orm";
import { bookmarks } from "./schema";

const db = drizzle(new Database("bookmarks.db"));
const app = express();
app.use(express.json());

app.post("/bookmarks", async (req, res) => {
  res.json(await db.insert(bookmarks).values(req.body).returning());
});

app.get("/bookmarks/search", async (req, res) => {
  // SQLite: the same scan, but no index type would serve it
  // ok: SC-DB-014
  res.json(await db.select().from(bookmarks).where(like(bookmarks.title, `%${req.query.q}%`)));
});

app.listen(3000);
