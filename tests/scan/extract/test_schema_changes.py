"""Schema steps of migrations besides creating indexes (:class:`SchemaChange`): drops, renames,
added columns and created tables, from SQL files, SQL held in code, TypeORM / Sequelize
operations, Alembic revisions (batch operations and the revision chain too) and Django
migrations; nothing of a reverse step."""

# ruff: noqa: E501  (fixture source lines are kept as written)

from __future__ import annotations

from scalescope.model.facts import IndexDef, MigrationRevision, SchemaChange
from scalescope.scan.extract.base import extract_file


def _facts(text: str, path: str, language: str) -> list[object]:
    result = extract_file(path, language, text)
    assert not result.errors, result.errors
    return list(result.facts)


def _changes(text: str, path: str, language: str) -> list[tuple[int, str, str, str, str]]:
    """(line, op, table, name (or the columns of a drop by columns), new name), in line order."""
    changes = [f for f in _facts(text, path, language) if isinstance(f, SchemaChange)]
    return sorted(
        (
            (
                f.loc.line,
                f.op,
                f.table,
                f.name or ("" if f.op == "create-table" else ",".join(f.columns)),
                f.new_name,
            )
            for f in changes
        ),
        key=lambda c: c[0],
    )


def _indexes(text: str, path: str, language: str) -> list[tuple[int, str, tuple[str, ...], bool]]:
    found = [
        (f.loc.line, f.table, f.columns, f.unique)
        for f in _facts(text, path, language)
        if isinstance(f, IndexDef)
    ]
    return sorted(found, key=lambda i: i[0])


SQL = """\
DROP INDEX IF EXISTS "User_email_key", "foo";
DROP INDEX `idx` ON `users`;
ALTER TABLE "User" RENAME COLUMN "mail" TO "email", ADD COLUMN "handle" TEXT UNIQUE, DROP CONSTRAINT "x_uq";
ALTER TABLE "public"."User" RENAME TO "users";
ALTER INDEX "a_idx" RENAME TO "b_idx";
RENAME TABLE a TO b;
DROP TABLE IF EXISTS "Old" CASCADE;
ALTER TABLE t DROP COLUMN IF EXISTS c, DROP FOREIGN KEY fk1, DROP KEY k1;
ALTER TABLE "Task" ADD COLUMN "source" "TaskSource" NOT NULL DEFAULT 'STANDARD';
ALTER TABLE "Team" ADD COLUMN "orgId" TEXT, -- made NOT NULL later
ADD COLUMN "settingsId" TEXT;
"""


def test_sql_drops_renames_and_added_columns() -> None:
    assert _changes(SQL, "prisma/migrations/20240101_x/migration.sql", "sql") == [
        (1, "drop-index", "", "User_email_key", ""),
        (1, "drop-index", "", "foo", ""),
        (2, "drop-index", "users", "idx", ""),
        (3, "rename-column", "User", "mail", "email"),
        (3, "add-column", "User", "handle", ""),
        (3, "drop-constraint", "User", "x_uq", ""),
        (4, "rename-table", "User", "", "users"),
        (5, "rename-index", "", "a_idx", "b_idx"),
        (6, "rename-table", "a", "", "b"),
        (7, "drop-table", "Old", "", ""),
        (8, "drop-column", "t", "c", ""),
        (8, "drop-index", "t", "k1", ""),
        (9, "add-column", "Task", "source", ""),
        (10, "add-column", "Team", "orgId", ""),
        (10, "add-column", "Team", "settingsId", ""),
    ]
    # a column added as UNIQUE is a unique index
    assert _indexes(SQL, "db/migrations/1.sql", "sql") == [(3, "User", ("handle",), True)]


def test_sql_reverse_sections_and_files_are_not_read() -> None:
    dbmate = "-- migrate:up\nCREATE INDEX a ON t (x);\n\n-- migrate:down\nDROP INDEX a;\nCREATE INDEX b ON t (y);\n"
    assert _indexes(dbmate, "db/migrations/20240101_a.sql", "sql") == [(2, "t", ("x",), False)]
    assert _changes(dbmate, "db/migrations/20240101_a.sql", "sql") == []
    goose = "-- +goose Up\nALTER TABLE t ADD COLUMN c int;\n-- +goose Down\nALTER TABLE t DROP COLUMN c;\n"
    assert _changes(goose, "migrations/00002_c.sql", "sql") == [(2, "add-column", "t", "c", "")]
    assert _facts("DROP TABLE t;", "migrations/000001_init.down.sql", "sql") == []


def test_sql_do_blocks_and_operator_classes() -> None:
    sql = (
        'DO $$\nBEGIN\n  ALTER TABLE "Env"\n  ADD COLUMN "code" text;\n'
        '  CREATE UNIQUE INDEX "Env_code_key" ON "Env"("projectId", "code");\n'
        '  DROP INDEX "Env_old_idx";\nEND $$;\n'
        'CREATE INDEX CONCURRENTLY IF NOT EXISTS "Run_tags_idx" ON "Run" USING GIN ("tags" array_ops);\n'
    )
    path = "prisma/migrations/20240101_x/migration.sql"
    # a DO block's creations count; its drops usually run under a condition and do not
    assert _changes(sql, path, "sql") == [(3, "add-column", "Env", "code", "")]
    assert _indexes(sql, path, "sql") == [
        (5, "Env", ("projectId", "code"), True),
        (8, "Run", ("tags",), False),
    ]


TYPEORM = """\
import { MigrationInterface, QueryRunner, Table, TableColumn } from "typeorm";

export class Init1700000000000 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "invoice" ("id" SERIAL NOT NULL, "ref" character varying NOT NULL, CONSTRAINT "UQ_1" UNIQUE ("ref"), CONSTRAINT "PK_1" PRIMARY KEY ("id"))`);
    await queryRunner.query(`DROP INDEX "public"."IDX_old"`);
    await queryRunner.createTable(new Table({ name: "post", columns: [{ name: "id", type: "int", isPrimary: true }, { name: "slug", type: "varchar" }] }));
    await queryRunner.addColumn("post", new TableColumn({ name: "handle", type: "varchar", isUnique: true }));
    await queryRunner.dropIndex("post", "IDX_post_old");
    await queryRunner.renameColumn("post", "title", "headline");
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_new"`);
    await queryRunner.dropTable("post");
  }
}
"""


def test_typeorm_migration_steps_and_sql_it_runs() -> None:
    path = "src/migrations/1700000000000-Init.ts"
    assert _changes(TYPEORM, path, "typescript") == [
        (5, "create-table", "invoice", "", ""),
        (6, "drop-index", "", "IDX_old", ""),
        (7, "create-table", "post", "", ""),
        (8, "add-column", "post", "handle", ""),
        (9, "drop-index", "post", "IDX_post_old", ""),
        (10, "rename-column", "post", "title", "headline"),
    ]
    created = [
        f
        for f in _facts(TYPEORM, path, "typescript")
        if isinstance(f, SchemaChange) and f.op == "create-table"
    ]
    assert sorted(f.columns for f in created) == [("id", "ref"), ("id", "slug")]
    assert (5, "invoice", ("ref",), True) in _indexes(TYPEORM, path, "typescript")
    assert (8, "post", ("handle",), True) in _indexes(TYPEORM, path, "typescript")


def test_sequelize_migration_steps() -> None:
    js = """\
module.exports = {
  up: async (queryInterface, Sequelize) => {
    await queryInterface.createTable('Users', { id: { type: Sequelize.INTEGER, primaryKey: true }, email: Sequelize.STRING });
    await queryInterface.addColumn('Users', 'handle', { type: Sequelize.STRING });
    await queryInterface.removeIndex('Users', ['email']);
    await queryInterface.removeConstraint('Users', 'users_handle_uq');
    await queryInterface.renameTable('Users', 'Members');
  },
  down: async (queryInterface) => { await queryInterface.dropTable('Members'); },
};
"""
    assert _changes(js, "migrations/20240101000000-init.js", "javascript") == [
        (3, "create-table", "Users", "", ""),
        (4, "add-column", "Users", "handle", ""),
        (5, "drop-index", "Users", "email", ""),
        (6, "drop-constraint", "Users", "users_handle_uq", ""),
        (7, "rename-table", "Users", "", "Members"),
    ]


ALEMBIC = '''\
"""add things"""
import sqlalchemy as sa
from alembic import op

revision: str = "b71c2d3e4f5a"
down_revision: str | None = ("3f2a9c1b7d4e", "9e8d7c6b5a4f")


def upgrade() -> None:
    op.add_column("users", sa.Column("handle", sa.String(), nullable=True, index=True))
    op.drop_index(op.f("ix_users_old"), table_name="users")
    op.drop_constraint("uq_users_x", "users", type_="unique")
    op.alter_column("users", "nick", new_column_name="nickname")
    op.rename_table("people", "persons")
    op.drop_column("users", "legacy")
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("slug", sa.String(), nullable=True))
        batch_op.create_index(batch_op.f("ix_posts_slug"), ["slug"], unique=True)
        batch_op.drop_index("ix_posts_old")


def downgrade() -> None:
    op.drop_table("users")
    op.create_index("ix_back", "users", ["x"])
    with op.batch_alter_table("posts") as batch_op:
        batch_op.drop_column("slug")
'''


def test_alembic_steps_batches_and_revision() -> None:
    path = "alembic/versions/b71c2d3e4f5a_add_things.py"
    assert _changes(ALEMBIC, path, "python") == [
        (10, "add-column", "users", "handle", ""),
        (11, "drop-index", "users", "ix_users_old", ""),
        (12, "drop-constraint", "users", "uq_users_x", ""),
        (13, "rename-column", "users", "nick", "nickname"),
        (14, "rename-table", "people", "", "persons"),
        (15, "drop-column", "users", "legacy", ""),
        (17, "add-column", "posts", "slug", ""),
        (19, "drop-index", "posts", "ix_posts_old", ""),
    ]
    # nothing of downgrade(): its create_index is the schema before the revision
    assert _indexes(ALEMBIC, path, "python") == [
        (10, "users", ("handle",), False),
        (18, "posts", ("slug",), True),
    ]
    revisions = [f for f in _facts(ALEMBIC, path, "python") if isinstance(f, MigrationRevision)]
    assert [(r.revision, r.parents) for r in revisions] == [
        ("b71c2d3e4f5a", ("3f2a9c1b7d4e", "9e8d7c6b5a4f"))
    ]


DJANGO = """\
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    operations = [
        migrations.CreateModel(
            name="Post",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True)),
                ("slug", models.SlugField(unique=True)),
                ("title", models.CharField(max_length=100, db_index=True)),
                ("author", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="auth.user")),
                ("tags", models.ManyToManyField(to="blog.tag")),
            ],
            options={"indexes": [models.Index(fields=["title", "slug"], name="post_t_s")], "unique_together": {("title", "author")}},
        ),
        migrations.CreateModel(name="Legacy", fields=[("x", models.IntegerField(db_index=True))], options={"managed": False}),
        migrations.AddField(model_name="post", name="views", field=models.IntegerField(db_index=True)),
        migrations.AlterField(model_name="post", name="title", field=models.CharField(max_length=200)),
        migrations.RemoveIndex(model_name="post", name="post_t_s"),
        migrations.RenameField(model_name="post", old_name="slug", new_name="handle"),
        migrations.RemoveField(model_name="post", name="views"),
        migrations.RenameModel(old_name="Post", new_name="Article"),
        migrations.DeleteModel(name="Tag"),
        migrations.RunSQL("CREATE INDEX x ON blog_post (views)", "DROP INDEX x"),
    ]
"""


def test_django_migration_steps() -> None:
    path = "blog/migrations/0001_initial.py"
    assert _changes(DJANGO, path, "python") == [
        (7, "create-table", "post", "", ""),
        (19, "add-column", "post", "views", ""),
        (20, "alter-column", "post", "title", ""),
        (21, "drop-index", "post", "post_t_s", ""),
        (22, "rename-column", "post", "slug", "handle"),
        (23, "drop-column", "post", "views", ""),
        (24, "rename-table", "post", "", "article"),
        (25, "drop-table", "tag", "", ""),
    ]
    created = [
        f for f in _facts(DJANGO, path, "python") if isinstance(f, SchemaChange) and f.op == "create-table"
    ]
    assert created[0].columns == ("id", "slug", "title", "author")  # no many-to-many column
    # the fields Django indexes (a foreign key too), Meta options, an added field; a RunSQL's
    # reverse SQL is not read; nothing of the unmanaged model
    assert _indexes(DJANGO, path, "python") == [
        (11, "post", ("slug",), True),
        (12, "post", ("title",), False),
        (13, "post", ("author",), False),
        (16, "post", ("title", "slug"), False),
        (16, "post", ("title", "author"), True),
        (19, "post", ("views",), False),
        (26, "blog_post", ("views",), False),
    ]


def test_class_decorators_separated_by_comments() -> None:
    ts = """\
import { Entity, Index, Unique } from "typeorm";

// lookups by account, newest first
@Index(["accountId", "issuedAt"])
// one number per account
@Unique(["accountId", "number"])
@Entity()
export class Invoice {}
"""
    tables = [f for f in _facts(ts, "src/invoice.entity.ts", "typescript") if type(f).__name__ == "Table"]
    assert [i.columns for t in tables for i in t.indexes] == [
        ("accountId", "issuedAt"),
        ("accountId", "number"),
    ]


def test_django_together_options_written_as_set_calls() -> None:
    # older Django versions wrote ``set([...])``; the indexes are the same
    text = """\
from django.db import migrations


class Migration(migrations.Migration):
    operations = [
        migrations.AlterIndexTogether(
            name="reply",
            index_together=set([("topic", "id"), ("author", "created")]),
        ),
        migrations.AlterUniqueTogether(name="vote", unique_together=set([("reply", "voter")])),
    ]
"""
    assert _indexes(text, "forum/migrations/0001_initial.py", "python") == [
        (8, "reply", ("topic", "id"), False),
        (8, "reply", ("author", "created"), False),
        (10, "vote", ("reply", "voter"), True),
    ]
