"""CheckThenInsert facts: an existence check, the branch on it, and an insert of the same
values (JS/TS and Python), and what is never one (upserts, inserts in a loop, other shapes)."""

# ruff: noqa: E501  (fixture source lines are kept as written)

from __future__ import annotations

import pytest

from scalescope.model.facts import CheckThenInsert
from scalescope.scan.extract.base import extract_file
from scalescope.scan.extract.check_insert_common import covers, sql_insert_columns


def _facts(text: str, path: str = "src/a.ts") -> list[CheckThenInsert]:
    language = "python" if path.endswith(".py") else "typescript"
    result = extract_file(path, language, text)
    assert not result.errors, result.errors
    return sorted((f for f in result.facts if isinstance(f, CheckThenInsert)), key=lambda f: f.loc.line)


PRISMA = 'import { PrismaClient } from "@prisma/client";\nconst prisma = new PrismaClient();\n'


def test_prisma_check_then_create() -> None:
    (fact,) = _facts(
        PRISMA
        + """export async function signup(email: string, name: string) {
  const existing = await prisma.user.findFirst({ where: { email, deletedAt: null } });
  if (existing) {
    throw new Error("taken");
  }
  return prisma.user.create({ data: { email, name } });
}
"""
    )
    assert (fact.loc.line, fact.read.line, fact.branch.line) == (8, 4, 5)
    assert fact.columns == ("email",) and fact.read_kind == "row" and not fact.protection
    assert fact.read_call == "prisma.user.findFirst()" and fact.write_call == "prisma.user.create()"


@pytest.mark.parametrize(
    ("check", "insert_inside"),
    [
        ("if (!existing) {", True),
        ("if (existing === null) {", True),
        ("if (rows.length === 0) {", True),
    ],
)
def test_js_insert_in_the_none_branch(check: str, insert_inside: bool) -> None:
    read = (
        "const rows = await prisma.tag.findMany({ where: { slug } });"
        if "rows" in check
        else ("const existing = await prisma.tag.findFirst({ where: { slug } });")
    )
    found = _facts(
        PRISMA
        + f"export async function f(slug: string) {{\n  {read}\n  {check}\n    await prisma.tag.create({{ data: {{ slug }} }});\n  }}\n}}\n"
    )
    assert [f.loc.line for f in found] == ([6] if insert_inside else [])


@pytest.mark.parametrize(
    "body",
    [
        # the found branch does not always leave
        "const e = await prisma.tag.findFirst({ where: { slug } });\n  if (e) console.log(e);\n  await prisma.tag.create({ data: { slug } });",
        # the condition asks more than "a row exists"
        "const e = await prisma.tag.findFirst({ where: { slug } });\n  if (e && e.locked) throw new Error();\n  await prisma.tag.create({ data: { slug } });",
        # an upsert settles the duplicate
        "const e = await prisma.tag.findFirst({ where: { slug } });\n  if (e) throw new Error();\n  await prisma.tag.upsert({ where: { slug }, create: { slug }, update: {} });",
        # the insert does not set the checked column
        "const e = await prisma.tag.findFirst({ where: { slug } });\n  if (e) throw new Error();\n  await prisma.tag.create({ data: { name: slug } });",
        # another table
        "const e = await prisma.tag.findFirst({ where: { slug } });\n  if (e) throw new Error();\n  await prisma.alias.create({ data: { slug } });",
        # several rows per checked value, inserted on purpose
        "const e = await prisma.tag.findFirst({ where: { slug } });\n  if (e) return;\n  for (const n of [1, 2]) {\n    await prisma.tag.create({ data: { slug, n } });\n  }",
        # an OR across columns checks something else
        "const e = await prisma.tag.findFirst({ where: { OR: [{ slug }, { name: slug }] } });\n  if (e) throw new Error();\n  await prisma.tag.create({ data: { slug, name: slug } });",
    ],
)
def test_js_not_a_check_then_insert(body: str) -> None:
    assert _facts(PRISMA + f"export async function f(slug: string) {{\n  {body}\n}}\n") == []


def test_js_spread_of_the_checked_object_and_lock() -> None:
    found = _facts(
        PRISMA
        + """export async function a(dto: { email: string }) {
  if (await prisma.user.findFirst({ where: { email: dto.email } })) throw new Error("taken");
  await prisma.user.create({ data: { ...dto } });
}
export async function b(email: string) {
  await prisma.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${email}))`;
  const n = await prisma.user.count({ where: { email } });
  if (n > 0) throw new Error("taken");
  await prisma.user.create({ data: { email } });
}
"""
    )
    assert [(f.loc.line, f.read_kind, f.protection) for f in found] == [(5, "row", ""), (11, "count", "lock")]


def test_raw_sql_check_then_insert() -> None:
    (fact,) = _facts(
        'import { Pool } from "pg";\nconst pool = new Pool();\n'
        """export async function claim(name: string) {
  const { rows } = await pool.query("SELECT id FROM handles WHERE name = $1", [name]);
  if (rows.length > 0) throw new Error("taken");
  await pool.query("INSERT INTO handles (name) VALUES ($1)", [name]);
  await pool.query("INSERT INTO handles (name) VALUES ($1) ON CONFLICT DO NOTHING", [name]);
}
"""
    )
    assert (fact.loc.line, fact.model, fact.columns) == (6, "handles", ("name",))


DJANGO = "from django.http import HttpResponse\nfrom .models import Follow\n\n"


@pytest.mark.parametrize(
    ("body", "lines"),
    [
        (
            "    if Follow.objects.filter(a=a, b=b).exists():\n        return HttpResponse(status=409)\n    Follow.objects.create(a=a, b=b)\n",
            [7],
        ),
        (
            "    try:\n        Follow.objects.get(a=a, b=b)\n    except Follow.DoesNotExist:\n        Follow.objects.create(a=a, b=b)\n",
            [8],
        ),
        (
            "    existing = Follow.objects.filter(a=a, b=b).first()\n    if existing is None:\n        follow = Follow(a=a)\n        follow.b = b\n        follow.save()\n",
            [9],
        ),
        ("    Follow.objects.get_or_create(a=a, b=b)\n", []),
        (
            "    if Follow.objects.filter(a=a, b=b).exists():\n        return HttpResponse(status=409)\n    Follow.objects.bulk_create([Follow(a=a, b=b)], ignore_conflicts=True)\n",
            [],
        ),
    ],
)
def test_django(body: str, lines: list[int]) -> None:
    found = _facts(DJANGO + "def follow(request, a, b):\n" + body, "app/views.py")
    assert [f.loc.line for f in found] == lines


def test_sqlalchemy_session_add_and_insert_values() -> None:
    found = _facts(
        """from sqlalchemy import insert
from .models import User

def a(db, email):
    existing = db.query(User).filter(User.email == email).first()
    if existing:
        raise ValueError("taken")
    db.add(User(email=email))

def b(db, data):
    if db.query(User).filter_by(email=data["email"]).one_or_none() is not None:
        raise ValueError("taken")
    db.execute(insert(User).values(**data))
""",
        "app/users.py",
    )
    assert [(f.loc.line, f.read.line, f.columns) for f in found] == [(8, 5, ("email",)), (13, 11, ("email",))]


def test_shared_pieces() -> None:
    assert sql_insert_columns('INSERT INTO "users" ("email", name) VALUES ($1, $2)') == ("email", "name")
    assert sql_insert_columns("INSERT INTO users VALUES ($1)") == ()
    assert covers(["email"], {"email", "name"}, set(), set())
    assert covers(["email"], set(), {"dto"}, {"dto.email"})
    assert not covers(["email", "org_id"], {"email"}, set(), set())
