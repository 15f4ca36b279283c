import express from "express";
import { Repository } from "typeorm";
import { everything, PostService, threadDump } from "./bad";
import { Post } from "./post.entity";

const { deepPopulate, listPosts, onePost, orderReceipt, withCounts } = require("./ok");

declare const repo: Repository<Post>;
const postService = new PostService(repo);
const app = express();

app.get("/threads", async (_req, res) => res.json(await threadDump()));
app.get("/users/everything", async (_req, res) => res.json(await everything()));
app.get("/feed", async (_req, res) => res.json(await postService.feed()));
app.get("/posts", async (_req, res) => res.json(await listPosts()));
app.get("/posts/deep", async (_req, res) => res.json(await deepPopulate()));
app.get("/posts/:id", async (req, res) => res.json(await onePost(req.params.id)));
app.get("/posts/counts", async (_req, res) => res.json(await withCounts()));
app.get("/orders/:id/receipt", async (req, res) => res.json(await orderReceipt(req.params.id)));
