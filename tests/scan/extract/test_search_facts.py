"""Facts SC-DB-014 reads: which columns a query searches with a leading wildcard (and where the
searched text comes from), the ``LIKE`` spots of SQL text, and the access method and operator
classes of indexes, from which the model tells trigram and full-text indexes."""

# ruff: noqa: E501  (fixture source lines are kept as written)

from __future__ import annotations

from scalescope.model.facts import DataAccess, Index, IndexDef, Loc, Table
from scalescope.model.text_search import text_indexes
from scalescope.scan.extract.base import extract_file
from scalescope.scan.extract.sql_params import Placeholder
from scalescope.scan.extract.sql_search import LikeSpot, like_spots


def _facts(text: str, path: str, language: str) -> list[object]:
    result = extract_file(path, language, text)
    assert not result.errors, result.errors
    return list(result.facts)


def _searches(
    text: str, path: str = "src/a.ts", language: str = "typescript"
) -> dict[int, list[tuple[str, str, str]]]:
    """line -> [(column, operator, request field or "" when not traced to the request)]"""
    out: dict[int, list[tuple[str, str, str]]] = {}
    for fact in _facts(text, path, language):
        if isinstance(fact, DataAccess):
            out[fact.loc.line] = [
                (
                    s.column,
                    s.operator,
                    s.value.field if s.value is not None and s.value.source == "request" else "",
                )
                for s in fact.searches
            ]
    return out


# --------------------------------------------------------------------------- SQL text


def test_like_spots() -> None:
    assert like_spots("SELECT * FROM t WHERE name ILIKE '%' || $1 || '%' AND a = $2") == [
        LikeSpot("name", "ILIKE", True, Placeholder(position=0))
    ]
    assert like_spots("select * from t where a = ? and u.email like ?") == [
        LikeSpot("email", "LIKE", None, Placeholder(position=1))
    ]
    assert like_spots("select * from t where name like '%@x.com'") == [LikeSpot("name", "LIKE", True, None)]
    assert like_spots("select * from t where name like 'ab%'") == [LikeSpot("name", "LIKE", False, None)]
    assert like_spots("select * from t where lower(name) LIKE lower(:q)") == [
        LikeSpot("name", "LIKE", None, Placeholder(name="q"))
    ]
    assert like_spots("select * from t where name ILIKE CONCAT('%', %(q)s, '%')") == [
        LikeSpot("name", "ILIKE", True, Placeholder(name="q"))
    ]
    assert like_spots("select * from t where name NOT LIKE $1")[0].negated
    assert like_spots("select * from t where a = 1") == []


# --------------------------------------------------------------------------- Node queries

NODE = """import { ilike, like, or } from "drizzle-orm";
import { ILike, Like } from "typeorm";
import { Op } from "sequelize";
export async function search(req: any, res: any) {
  const q = String(req.query.q ?? "").trim();
  const term = `%${q}%`;
  await prisma.user.findMany({ where: { name: { contains: q, mode: "insensitive" } } });
  await prisma.user.findMany({ where: { OR: [{ name: { contains: q } }, { email: { endsWith: q } }] } });
  await prisma.user.findMany({ where: { name: { startsWith: q } } });
  await db.select().from(users).where(or(ilike(users.name, term), like(users.email, "%@x.com")));
  await User.findAll({ where: { name: { [Op.iLike]: `%${req.query.q}%` }, bio: { [Op.substring]: q }, tags: { [Op.contains]: [q] } } });
  await repo.find({ where: { title: ILike(`%${q}%`), slug: Like(`${q}%`) } });
  await repo.createQueryBuilder("a").where("a.body ILIKE :q", { q: term }).getMany();
  await pool.query("SELECT * FROM notes WHERE body ILIKE $1", [`%${q}%`]);
  await pool.query("SELECT * FROM notes WHERE body ILIKE '%' || $1 || '%'", [req.body.text]);
  await knex("tickets").where("subject", "ilike", "%" + q + "%").whereILike("body", `%${q}%`);
}
"""


def test_node_searches() -> None:
    found = _searches(NODE)
    assert found[7] == [("name", "contains insensitive", "q")]
    assert found[8] == [("name", "contains", "q"), ("email", "endsWith", "q")]
    assert found[9] == []  # a prefix: a b-tree serves it
    # a literal pattern is searched, but not for request text
    assert found[10] == [("name", "ilike", "q"), ("email", "like", "")]
    # Sequelize's Op.contains is array containment, not a substring
    assert found[11] == [("name", "iLike", "q"), ("bio", "substring", "q")]
    assert found[12] == [("title", "ILike", "q")]
    assert found[13] == [("body", "ILIKE", "q")]  # the bound parameter is the pattern
    assert found[14] == [("body", "ILIKE", "q")]
    assert found[15] == [("body", "ILIKE", "text")]
    assert found[16] == [("subject", "ilike", "q"), ("body", "whereILike", "q")]


# --------------------------------------------------------------------------- Python queries

PYTHON = """from sqlalchemy import func, or_, select, text
from .models import Book, Product


def view(request):
    q = request.GET.get("q", "").strip()
    rows = list(Product.objects.filter(name__icontains=q))
    tags = list(Product.objects.filter(tags__contains=["a"], title__unaccent__iendswith=q))
    prefix = list(Product.objects.filter(name__istartswith=q))
    books = session.execute(select(Book).where(or_(Book.title.ilike(f"%{q}%"), Book.isbn.contains(q)))).scalars().all()
    lowered = session.execute(select(Book).where(func.lower(Book.blurb).like("%{}%".format(q)))).scalars().all()
    formatted = session.execute(select(Book).where(Book.blurb.like("%%%s%%" % q))).scalars().all()
    cur.execute("SELECT * FROM books WHERE blurb ILIKE %s", (f"%{q}%",))
    raw = session.execute(text("SELECT * FROM books WHERE title ILIKE :q"), {"q": "%" + q + "%"}).all()
    return rows
"""


def test_python_searches() -> None:
    found = _searches(PYTHON, "shop/views.py", "python")
    assert found[7] == [("name", "icontains", "q")]
    assert found[8] == [("title", "iendswith", "q")]  # an ArrayField's contains is no substring search
    assert found[9] == []
    assert found[10] == [("title", "ilike", "q"), ("isbn", "contains", "q")]
    assert found[11] == [("blurb", "like", "q")]
    assert found[12] == [("blurb", "like", "q")]
    assert found[13] == [("blurb", "ILIKE", "q")]
    assert found[14] == [("title", "ILIKE", "q")]


# --------------------------------------------------------------------------- index methods


def _index_defs(
    text: str, path: str, language: str
) -> list[tuple[str, tuple[str, ...], str, tuple[str, ...]]]:
    return [
        (f.table, f.columns, f.method, f.opclasses)
        for f in _facts(text, path, language)
        if isinstance(f, IndexDef)
    ]


def test_sql_index_methods_and_opclasses() -> None:
    sql = """CREATE INDEX a ON users USING gin (name gin_trgm_ops);
CREATE INDEX CONCURRENTLY b ON "users" USING GIST ("email" gist_trgm_ops, bio);
CREATE INDEX c ON posts USING gin (to_tsvector('english', title || ' ' || body));
CREATE FULLTEXT INDEX d ON posts (title, body);
CREATE INDEX e ON users (lower(name) text_pattern_ops);
CREATE INDEX f ON users USING btree (handle);
"""
    assert _index_defs(sql, "db/schema.sql", "sql") == [
        ("users", ("name",), "gin", ("gin_trgm_ops",)),
        ("users", ("email", "bio"), "gist", ("gist_trgm_ops", "")),
        ("posts", ("TO_TSVECTOR('english', title || ' ' || body)",), "gin", ()),
        ("posts", ("title", "body"), "fulltext", ()),
        ("users", ("LOWER(name)",), "", ("text_pattern_ops",)),
        ("users", ("handle",), "", ()),
    ]


def test_orm_index_methods_and_opclasses() -> None:
    sequelize = """module.exports = {
  async up(queryInterface) {
    await queryInterface.addIndex('users', [{ name: 'name', operator: 'gin_trgm_ops' }], { using: 'gin' });
    await queryInterface.addIndex('posts', ['body'], { type: 'FULLTEXT' });
  },
};
"""
    assert _index_defs(sequelize, "migrations/1-search.js", "javascript") == [
        ("users", ("name",), "gin", ("gin_trgm_ops",)),
        ("posts", ("body",), "fulltext", ()),
    ]
    alembic = """from alembic import op

def upgrade():
    op.create_index("ix", "books", ["title"], postgresql_using="gin", postgresql_ops={"title": "gin_trgm_ops"})
"""
    assert _index_defs(alembic, "alembic/versions/0002_x.py", "python") == [
        ("books", ("title",), "gin", ("gin_trgm_ops",))
    ]
    django = """from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import migrations
from django.db.models.functions import Upper

class Migration(migrations.Migration):
    operations = [
        migrations.AddIndex(model_name="customer", index=GinIndex(OpClass(Upper("name"), name="gin_trgm_ops"), name="c_name")),
        migrations.AddIndex(model_name="article", index=GinIndex(SearchVector("title", "body"), name="a_fts")),
    ]
"""
    assert _index_defs(django, "shop/migrations/0002_search.py", "python") == [
        ("customer", ("UPPER(name)",), "gin", ("gin_trgm_ops",)),
        ("article", ("to_tsvector(title, body)",), "gin", ()),
    ]


def test_text_indexes_of_a_table() -> None:
    from scalescope.model.facts import Column

    table = Table(
        Loc("schema.sql", 1),
        name="posts",
        source="sql",
        columns=(Column("title", 2, type="text"), Column("search", 3, type="tsvector")),
        indexes=(Index(("title",), 5, method="gin", opclasses=("gin_trgm_ops",)), Index(("slug",), 6)),
    )
    extra = [
        IndexDef(Loc("m.sql", 1), "posts", ("TO_TSVECTOR('english', body)",), method="gin"),
        IndexDef(Loc("m.sql", 2), "posts", ("search",), method="gin"),
        IndexDef(Loc("m.sql", 3), "posts", ("summary",), method="fulltext"),
    ]
    found = {(ix.kind, tuple(sorted(ix.columns)), ix.vector) for ix in text_indexes(table, extra)}
    assert found == {
        ("trigram", ("title",), False),
        ("fulltext", ("body",), False),
        ("fulltext", (), True),
        ("fulltext", ("summary",), False),
    }
