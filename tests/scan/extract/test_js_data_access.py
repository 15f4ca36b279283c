"""Node data-access extraction: DataAccess and Transaction facts per ORM, and look-alikes."""

# ruff: noqa: E501  (fixture source lines are kept as written)

from __future__ import annotations

from scalescope.model.facts import DataAccess, Fact, Loop, Transaction
from scalescope.scan.extract.base import extract_file


def _facts(text: str, path: str = "src/a.ts", language: str = "typescript") -> list[Fact]:
    result = extract_file(path, language, text)
    assert not result.errors, result.errors
    return result.facts


def _accesses(text: str, **kw: str) -> list[DataAccess]:
    return sorted((f for f in _facts(text, **kw) if isinstance(f, DataAccess)), key=lambda a: a.loc.line)


PRISMA = """import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export async function list(ids: string[]) {
  const users = await prisma.user.findMany({
    where: { active: true, OR: [{ role: 'a' }, { email: 'x' }] },
    orderBy: [{ createdAt: 'desc' }],
    include: { posts: { include: { comments: { include: { author: true } } } } },
  });
  for (const u of users) {
    await prisma.post.findFirst({ where: { authorId: u.id } });
  }
  await Promise.all(ids.map((id) => prisma.user.findUnique({ where: { id } })));
  const hit = users.find((u) => u.id === ids[0]);
  await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: 1 }, data: { name: 'x' } });
  });
  for (const r of ['a', 'b']) { await prisma.role.findFirst({ where: { name: r } }); }
  const page = await prisma.post.findMany({ take: 20, skip: 40, select: { id: true, author: { select: { name: true } } } });
  return prisma.user.count({ where: { active: true } });
}
"""


def test_prisma_find_many_fields() -> None:
    first = _accesses(PRISMA)[0]
    assert (first.orm, first.model, first.operation, first.kind) == (
        "prisma",
        "user",
        "findMany",
        "read-many",
    )
    assert first.loc.line == 4
    assert first.filter_fields == ("active", "role", "email")
    assert first.sort_fields == ("createdAt",)
    assert first.has_limit is False
    assert first.include_paths == ("posts", "posts.comments", "posts.comments.author")
    assert first.include_depth == 3
    assert first.selects_all is True
    assert first.function_id == "src/a.ts::list@3"
    assert first.loop is None


def test_prisma_loops_batching_and_transactions() -> None:
    by_line = {a.loc.line: a for a in _accesses(PRISMA)}
    assert set(by_line) == {4, 10, 12, 15, 17, 18, 19}  # users.find(...) on line 13 is an array
    n1 = by_line[10]
    assert n1.loop == Loop(
        "for",
        9,
        11,
        literal_size=None,
        uses_item=True,
        iterates="query",
        iterates_text="users",
        iterates_why="the user rows read at line 4",
        iterates_model="user",
        source_line=4,
    )
    assert n1.batched is False
    assert by_line[12].batched is True and by_line[12].loop is not None
    assert by_line[12].loop.kind == "map"
    assert by_line[15].in_transaction is True and by_line[15].kind == "write"
    assert by_line[17].loop is not None and by_line[17].loop.literal_size == 2
    page = by_line[18]
    assert page.has_limit is True and page.paginated is True and page.selects_all is False
    assert page.include_paths == ("author",)
    assert by_line[19].kind == "count"
    txs = [f for f in _facts(PRISMA) if isinstance(f, Transaction)]
    assert [(t.orm, t.body.line, t.body.end_line) for t in txs] == [("prisma", 14, 16)]


def test_prisma_via_this_and_db_client() -> None:
    text = """import { PrismaService } from './prisma.service';
export class UsersService {
  constructor(private prisma: PrismaService, private db: any) {}
  a() { return this.prisma.user.findMany({ take: 10 }); }
  b() { return this.db.order.findMany({ where: { userId: 1 } }); }
  c() { return this.prisma.$queryRaw`SELECT * FROM users WHERE email = ${'x'} LIMIT 1`; }
}
"""
    got = [(a.model, a.operation, a.kind, a.has_limit, a.filter_fields) for a in _accesses(text)]
    assert got == [
        ("user", "findMany", "read-many", True, ()),
        ("order", "findMany", "read-many", False, ("userId",)),
        ("users", "select", "raw", True, ("email",)),
    ]


def test_typeorm_repository_manager_and_query_builder() -> None:
    text = """import { Repository, DataSource, In } from 'typeorm';
export class S {
  constructor(@InjectRepository(Article) private readonly articleRepository: Repository<Article>,
              private dataSource: DataSource) {}
  async list(tag: string) {
    const qb = this.articleRepository.createQueryBuilder('article')
      .leftJoinAndSelect('article.author', 'author');
    qb.where('article.tagList LIKE :tag', { tag });
    qb.orderBy('article.created', 'DESC');
    qb.take(20).skip(10);
    const [rows, n] = await qb.getManyAndCount();
    const one = await this.articleRepository.findOne({ where: { slug: tag }, relations: ['author', 'comments.author'] });
    const all = await this.articleRepository.find({ where: { tagList: tag } });
    await this.dataSource.transaction(async (manager) => {
      await manager.find(Article, { where: { id: In([1]) }, take: 5 });
    });
    return getRepository(User).findAndCount({ take: 10, skip: 0, order: { id: 'ASC' } });
  }
}
"""
    acc = _accesses(text)
    qb = acc[0]
    assert (qb.orm, qb.model, qb.operation, qb.kind) == ("typeorm", "Article", "getManyAndCount", "read-many")
    assert qb.loc.line == 11
    assert qb.filter_fields == ("tagList",) and qb.sort_fields == ("created",)
    assert qb.has_limit is True and qb.paginated is True and qb.include_paths == ("author",)
    one, all_, managed, counted = acc[1:]
    assert (one.kind, one.include_paths, one.include_depth) == ("read-one", ("author", "comments.author"), 2)
    assert (all_.model, all_.has_limit, all_.filter_fields) == ("Article", False, ("tagList",))
    assert (managed.model, managed.in_transaction, managed.has_limit) == ("Article", True, True)
    assert (counted.model, counted.operation, counted.paginated, counted.sort_fields) == (
        "User",
        "findAndCount",
        True,
        ("id",),
    )
    txs = [f for f in _facts(text) if isinstance(f, Transaction)]
    assert [t.orm for t in txs] == ["typeorm"]


def test_sequelize_and_mongoose() -> None:
    text = """const { Op } = require('sequelize');
async function a(req) {
  const rows = await Invoice.findAll({ where: { status: 'open' }, include: [{ model: Customer, include: [Address] }], order: [['createdAt', 'DESC']], attributes: ['id'] });
  const page = await Invoice.findAndCountAll({ limit: 10, offset: 20 });
  const one = await Invoice.findByPk(req.params.id);
  await sequelize.transaction(async (t) => { await Invoice.update({ paid: true }, { where: { id: 1 }, transaction: t }); });
}
"""
    acc = _accesses(text, path="a.js", language="javascript")
    assert [(a.orm, a.model, a.operation, a.kind) for a in acc] == [
        ("sequelize", "Invoice", "findAll", "read-many"),
        ("sequelize", "Invoice", "findAndCountAll", "read-many"),
        ("sequelize", "Invoice", "findByPk", "read-one"),
        ("sequelize", "Invoice", "update", "write"),
    ]
    assert acc[0].include_paths == ("Customer", "Customer.Address") and acc[0].selects_all is False
    assert acc[0].sort_fields == ("createdAt",) and acc[0].has_limit is False
    assert acc[1].has_limit is True and acc[1].paginated is True
    assert acc[3].in_transaction is True

    mongo = """const mongoose = require('mongoose');
async function b(id) {
  const posts = await Post.find({ author: id, published: true }).populate('author').sort({ createdAt: -1 }).limit(20).lean();
  const all = await this.userModel.find().select('name');
  const n = await Post.countDocuments({ author: id });
  const arr = [1, 2].find((x) => x > 1);
  const m = new Map(); m.get('x');
  return db.collection('events').find({ type: 'x' }).toArray();
}
"""
    acc = _accesses(mongo, path="b.js", language="javascript")
    assert [(a.orm, a.model, a.operation, a.kind, a.has_limit) for a in acc] == [
        ("mongoose", "Post", "find", "read-many", True),
        ("mongoose", "User", "find", "read-many", False),
        ("mongoose", "Post", "countDocuments", "count", True),
        ("mongodb", "events", "find", "read-many", False),
    ]
    assert acc[0].filter_fields == ("author", "published") and acc[0].include_paths == ("author",)
    assert acc[0].sort_fields == ("createdAt",) and acc[1].selects_all is False


def test_knex_drizzle_supabase_and_sql() -> None:
    text = """import knex from 'knex';
import { eq } from 'drizzle-orm';
const k = knex({ client: 'pg' });
export async function f(id: number) {
  const u = await k('users').where({ id }).first();
  const list = await k('orders').where('status', 'open').orderBy('created_at').limit(10).offset(20);
  const sub = await k('orders').whereIn('user_id', k('users').select('id').where('active', true));
  const rows = await db.select().from(users).where(eq(users.email, 'x')).limit(1);
  const q = await db.query.posts.findMany({ with: { author: true, comments: { with: { author: true } } } });
  const s = await supabase.from('todos').select('*', { count: 'exact' }).eq('owner', id).range(0, 9);
  const r = await pool.query('SELECT id, name FROM accounts WHERE tenant_id = $1', [id]);
  await k.transaction(async (trx) => { await trx('users').where({ id }).update({ seen: true }); });
}
"""
    acc = _accesses(text)
    got = [(a.orm, a.model, a.operation, a.kind, a.has_limit, a.filter_fields) for a in acc]
    assert got == [
        ("knex", "users", "first", "read-one", True, ("id",)),
        ("knex", "orders", "select", "read-many", True, ("status",)),
        ("knex", "orders", "select", "read-many", False, ("user_id",)),
        ("drizzle", "users", "select", "read-many", True, ("email",)),
        ("drizzle", "posts", "findMany", "read-many", False, ()),
        ("supabase", "todos", "select.count", "read-many", True, ("owner",)),
        ("pg", "accounts", "select", "raw", False, ("tenant_id",)),
        ("knex", "users", "update", "write", True, ("id",)),
    ]
    assert acc[1].paginated is True and acc[1].sort_fields == ("created_at",)
    assert acc[4].include_paths == ("author", "comments", "comments.author")
    assert acc[5].paginated is True
    assert acc[7].in_transaction is True


def test_look_alikes_are_not_queries() -> None:
    text = """export function f(users: User[], cache: Map<string, User>, ids: string[]) {
  const a = users.find((u) => u.id === ids[0]);
  const b = users.filter((u) => u.active).map((u) => u.id);
  const c = cache.get('x');
  const d = Object.keys(c).find((k) => k === 'a');
  return [a, b, c, d];
}
"""
    assert _accesses(text) == []


def test_typeorm_repository_wrappers_taking_a_context_first() -> None:
    src = """import { In } from 'typeorm';
export class LinesResolver {
  constructor(private connection: TransactionalConnection) {}
  async line(ctx: RequestContext, id: string) {
    return this.connection.getRepository(ctx, OrderLine).findOne({ where: { id } });
  }
  async lines(ctx: RequestContext, ids: string[]) {
    return this.connection.getRepository(ctx, OrderLine).createQueryBuilder('line').where('line.id IN (:...ids)', { ids }).getMany();
  }
}
"""
    got = [(a.model, a.operation) for a in _accesses(src)]
    assert got == [("OrderLine", "findOne"), ("OrderLine", "getMany")]


def test_sql_fragment_is_no_query_of_its_own() -> None:
    # a `sql` template that is a value inside another statement (a column value, a clause of a
    # fluent builder, an operator's operand, a substitution) is run by that statement; one handed
    # to a call that runs SQL, or run on its own, is a statement
    text = """import { and, eq, inArray, sql } from 'drizzle-orm';
export async function f(id: string, from: string, to: string, ids: string[]) {
  await db.update(files).set({ key: sql`REPLACE(${files.key}, ${from}, ${to})` }).where(eq(files.id, id));
  await db.select().from(files).where(and(eq(files.id, id), inArray(files.owner, sql`SELECT id FROM owners WHERE org = ${id}`)));
  await db.select().from(files).orderBy(sql`REPLACE(${files.key}, 'a', 'b')`);
  await db.insert(files).values({ id, key: sql`REPLACE(${from}, 'a', 'b')` });
  const a = await db.execute(sql`SELECT id FROM files WHERE owner = ${id}`);
  const b = await sql`SELECT id FROM owners WHERE org = ${id}`;
  const c = await sql`SELECT id FROM tags WHERE ${ids.length ? sql`SELECT 1` : sql``} AND org = ${id}`;
  const d = await sql`SELECT id FROM runs WHERE org = ${id}`.execute(db);
  const e = await Promise.all([sql`SELECT id FROM notes WHERE org = ${id}`]);
  return [a, b, c, d, e];
}
"""
    acc = _accesses(text)
    raw = [(a.loc.line, a.model) for a in acc if a.kind == "raw"]
    # line 9: the statement is built from a fragment (not known as written), its fragment no query
    assert raw == [(7, "files"), (8, "owners"), (10, "runs"), (11, "notes")]
