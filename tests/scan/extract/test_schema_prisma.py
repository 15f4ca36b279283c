"""Prisma schema extraction: models, keys, indexes, @map and relations."""

from __future__ import annotations

from scalescope.model.facts import Column, Index, Loc, Table
from scalescope.scan.extract.base import extract_file

SCHEMA = """\
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL") // a comment with "quotes"
}

enum Role {
  USER
  ADMIN
}

/// Users of the app
model User {
  id    Int     @id @default(autoincrement())
  email String  @unique // login
  name  String? @map("full_name")
  role  Role    @default(USER)
  posts Post[]

  @@map("users")
}

model Post {
  id        Int      @id
  title     String
  author    User     @relation(
    fields: [authorId],
    references: [id]
  )
  authorId  Int      @map(name: "author_id")
  createdAt DateTime @default(now())
  tags      String[]

  @@index([createdAt(sort: Desc), title], map: "post_created")
  @@unique([title, authorId])
  @@fulltext([title])
}

model Membership {
  userId Int
  teamId Int

  @@id([userId, teamId])
  @@unique([teamId]) }
"""


def _tables() -> dict[str, Table]:
    facts = extract_file("prisma/schema.prisma", "prisma", SCHEMA).facts
    return {f.model: f for f in facts if isinstance(f, Table)}


def test_models_and_table_names() -> None:
    tables = _tables()
    assert sorted(tables) == ["Membership", "Post", "User"]
    assert tables["User"].name == "users"
    assert tables["User"].loc == Loc("prisma/schema.prisma", 12, 20)
    assert tables["Post"].name == "Post"
    assert all(t.source == "prisma" for t in tables.values())


def test_columns() -> None:
    user = {c.name: c for c in _tables()["User"].columns}
    assert user["id"] == Column("id", 13, type="Int", primary_key=True)
    assert user["email"] == Column("email", 14, type="String", unique=True)
    assert user["name"].db_name == "full_name"
    # enum: a column holding the enum's two values
    assert user["role"] == Column("role", 16, type="Role", values=2, enum="Role")
    assert user["posts"] == Column("posts", 17, type="Post[]", references="Post", is_relation=True)


def test_relation_scalar_references_and_is_not_indexed() -> None:
    post = {c.name: c for c in _tables()["Post"].columns}
    assert post["author"].is_relation and post["author"].references == "User"
    assert post["author"].line == 25
    assert post["authorId"] == Column("authorId", 29, db_name="author_id", type="Int", references="User.id")
    assert post["tags"].type == "String[]" and not post["tags"].is_relation


def test_block_indexes() -> None:
    tables = _tables()
    assert tables["Post"].indexes == (
        Index(("createdAt", "title"), 33, name="post_created"),
        Index(("title", "authorId"), 34, unique=True),
        # a MySQL FULLTEXT index: it serves MATCH ... AGAINST (and SC-DB-014), no filter or sort
        Index(("title",), 35, method="fulltext"),
    )
    membership = tables["Membership"]
    assert membership.indexes == (
        Index(("userId", "teamId"), 42, unique=True, primary=True),
        Index(("teamId",), 43, unique=True),
    )
    assert {c.name: c.unique for c in membership.columns} == {"userId": False, "teamId": True}


def test_broken_schema_does_not_crash() -> None:
    facts = extract_file("s.prisma", "prisma", "model A {\n  id Int @id @default(\n  x String\n").facts
    assert [f.model for f in facts if isinstance(f, Table)] == ["A"]
