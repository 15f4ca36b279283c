"""Rules lower confidence, rather than stay silent or shout, when evidence is weaker."""

from __future__ import annotations

from pathlib import Path

from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import scan
from scalescope.scan.rules.base import all_rules


def _confidences(root: Path, rel: str, source: str, rule_id: str) -> dict[int, str]:
    """Scan one file with one rule (low confidence shown); ``line -> confidence``."""
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source)
    rule = next(r for r in all_rules() if r.meta.id == rule_id)
    report = scan(root, ScanConfig(min_confidence="low", calibrated=False), rules=[rule], jobs=1)
    return {f.line: f.confidence for f in report.findings}

API = """from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from .db import get_db
from .models import Comment, Post

router = APIRouter()


@router.get("/posts")
def all_posts(db: Session = Depends(get_db)):
    return db.query(Post).all()


@router.get("/posts/{post_id}/comments")
def post_comments(post_id: int, db: Session = Depends(get_db)):
    return db.query(Comment).filter(Comment.post_id == post_id).all()


@router.get("/posts/by-tag")
def by_tag(tag: str, db: Session = Depends(get_db)):
    return db.query(Post).filter(Post.tag == tag).all()
"""


def test_unbounded_list_confidence_follows_the_filter(tmp_path: Path) -> None:
    by_line = _confidences(tmp_path, "app/api.py", API, "SC-DB-004")
    assert by_line == {12: "high", 17: "low", 22: "medium"}, by_line


LOOKUPS = """from django.http import JsonResponse
from django.urls import path

from .models import Project


def by_key(request, key):
    # a random key prefix identifies a project or two
    projects = Project.objects.filter(api_key__startswith=key[:8])
    return JsonResponse({"n": len(list(projects))})


def by_status(request):
    return JsonResponse({"ids": list(Project.objects.filter(status=request.GET["s"]))})


urlpatterns = [path("p/<key>", by_key), path("p/", by_status)]
"""


def test_unbounded_list_on_a_lookup_column_is_low(tmp_path: Path) -> None:
    by_line = _confidences(tmp_path, "app/views.py", LOOKUPS, "SC-DB-004")
    assert by_line == {9: "low", 14: "medium"}, by_line


PRISMA_WHERE = """import { prisma } from "./db";
import { Router } from "express";

export const r = Router();

r.get("/folders", async (req, res) => {
  const where = { projectId: String(req.query.p), id: { in: [String(req.query.id)] } };
  res.json(await prisma.folder.findMany({ select: { id: true }, where }));
});

r.get("/programs", async (req, res) => {
  const slug = req.query.slug;
  res.json(await prisma.program.findMany({ where: { ...(slug ? { slug: String(slug) } : {}) } }));
});

r.get("/all", async (req, res) => {
  res.json(await prisma.program.findMany());
});

r.get("/config", async (req, res) => {
  res.json(await prisma.infraConfig.findMany());
});
"""


def test_unbounded_list_with_a_variable_or_spread_where_is_not_the_whole_table(tmp_path: Path) -> None:
    by_line = _confidences(tmp_path, "api.ts", PRISMA_WHERE, "SC-DB-004")
    assert by_line == {8: "medium", 13: "medium", 17: "high", 21: "low"}, by_line


LRU = """import { LRUCache } from "lru-cache";
import { prisma } from "./db";

const l1 = new LRUCache<string, unknown>({ max: 10000, ttl: 5000 });
const forever = new LRUCache<string, unknown>({ max: 10000 });

export async function getLink(key: string) {
  const hit = l1.get(key) ?? forever.get(key);
  if (hit) return hit;
  const link = await prisma.link.findUnique({ where: { key } });
  l1.set(key, link);
  forever.set(key, link);
  return link;
}
"""


def test_bounded_expiring_in_process_cache_is_low(tmp_path: Path) -> None:
    by_line = _confidences(tmp_path, "cache.ts", LRU, "SC-CACHE-002")
    assert by_line == {4: "low", 5: "medium"}, by_line


OPTIONAL_TTL = """import { createClient } from "redis";

const client = createClient({ url: process.env.REDIS_URL });

export async function put(key: string, value: string, ttl?: number): Promise<void> {
  if (ttl === undefined) {
    await client.set(key, value);
  } else {
    await client.set(key, value, { EX: ttl });
  }
}

export async function remember(key: string, value: string): Promise<void> {
  await client.set(key, value);
}
"""


def test_no_ttl_branch_of_an_optional_ttl_wrapper_is_low(tmp_path: Path) -> None:
    by_line = _confidences(tmp_path, "store.ts", OPTIONAL_TTL, "SC-CACHE-005")
    assert by_line == {7: "low", 14: "medium"}, by_line


MONGOOSE = """import { Router } from "express";
import mongoose from "mongoose";

const Template = mongoose.model("Template", new mongoose.Schema({ name: String, envId: String }));
export const r = Router();

r.get("/templates", async (req, res) => {
  const query: Record<string, unknown> = { envId: req.query.env };
  if (req.query.tag) query.tags = { $in: [req.query.tag] };
  res.json(await Template.find(query));
});

r.get("/templates/all", async (req, res) => {
  res.json(await Template.find());
});
"""


def test_unbounded_list_with_a_prebuilt_mongo_filter_is_not_the_whole_table(tmp_path: Path) -> None:
    by_line = _confidences(tmp_path, "templates.ts", MONGOOSE, "SC-DB-004")
    assert by_line == {10: "medium", 14: "high"}, by_line


JOB_STATE = """import { Redis } from "ioredis";

const redis = new Redis(process.env.REDIS_URL!);

export async function startImport(workspaceId: string, apiKey: string) {
  await redis.set(`import:acme:${workspaceId}`, apiKey);
  await redis.set(`seen:${workspaceId}`, "1");
}

export async function finishImport(workspaceId: string) {
  await redis.del(`import:acme:${workspaceId}`);
}
"""


def test_no_ttl_write_of_a_key_deleted_elsewhere_is_low(tmp_path: Path) -> None:
    by_line = _confidences(tmp_path, "jobs.ts", JOB_STATE, "SC-CACHE-005")
    assert by_line == {6: "low", 7: "medium"}, by_line


OR_LIST = """import { prisma } from "./db";
import { Router } from "express";

export const r = Router();

r.get("/fraud/matching", async (req, res) => {
  const events: { programId: string; type: string }[] = JSON.parse(String(req.query.e));
  const groups = await prisma.fraudGroup.findMany({
    where: { OR: events.map((e) => ({ programId: e.programId, type: e.type })) },
  });
  res.json(groups);
});

r.get("/fraud", async (req, res) => {
  res.json(await prisma.fraudGroup.findMany());
});
"""


def test_unbounded_list_with_or_conditions_from_a_list_is_medium(tmp_path: Path) -> None:
    by_line = _confidences(tmp_path, "fraud.ts", OR_LIST, "SC-DB-004")
    assert by_line == {8: "medium", 15: "high"}, by_line
