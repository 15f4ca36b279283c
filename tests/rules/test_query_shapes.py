"""What the code already does with a query (issue 8, items 4, 5 and 8): where the query-shape
rules lower confidence instead of staying silent, and the index they suggest."""

# ruff: noqa: E501  (fixture source lines are kept as written)

from __future__ import annotations

from pathlib import Path

from scalescope.report.model import Finding
from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import scan
from scalescope.scan.rules.base import all_rules


def _findings(root: Path, files: dict[str, str], rule_id: str) -> list[Finding]:
    for rel, source in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
    rule = next(r for r in all_rules() if r.meta.id == rule_id)
    report = scan(root, ScanConfig(min_confidence="low", calibrated=False), rules=[rule], jobs=1)
    return [f for f in report.findings if f.rule == rule_id]


def _confidences(root: Path, files: dict[str, str], rule_id: str) -> dict[tuple[str, int], str]:
    return {(f.file, f.line): f.confidence for f in _findings(root, files, rule_id)}


JOIN_FILTERS = """import express from "express";
import { Order, Tag } from "./models";

const app = express();

app.get("/orders/tagged", async (req, res) => {
  res.json(await Order.findAll({ include: [{ model: Tag, where: { name: String(req.query.tag) } }] }));
});

app.get("/orders/all-tags", async (req, res) => {
  res.json(await Order.findAll({ include: [{ model: Tag, where: { name: "x" }, required: false }] }));
});

app.listen(3000);
"""

JOIN_FILTERS_PY = """from fastapi import FastAPI
from sqlalchemy import select

from .db import session
from .models import Post, User

app = FastAPI()


@app.get("/posts/by-email")
def by_email(email: str):
    return session.execute(select(Post).join(User, Post.author_id == User.id).where(User.email == email)).scalars().all()


@app.get("/posts/all")
def every_post():
    return session.execute(select(Post).join(User, Post.author_id == User.id)).scalars().all()
"""


def test_a_filter_carried_by_a_required_include_or_a_join_is_a_filter(tmp_path: Path) -> None:
    # an include with ``where`` is an inner join (``required: false`` makes it outer): the
    # rows are filtered, so the finding is medium ("every row matching"), not high ("whole table")
    node = _confidences(tmp_path / "node", {"app.js": JOIN_FILTERS}, "SC-DB-004")
    assert node == {("app.js", 7): "medium", ("app.js", 11): "high"}, node
    py = _confidences(tmp_path / "py", {"app/api.py": JOIN_FILTERS_PY}, "SC-DB-004")
    assert py == {("app/api.py", 12): "medium", ("app/api.py", 17): "high"}, py


PER_PARENT_COUNT = """import express from "express";
import { drizzle } from "drizzle-orm/node-postgres";
import { eq, inArray, sql } from "drizzle-orm";
import { goals, events } from "./schema";

const db = drizzle(process.env.DATABASE_URL!);
const app = express();

app.get("/sites/:site/goals", async (req, res) => {
  const [{ n }] = await db.select({ n: sql<number>`count(*)` }).from(goals).where(eq(goals.siteId, Number(req.params.site)));
  const rows = await db.select().from(goals).where(eq(goals.siteId, Number(req.params.site))).limit(20).offset(Number(req.query.o));
  res.json({ n, rows });
});

app.get("/events", async (req, res) => {
  const [{ n }] = await db.select({ n: sql<number>`count(*)` }).from(events).where(eq(events.kind, String(req.query.k)));
  const rows = await db.select().from(events).where(eq(events.kind, String(req.query.k))).limit(20).offset(Number(req.query.o));
  res.json({ n, rows });
});

app.get("/feed", async (req, res) => {
  const ids: number[] = req.body.followed;
  const [{ n }] = await db.select({ n: sql<number>`count(*)` }).from(events).where(inArray(events.authorId, ids));
  const rows = await db.select().from(events).where(inArray(events.authorId, ids)).limit(20).offset(Number(req.query.o));
  res.json({ n, rows });
});

app.listen(3000);
"""


def test_a_count_of_one_parents_rows_is_low(tmp_path: Path) -> None:
    found = _findings(tmp_path, {"app.ts": PER_PARENT_COUNT}, "SC-DB-005")
    by_line = {f.line: f.confidence for f in found}
    # a site's goals: low; a kind of event, and the events of every followed author: medium
    assert by_line == {10: "low", 16: "medium", 23: "medium"}, by_line
    assert "one siteId" in next(f.message for f in found if f.line == 10)


DEEP_LOADS = """from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from .db import session
from .models import Post

app = FastAPI()


@app.get("/posts/prefetched")
def prefetched():
    return session.execute(select(Post).options(selectinload(Post.comments).selectinload(Comment.author).selectinload(User.profile)).limit(20)).scalars().all()


@app.get("/posts/joined")
def joined():
    return session.execute(select(Post).options(joinedload(Post.comments).joinedload(Comment.author).joinedload(User.profile)).limit(20)).scalars().all()
"""


def test_prefetching_each_level_separately_is_low(tmp_path: Path) -> None:
    found = _findings(tmp_path, {"app/api.py": DEEP_LOADS}, "SC-DB-007")
    assert {f.line: f.confidence for f in found} == {13: "low", 18: "medium"}
    assert "one more query per level" in next(f.message for f in found if f.line == 13)
    assert "multiply" in next(f.message for f in found if f.line == 18)


INDEX_ORDER = """import express from "express";
import { PrismaClient } from "@prisma/client";

const prisma = new PrismaClient();
const app = express();

app.get("/orders", async (req, res) => {
  res.json(
    await prisma.order.findMany({
      where: { createdAt: { gte: new Date(String(req.query.since)) }, status: String(req.query.s) },
      orderBy: { total: "desc" },
      take: 20,
    }),
  );
});

app.get("/orders/open", async (req, res) => {
  res.json(await prisma.order.findMany({ where: { channel: "web" }, orderBy: { total: "desc" }, take: 20 }));
});

app.listen(3000);
"""

INDEX_SCHEMA = """datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model Order {
  id        Int      @id
  status    String
  channel   String
  total     Int
  createdAt DateTime
}
"""


def test_composite_index_is_equality_then_range_then_sort(tmp_path: Path) -> None:
    found = _findings(
        tmp_path, {"src/app.ts": INDEX_ORDER, "prisma/schema.prisma": INDEX_SCHEMA}, "SC-DB-006"
    )
    fixes = {f.line: f.recommendation for f in found}
    # equality (status) before the range (createdAt); the sort cannot follow a range
    assert "@@index([status, createdAt])" in fixes[9], fixes
    # equality, then the sort column
    assert "@@index([channel, total])" in fixes[18], fixes


SQLITE_LIMITS = """import express from "express";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { posts } from "./schema";

const db = drizzle(new Database("app.db"));
const app = express();

app.get("/posts", async (req, res) => {
  res.json(await db.select().from(posts).limit(Math.min(Number(req.query.n), 100)));
});

app.get("/posts/safe", async (req, res) => {
  res.json(await db.select().from(posts).limit(Math.max(1, Math.min(Number(req.query.n), 100))));
});

app.listen(3000);
"""


def test_a_limit_without_a_lower_bound_is_a_low_note_on_sqlite_only(tmp_path: Path) -> None:
    # SQLite reads LIMIT -1 as no limit: a small, low-confidence note, never "add .limit(n)"
    found = _findings(tmp_path / "lite", {"app.ts": SQLITE_LIMITS}, "SC-DB-004")
    assert [(f.line, f.severity, f.confidence) for f in found] == [(10, "low", "low")]
    assert "negative LIMIT" in found[0].message
    # PostgreSQL rejects a negative LIMIT: nothing to say
    pg = SQLITE_LIMITS.replace(
        'import Database from "better-sqlite3";', 'import { Pool } from "pg";'
    ).replace("drizzle-orm/better-sqlite3", "drizzle-orm/node-postgres")
    assert _findings(tmp_path / "pg", {"app.ts": pg}, "SC-DB-004") == []


CACHED = """import express from "express";
import { PrismaClient } from "@prisma/client";

const prisma = new PrismaClient();
const app = express();

const monthlyVoters = async () => {
  "use cache";
  return prisma.vote.count({ where: { createdAt: { gte: new Date(Date.now() - 30 * 86400000) } } });
};

app.get("/stats", async (req, res) => {
  res.json({ voters: await monthlyVoters() });
});

app.listen(3000);
"""

VOTE_SCHEMA = """datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model Vote {
  id        Int      @id
  createdAt DateTime
}
"""


def test_a_query_whose_result_is_cached_is_low(tmp_path: Path) -> None:
    files = {"src/app.ts": CACHED, "prisma/schema.prisma": VOTE_SCHEMA}
    found = _findings(tmp_path / "cached", files, "SC-DB-006")
    assert [(f.line, f.confidence) for f in found] == [(9, "low")], found
    assert "cache miss" in found[0].message
    files["src/app.ts"] = CACHED.replace('  "use cache";\n', "")
    found = _findings(tmp_path / "uncached", files, "SC-DB-006")
    assert [(f.line, f.confidence) for f in found] == [(8, "medium")], found


PARENT_ROWS = """import express from "express";
import { PrismaClient } from "@prisma/client";

const prisma = new PrismaClient();
const app = express();

app.get("/projects/:id/invites", async (req, res) => {
  res.json(await prisma.invite.findMany({ where: { projectId: req.params.id, status: "sent" } }));
});

app.get("/invites", async (req, res) => {
  res.json(await prisma.invite.findMany({ where: { status: "sent" } }));
});

app.listen(3000);
"""


def test_one_parents_rows_narrowed_further_are_still_one_parents(tmp_path: Path) -> None:
    # a project's invites with a status: bounded by the project (low); every sent invite: medium
    by_line = _confidences(tmp_path, {"app.ts": PARENT_ROWS}, "SC-DB-004")
    assert by_line == {("app.ts", 8): "low", ("app.ts", 12): "medium"}, by_line


SOFT_DELETE_SCHEMA = """datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model Album {
  id          Int       @id @default(autoincrement())
  studioId    Int
  producerId  Int
  deletedTime DateTime?
}
"""

SOFT_DELETE_ROUTES = """import express from "express";
import { PrismaClient } from "@prisma/client";

const prisma = new PrismaClient();
const app = express();

app.get("/albums/by-producer", async (req: any, res) => {
  res.json(await prisma.album.findMany({ where: { deletedTime: null, producerId: req.user.id }, take: 20 }));
});

app.get("/albums/visible", async (req: any, res) => {
  res.json(await prisma.album.findMany({ where: { deletedTime: null, OR: [{ id: { in: req.body.ids } }, { studioId: { in: req.body.studios } }] } }));
});

app.listen(3000);
"""


def test_a_soft_delete_scope_is_never_the_column_to_index(tmp_path: Path) -> None:
    found = {
        f.line: (f.confidence, f.message)
        for f in _findings(
            tmp_path,
            {"prisma/schema.prisma": SOFT_DELETE_SCHEMA, "src/app.ts": SOFT_DELETE_ROUTES},
            "SC-DB-006",
        )
    }
    assert sorted(found) == [8, 12]
    assert found[8][0] == "medium" and "`producerId`" in found[8][1]
    # the OR's unindexed branch is the gap; id is the primary key
    assert found[12][0] == "low" and "`studioId`" in found[12][1]
    assert not any("deletedTime" in message for _, message in found.values())
