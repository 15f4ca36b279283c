import { Router } from "express";
import { getToken } from "next-auth/jwt";

export const feed = Router();

feed.get("/feed", async (req, res) => {
  // next-auth's getToken, a package function: not the project's getToken
  const token = await getToken({ req, secret: process.env.SECRET });
  res.json({ user: token?.sub });
});
