"""Facts SC-DB-006 reads besides the schema blocks: indexes created by migration operations
(Sequelize, TypeORM, Django; not those of ``down``), partial index predicates, enum types and
how many values a column holds, and which filter columns an index can narrow (negations and
patterns are unselective; an OR across columns is one no single index serves)."""

# ruff: noqa: E501  (fixture source lines are kept as written)

from __future__ import annotations

from scalescope.model.facts import Column, DataAccess, EnumType, IndexDef, Table
from scalescope.scan.extract.base import extract_file


def _facts(text: str, path: str, language: str) -> list[object]:
    result = extract_file(path, language, text)
    assert not result.errors, result.errors
    return list(result.facts)


def _indexes(
    text: str, path: str, language: str = "javascript"
) -> list[tuple[int, str, tuple[str, ...], bool, tuple[str, ...]]]:
    return [
        (f.loc.line, f.table, f.columns, f.unique, f.where)
        for f in _facts(text, path, language)
        if isinstance(f, IndexDef)
    ]


def _shapes(
    text: str, path: str = "src/a.ts", language: str = "typescript"
) -> dict[int, tuple[tuple[str, ...], ...]]:
    return {
        f.loc.line: (f.filter_fields, f.unselective_fields, f.or_fields)
        for f in _facts(text, path, language)
        if isinstance(f, DataAccess)
    }


# --------------------------------------------------------------------------- migrations

SEQUELIZE_MIGRATION = """\
module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.createTable('Tokens', { id: { type: Sequelize.INTEGER, primaryKey: true }, token: { type: Sequelize.STRING, unique: true }, UserId: Sequelize.INTEGER });
    await queryInterface.addIndex('Tokens', ['UserId']);
    await queryInterface.addIndex('Orders', ['ProviderId'], { where: { ProviderId: { [Op.ne]: null } } });
    await queryInterface.addIndex('Orders', { fields: ['a', { name: 'b', order: 'DESC' }], unique: true, where: { deletedAt: null } });
    await queryInterface.addConstraint('Users', { fields: ['email'], type: 'unique', name: 'users_email' });
    await queryInterface.addConstraint('Users', ['pending'], { type: 'unique' });
    await queryInterface.addConstraint('Users', { fields: ['OrgId'], type: 'foreign key', references: { table: 'Orgs', field: 'id' } });
    await queryInterface.addColumn('Users', 'handle', { type: Sequelize.STRING, unique: true });
  },
  down: async (queryInterface) => {
    await queryInterface.addIndex('Users', ['dropped']);
  },
};
"""


def test_sequelize_migration_operations() -> None:
    assert _indexes(SEQUELIZE_MIGRATION, "migrations/20240101-tokens.js") == [
        (3, "Tokens", ("id",), True, ()),
        (3, "Tokens", ("token",), True, ()),
        (4, "Tokens", ("UserId",), False, ()),
        (5, "Orders", ("ProviderId",), False, ("ProviderId IS NOT NULL",)),
        (6, "Orders", ("a", "b"), True, ("deletedAt IS NULL",)),
        (7, "Users", ("email",), True, ()),
        (8, "Users", ("pending",), True, ()),
        (10, "Users", ("handle",), True, ()),
    ]  # a foreign key is no index; the down step's index is not the schema's


TYPEORM_MIGRATION = """\
export class Invites1700000000000 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(new Table({ name: 'invite', columns: [{ name: 'id', type: 'int', isPrimary: true }, { name: 'code', type: 'varchar', isUnique: true }, { name: 'email', type: 'varchar' }], indices: [{ columnNames: ['email'] }] }), true);
    await queryRunner.createIndex('invite', new TableIndex({ name: 'IDX_p', columnNames: ['projectId', 'email'], where: '"deletedAt" IS NULL' }));
    await queryRunner.createUniqueConstraint('invite', new TableUnique({ columnNames: ['token'] }));
  }
  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('invite', new TableIndex({ columnNames: ['old'] }));
  }
}
"""


def test_typeorm_migration_operations() -> None:
    assert _indexes(TYPEORM_MIGRATION, "src/migrations/1700000000000-Invites.ts", "typescript") == [
        (3, "invite", ("id",), True, ()),
        (3, "invite", ("code",), True, ()),
        (3, "invite", ("email",), False, ()),
        (4, "invite", ("projectId", "email"), False, ("deletedAt IS NULL",)),
        (5, "invite", ("token",), True, ()),
    ]


DJANGO_MIGRATION = """\
from django.db import migrations, models


class Migration(migrations.Migration):
    operations = [
        migrations.AddIndex(model_name="order", index=models.Index(fields=["-status", "placed_at"], name="ix")),
        migrations.AddConstraint(model_name="order", constraint=models.UniqueConstraint(fields=["number"], name="u", condition=models.Q(x=1))),
        migrations.AlterUniqueTogether(name="item", unique_together={("order", "sku")}),
        migrations.AlterIndexTogether(name="item", index_together=("a", "b")),
    ]
"""


def test_django_migration_operations() -> None:
    assert _indexes(DJANGO_MIGRATION, "shop/migrations/0002_indexes.py", "python") == [
        (6, "order", ("status", "placed_at"), False, ()),
        (7, "order", ("number",), True, ("?",)),
        (8, "item", ("order", "sku"), True, ()),
        (9, "item", ("a", "b"), False, ()),
    ]


def test_partial_index_predicates_in_sql() -> None:
    sql = (
        'CREATE INDEX ix ON "Orders" ("a", b) WHERE "deletedAt" IS NULL AND (x IS NOT NULL);\n'
        "CREATE INDEX iy ON t (lower(email)) WHERE status = 'open';\n"
        "CREATE INDEX iz ON t (a) WHERE a IS NULL OR b IS NULL;\n"
    )
    assert [(i[1], i[2], i[4]) for i in _indexes(sql, "db/schema.sql", "sql")] == [
        ("Orders", ("a", "b"), ("deletedAt IS NULL", "x IS NOT NULL")),
        ("t", ("LOWER(email)",), ("?",)),
        ("t", ("a",), ("?",)),
    ]


# --------------------------------------------------------------------------- enums


def test_enum_types_and_columns_that_name_them() -> None:
    ts = """\
export enum IssueStatus { OPEN = 1, RESOLVED }
export const roleEnum = pgEnum('role', ['owner', 'admin', 'member']);
@Entity()
export class Issue {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'int', default: IssueStatus.OPEN }) status: IssueStatus;
  @Column({ type: 'enum', enum: ['a', 'b', 'c'] }) kind: string;
  @Column() active: boolean;
  @Column({ nullable: true }) note?: string | null;
}
"""
    facts = _facts(ts, "src/issue.ts", "typescript")
    assert [(e.name, e.members) for e in facts if isinstance(e, EnumType)] == [
        ("IssueStatus", 2),
        ("roleEnum", 3),
    ]
    cols = {c.name: c for t in facts if isinstance(t, Table) for c in t.columns}
    assert (cols["status"].type, cols["status"].enum) == ("int", "IssueStatus")
    assert (cols["kind"].type, cols["kind"].values) == ("enum", 3)
    assert (cols["active"].type, cols["note"].type, cols["note"].enum) == ("boolean", "string", "")


def test_python_enums_choices_and_typed_columns() -> None:
    py = """\
import enum
from django.db import models

class Role(enum.IntEnum):
    USER = 1
    ADMIN = 2
    def label(self): return self.name

class State(models.TextChoices):
    NEW = "new"
    DONE = "done"

KIND_CHOICES = (("a", "A"), ("b", "B"), ("c", "C"))

class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    is_active: Mapped[bool] = mapped_column(default=False)
    role: Mapped[int] = mapped_column(default=Role.USER.value)
    tier = db.Column(db.Enum("free", "pro"))

class Ticket(models.Model):
    state = models.CharField(max_length=8, choices=State.choices)
    kind = models.CharField(max_length=1, choices=KIND_CHOICES)
    level = models.IntegerField(choices=[(1, "low"), (2, "high")])
"""
    facts = _facts(py, "app/models.py", "python")
    assert [(e.name, e.members) for e in facts if isinstance(e, EnumType)] == [
        ("Role", 2),
        ("State", 2),
        ("KIND_CHOICES", 3),
    ]
    cols = {c.name: c for t in facts if isinstance(t, Table) for c in t.columns}
    assert cols["is_active"].type == "Mapped[bool]"
    assert cols["role"].enum == "Role"  # the default names the enum of its values
    assert cols["tier"].values == 2
    assert (cols["state"].enum, cols["kind"].enum, cols["level"].values) == ("State", "KIND_CHOICES", 2)


def test_enums_of_other_schema_tools() -> None:
    js = """\
const Invoice = sequelize.define('Invoice', { status: { type: DataTypes.ENUM('draft', 'sent'), allowNull: false }, kind: DataTypes.ENUM(...Object.values(Kind)) });
const userSchema = new Schema({ role: { type: String, enum: ['user', 'admin', 'owner'] }, plan: { type: String, enum: Object.values(Plan) } });
mongoose.model('User', userSchema);
"""
    cols = {
        c.name: c
        for t in _facts(js, "src/models.js", "javascript")
        if isinstance(t, Table)
        for c in t.columns
    }
    assert (cols["status"].values, cols["kind"].enum) == (2, "Kind")
    assert (cols["role"].values, cols["plan"].enum) == (3, "Plan")
    sql = 'CREATE TYPE "public"."Role" AS ENUM (\'USER\', \'ADMIN\');\nCREATE TABLE u (id serial primary key, role "Role", ok boolean);\n'
    facts = _facts(sql, "db/schema.sql", "sql")
    assert [(e.name, e.members) for e in facts if isinstance(e, EnumType)] == [("Role", 2)]
    sql_cols = {c.name: c for t in facts if isinstance(t, Table) for c in t.columns}
    assert (sql_cols["role"].enum, sql_cols["ok"].enum, sql_cols["id"].enum) == ("Role", "", "")


def test_sqlalchemy_tables_named_by_the_base_and_migration_snapshots() -> None:
    models = """\
class Staff(Base):
    id = Column(Integer, primary_key=True)
    email = Column(String, unique=True)

class TimeStampMixin(object):
    created_at = Column(DateTime)
"""
    tables = [t for t in _facts(models, "app/models.py", "python") if isinstance(t, Table)]
    assert [(t.model, t.name) for t in tables] == [("Staff", "staff")]  # the mixin is no table
    assert Column("email", 3, type="String", unique=True) in tables[0].columns
    snapshot = 'revision = "1"\ndown_revision = None\nclass Staff(Base):\n    __tablename__ = "staff"\n    email = sa.Column(sa.String)\n'
    assert not [t for t in _facts(snapshot, "alembic/versions/0001_x.py", "python") if isinstance(t, Table)]


# --------------------------------------------------------------------------- selectivity


def test_option_object_filters() -> None:
    ts = """\
export async function a(u: any) {
  const Snapshot = mongoose.model("Snapshot", snapshotSchema);
  await prisma.link.count({ where: { url: { not: null } } });
  await prisma.link.count({ where: { OR: [{ version: { not: 3 } }, { version: null }] } });
  await prisma.link.count({ where: { done: { not: null }, OR: [{ image: null }, { pdf: null }] } });
  await prisma.tag.findMany({ where: { OR: [{ userId: u }, { userId: null }] } });
  await prisma.user.findMany({ where: { name: { contains: u, mode: "insensitive" }, teamId: 3 } });
  await prisma.user.findMany({ where: { NOT: { status: "x" } } });
  await prisma.user.findMany({ where: { email: { startsWith: u } } });
  await getRepository(Media).find({ where: [{ type: 1, key: In(u) }, { type: 1, key4k: In(u) }] });
  await getRepository(Media).find({ where: { status: Not(3), name: Like("%x%"), tag: Like("x%") } });
  await Invoice.findAll({ where: { status: { [Op.notIn]: ["a"] }, memo: { [Op.iLike]: `%${u}%` }, ref: { [Op.like]: `${u}%` } } });
  await Snapshot.find({ $or: [{ a: 1 }, { b: 2 }], c: { $ne: 1 }, d: /abc/ });
}
"""
    assert _shapes(ts) == {
        3: (("url",), ("url",), ()),
        4: (("version",), ("version",), ()),  # <> OR IS NULL: most rows
        5: (("done", "image", "pdf"), ("done",), ("image", "pdf")),
        6: (("userId",), (), ()),  # one column: = OR IS NULL is served by its index
        7: (("name", "teamId"), ("name",), ()),
        8: (("status",), ("status",), ()),
        9: (("email",), (), ()),  # a prefix match uses a b-tree index
        10: (("type", "key", "key4k"), (), ("key", "key4k")),  # type is in every branch
        11: (("status", "name", "tag"), ("status", "name"), ()),
        12: (("status", "memo", "ref"), ("status", "memo"), ()),
        13: (("a", "b", "c", "d"), ("c", "d"), ("a", "b")),
    }


def test_builder_filters() -> None:
    ts = """\
import { and, eq, ilike, isNotNull, ne, or } from "drizzle-orm";
export async function b(repo: any, u: any) {
  await db.select().from(posts).where(and(ne(posts.status, "x"), eq(posts.siteId, u))).limit(5);
  await db.select().from(posts).where(or(eq(posts.a, 1), eq(posts.b, 2), isNotNull(posts.c))).limit(5);
  await db.select().from(posts).where(ilike(posts.title, `%${u}%`)).limit(5);
  await repo.createQueryBuilder("t").where("t.status <> :s", { s: 1 }).andWhere("t.ownerId = :id", { id: u }).take(3).getMany();
  await repo.createQueryBuilder("m").where("m.key IN (:...a)").orWhere("m.key4k IN (:...b)").getMany();
  await repo.createQueryBuilder("m").where("(m.key = :a OR m.alt = :b) AND m.kind <> :k").getMany();
}
"""
    shapes = _shapes(ts)
    assert shapes[3] == (("status", "siteId"), ("status",), ())
    assert shapes[4] == (("a", "b", "c"), ("c",), ("a", "b", "c"))
    assert shapes[5] == (("title",), ("title",), ())
    assert shapes[6] == (("status", "ownerId"), ("status",), ())
    assert shapes[7] == (("key", "key4k"), (), ("key", "key4k"))
    assert shapes[8][1:] == (("kind",), ("key", "alt"))


def test_knex_filters() -> None:
    js = """\
const knex = require("knex")({});
async function c(u) {
  await knex("links").where("status", "<>", "x").limit(3);
  await knex("links").whereNotNull("url").where("user_id", u).limit(3);
  await knex("links").where("a", 1).orWhere("b", 2).limit(3);
  await knex("links").whereLike("title", `%${u}%`).limit(3);
}
"""
    assert _shapes(js, "src/q.js", "javascript") == {
        3: (("status",), ("status",), ()),
        4: (("url", "user_id"), ("url",), ()),
        5: (("a", "b"), (), ("a", "b")),
        6: (("title",), ("title",), ()),
    }


def test_python_filters() -> None:
    py = """\
from sqlalchemy import func, or_
from django.db.models import Q
from .models import Order, Query, User

def a(session, x):
    session.query(Query).filter(func.jsonb_typeof(Query.schedule) != "null").all()
    session.query(User).filter(User.role != 1).all()
    session.query(User).filter(or_(User.email == x, User.name == x)).first()
    session.query(User).filter(User.email.isnot(None), User.org_id == x).all()
    session.query(User).filter(~User.name.in_(x), User.nick.ilike("%a%"), User.code.like("a%")).all()
    Order.objects.filter(Q(status="a") | Q(channel="b")).first()
    Order.objects.filter(~Q(status="a"), number=x).first()
    Order.objects.filter(cancelled_at__isnull=False, name__icontains=x).count()
"""
    assert _shapes(py, "app/views.py", "python") == {
        6: (("schedule",), ("schedule",), ()),  # a function of the column, compared by <>
        7: (("role",), ("role",), ()),
        8: (("email", "name"), (), ("email", "name")),
        9: (("email", "org_id"), ("email",), ()),
        10: (("name", "nick", "code"), ("name", "nick"), ()),
        11: (("status", "channel"), (), ("status", "channel")),
        12: (("number", "status"), ("status",), ()),
        13: (("cancelled_at", "name"), ("cancelled_at", "name"), ()),
    }


def test_a_model_reached_through_its_module_is_a_plain_column_reference() -> None:
    """``model.Directory.ctime > since`` is a range on ``ctime`` (a b-tree index serves it),
    and ``model.Directory.id == model.CategoryDirectory.directory_id`` a join condition, as
    they are without the module prefix; only ``!=`` stays unselective."""
    py = """from app import model

def f(session, since, x):
    session.query(model.Directory.name).filter(model.Directory.ctime > since).all()
    session.query(model.Directory.name).filter(model.Directory.id == model.CategoryDirectory.directory_id).all()
    session.query(model.Directory.name).filter(model.Directory.kind != x).all()
"""
    got = _shapes(py, "app/views.py", "python")
    assert got[4] == (("ctime",), (), ())
    # the FastAPI tutorial's style: the query is on ``User``, filtered on ``email``
    tutorial = "from app import models\n\ndef get_user(db, email):\n    return db.query(models.User).filter(models.User.email == email).first()\n"
    found = [f for f in _facts(tutorial, "app/crud.py", "python") if isinstance(f, DataAccess)]
    assert [(f.model, f.filter_fields, f.kind) for f in found] == [("User", ("email",), "read-one")]
    assert got[5][1] == ()  # a join key is no unselective filter
    assert got[6] == (("kind",), ("kind",), ())


# --------------------------------------------------------------------------- soft deletion


def _soft(text: str, path: str, language: str) -> dict[int, tuple[tuple[str, ...], tuple[str, ...]]]:
    return {
        f.loc.line: (f.unselective_fields, f.soft_delete_fields)
        for f in _facts(text, path, language)
        if isinstance(f, DataAccess)
    }


def test_soft_delete_null_checks_of_option_objects_and_builders() -> None:
    ts = """\
import { and, eq, isNull } from "drizzle-orm";
import { IsNull } from "typeorm";
export async function s(u: any, repo: any) {
  await prisma.page.findMany({ where: { removedAt: null, bookId: u } });
  await prisma.page.findMany({ where: { deleted_at: { equals: null }, bookId: u } });
  await prisma.page.findMany({ where: { deletedAt: { not: null }, bookId: u } });
  await prisma.page.findMany({ where: { NOT: { deletedAt: null }, bookId: u } });
  await prisma.page.findMany({ where: { parentId: null, bookId: u } });
  await prisma.page.findMany({ where: { OR: [{ deletedAt: null }, { deletedAt: { gt: u } }] } });
  await db.select().from(pages).where(and(isNull(pages.trashedAt), eq(pages.bookId, u))).limit(5);
  await repo.find({ where: { archivedAt: IsNull(), bookId: u } });
  await repo.createQueryBuilder("p").where("p.date_deleted IS NULL").andWhere("p.bookId = :b", { b: u }).take(3).getMany();
  await Page.findAll({ where: { deletionTime: { [Op.is]: null }, bookId: u } });
}
"""
    assert _soft(ts, "src/pages.ts", "typescript") == {
        4: (("removedAt",), ("removedAt",)),
        5: (("deleted_at",), ("deleted_at",)),
        6: (("deletedAt",), ()),  # IS NOT NULL: the deleted rows, the rare ones
        7: (("deletedAt",), ()),  # NOT (IS NULL) is the same
        8: ((), ()),  # parentId IS NULL: a column that marks no deletion, an equality
        9: (("deletedAt",), ()),  # compared by a range too
        10: (("trashedAt",), ("trashedAt",)),
        11: (("archivedAt",), ("archivedAt",)),
        12: (("date_deleted",), ("date_deleted",)),
        13: (("deletionTime",), ("deletionTime",)),
    }


def test_soft_delete_null_checks_of_knex() -> None:
    js = """\
const knex = require("knex")({});
async function k(u) {
  await knex("pages").whereNull("deleted_at").where("book_id", u).limit(3);
  await knex("pages").where({ archived_at: null, book_id: u }).limit(3);
  await knex("pages").where("deleted_at", null).where("book_id", u).limit(3);
  await knex("pages").whereNotNull("deleted_at").where("book_id", u).limit(3);
  await knex("pages").whereNull("published_at").where("book_id", u).limit(3);
}
"""
    assert _soft(js, "src/pages.js", "javascript") == {
        3: (("deleted_at",), ("deleted_at",)),
        4: (("archived_at",), ("archived_at",)),
        5: (("deleted_at",), ("deleted_at",)),
        6: (("deleted_at",), ()),
        7: ((), ()),
    }


def test_soft_delete_null_checks_in_python() -> None:
    py = """\
from django.db.models import Q
from .models import Page

def p(session, x):
    session.query(Page).filter(Page.deleted_at.is_(None), Page.book_id == x).all()
    session.query(Page).filter(Page.deleted_at == None, Page.book_id == x).all()
    session.query(Page).filter(Page.deleted_at.isnot(None), Page.book_id == x).all()
    session.query(Page).filter_by(archived_at=None, book_id=x).all()
    Page.objects.filter(deleted_at__isnull=True, book=x).first()
    Page.objects.filter(removed_on=None, book=x).first()
    Page.objects.filter(~Q(deleted_at=None), book=x).first()
    Page.objects.filter(deleted_at__isnull=False, book=x).first()
    Page.objects.filter(parent__isnull=True, book=x).first()
"""
    assert _soft(py, "app/views.py", "python") == {
        5: (("deleted_at",), ("deleted_at",)),
        6: (("deleted_at",), ("deleted_at",)),
        7: (("deleted_at",), ()),
        8: (("archived_at",), ("archived_at",)),
        9: (("deleted_at",), ("deleted_at",)),
        10: (("removed_on",), ("removed_on",)),
        11: (("deleted_at",), ()),
        12: (("deleted_at",), ()),
        13: ((), ()),
    }


def test_names_that_mark_soft_deletion() -> None:
    from scalescope.scan.extract.selectivity import is_soft_delete_column

    marked = [
        "deletedAt",
        "deleted_at",
        "deletedTime",
        "DELETED_ON",
        "archivedAt",
        "archived",
        "removed_at",
        "trashedAt",
        "discarded_at",
        "deletedById",
        "deletion_date",
        "date_deleted",
        "t.deletedAt",
        '"deleted_at"',
    ]
    plain = [
        "parentId",
        "published_at",
        "is_deleted",
        "undeleted_at",
        "deletedCount",
        "expires_at",
        "delete",
        "archive",
    ]
    assert [n for n in marked if not is_soft_delete_column(n)] == []
    assert [n for n in plain if is_soft_delete_column(n)] == []
