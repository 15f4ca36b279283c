"""Fix knowledge of the database rules, as data: batching per ORM (SC-DB-003), statement
timeouts per client library (SC-DB-002), index declarations per schema tool with the project's
own way of applying schema changes (SC-DB-006), paging per ORM (SC-DB-004), counts per page
(SC-DB-005), eager-loading depth (SC-DB-007) and trigram / FULLTEXT indexes for substring
search per schema tool (SC-DB-014)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from scalescope.model.facts import Table
from scalescope.model.project import ProjectModel
from scalescope.scan.rules._fixes import Fix, camel, fill

# --------------------------------------------------------------------------- N+1 (SC-DB-003)

#: orm -> how to load per-item rows in one query
N_PLUS_ONE: dict[str, Fix] = {
    "prisma": Fix(
        "Load the related rows in one query: `include` the relation on the parent query, or fetch them "
        "all with an `in` filter and join in memory.",
        "const rows = await prisma.{camel}.findMany({{ where: {{ {key}: {{ in: keys }} }} }});\n"
        "const byKey = Map.groupBy(rows, (r) => r.{key});",
        "ts",
    ),
    "typeorm": Fix(
        "Load the relation with the parent (`relations: [...]` / `leftJoinAndSelect`) or fetch all rows "
        "at once with `In(keys)`.",
        "const rows = await this.{camel}Repository.find({{ where: {{ {key}: In(keys) }} }});",
        "ts",
    ),
    "sequelize": Fix(
        "Eager-load with `include` on the parent query, or fetch all rows with `Op.in` and group in memory.",
        "const rows = await {Model}.findAll({{ where: {{ {key}: {{ [Op.in]: keys }} }} }});",
        "ts",
    ),
    "mongoose": Fix(
        "Use `populate()` on the parent query or one `find` with `$in` and join in memory.",
        "const docs = await {Model}.find({{ {key}: {{ $in: keys }} }}).lean();",
        "ts",
    ),
    "mongodb": Fix(
        "Fetch all documents with one `$in` query (or a `$lookup` stage) instead of one per item.",
        "const docs = await db.collection('{table}').find({{ {key}: {{ $in: keys }} }}).toArray();",
        "ts",
    ),
    "knex": Fix(
        "Fetch all rows with one `whereIn` (or a join) and group them in memory.",
        "const rows = await knex('{table}').whereIn('{key}', keys);",
        "ts",
    ),
    "drizzle": Fix(
        "Use a relational query with `with`, or one `inArray` query, instead of a query per item.",
        "const rows = await db.select().from({camel}).where(inArray({camel}.{key}, keys));",
        "ts",
    ),
    "supabase": Fix(
        "Fetch all rows with one `.in()` filter (or embed the relation in `select`) instead of per item.",
        "const {{ data }} = await supabase.from('{table}').select('*').in('{key}', keys);",
        "ts",
    ),
    "sqlalchemy": Fix(
        "Eager-load with `selectinload`/`joinedload`, or one `IN` query, instead of a query per item.",
        "rows = session.scalars(select({Model}).where({Model}.{key}.in_(keys))).all()",
        "python",
    ),
    "django": Fix(
        "Use `select_related` (FK) or `prefetch_related` (reverse/many-to-many) on the parent queryset, "
        "or one `__in` query.",
        "rows = {Model}.objects.filter({key}__in=keys)",
        "python",
    ),
}
N_PLUS_ONE_GENERIC = Fix(
    "Batch the lookups: one query with an IN list (or a join), or a DataLoader that collects the keys "
    "of one tick into a single query.",
    "SELECT * FROM {table} WHERE {key} = ANY($1)  -- all keys at once",
    "sql",
)
#: the key a per-item lookup uses when the query shows none, per ORM
_DEFAULT_KEY = {"mongoose": "_id", "mongodb": "_id", "django": "pk"}


def n_plus_one_fix(orm: str, model: str | None, filter_fields: Sequence[str] = ()) -> Fix:
    """One query for all items, on the column the per-item query filters (its first filter)."""
    key = next((f for f in filter_fields if re.fullmatch(r"[A-Za-z_$][\w$]*", f)), "")
    return fill(N_PLUS_ONE.get(orm, N_PLUS_ONE_GENERIC), model, key or _DEFAULT_KEY.get(orm, "id"))


def dataloader_fix(orm: str, model: str | None, python: bool, filter_fields: Sequence[str] = ()) -> Fix:
    """Batch a GraphQL field resolver's lookups of one request: a DataLoader around the ORM's
    one-query batch (the N+1 snippet for that ORM, model and key column)."""
    batch = n_plus_one_fix(orm, model, filter_fields)
    key = next((f for f in filter_fields if re.fullmatch(r"[A-Za-z_$][\w$]*", f)), "id")
    name = re.sub(r"\W", "", (model or "item").rsplit(".", 1)[-1]) or "item"
    loader = camel(name)
    first = batch.snippet.splitlines()[0]
    if python:
        return Fix(
            "Batch the lookups of one request with a DataLoader keyed by the parent id "
            "(strawberry.dataloader / a promise DataLoader for graphene), or prefetch the "
            "relation on the parent query.",
            f"async def load_{loader}(keys):\n"
            f"    {first.replace('keys', 'list(keys)')}\n"
            "    ...  # return the rows grouped in the order of keys\n"
            f"{loader}_loader = DataLoader(load_fn=load_{loader})  # one per request",
            "python",
        )
    return Fix(
        "Batch the lookups of one request with a DataLoader (the `dataloader` package, one instance "
        "per request in the context) keyed by the parent id.",
        f"const {loader}Loader = new DataLoader(async (keys: readonly string[]) => {{\n"
        f"  {first.replace('keys', '[...keys]')}\n"
        f"  return keys.map((k) => rows.filter((r) => r.{key} === k));\n"
        "});",
        "ts",
    )


# --------------------------------------------------------------------------- statement timeouts (SC-DB-002)

#: db client library -> how to give it a statement timeout (SC-DB-002)
TIMEOUT_FIXES: dict[str, Fix] = {
    "prisma": Fix(
        "Prisma Client has no statement-timeout option: set `socket_timeout` (seconds a single query "
        "may take) and `pool_timeout` in the datasource URL, and a server-side limit with "
        "`ALTER ROLE app SET statement_timeout = '5s'` so PostgreSQL cancels the query too.",
        'DATABASE_URL="postgresql://app:***@db:5432/app?connection_limit=10&pool_timeout=10'
        '&socket_timeout=15"\n'
        "-- and once, in a migration:\nALTER ROLE app SET statement_timeout = '5s';",
        "bash",
    ),
    "pg": Fix(
        "Set statement_timeout (server-side) and query_timeout (client-side) on the Pool.",
        "new Pool({\n  connectionString: process.env.DATABASE_URL,\n  statement_timeout: 5_000,\n"
        "  query_timeout: 6_000,\n  connectionTimeoutMillis: 5_000,\n});",
        "ts",
    ),
    "postgres-js": Fix(
        "Pass a server-side statement_timeout through `connection`.",
        "postgres(url, { max: 10, connection: { statement_timeout: 5000 } });",
        "ts",
    ),
    "drizzle": Fix(
        "Build the pg Pool yourself with statement_timeout and pass it to drizzle().",
        "const pool = new Pool({ connectionString: url, statement_timeout: 5_000 });\n"
        "export const db = drizzle(pool);",
        "ts",
    ),
    "typeorm": Fix(
        "TypeORM's maxQueryExecutionTime only logs slow queries; pass statement_timeout to the driver "
        "through `extra`.",
        'new DataSource({\n  type: "postgres",\n  // ...\n  extra: { max: 10, statement_timeout: 5_000, '
        "connectionTimeoutMillis: 5_000 },\n});",
        "ts",
    ),
    "sequelize": Fix(
        "Set dialectOptions.statement_timeout (pg) so the server cancels runaway queries.",
        "new Sequelize(url, { dialectOptions: { statement_timeout: 5000 }, pool: { max: 10, "
        "acquire: 10_000 } });",
        "ts",
    ),
    "knex": Fix(
        "acquireConnectionTimeout bounds waiting for a connection, not a query; set statement_timeout on "
        "the connection.",
        'knex({\n  client: "pg",\n  connection: { connectionString: process.env.DATABASE_URL, '
        "statement_timeout: 5000 },\n  pool: { min: 0, max: 10 },\n});",
        "ts",
    ),
    "mongoose": Fix(
        "Set socketTimeoutMS on the connection (and maxTimeMS on heavy queries).",
        "mongoose.connect(uri, { maxPoolSize: 20, serverSelectionTimeoutMS: 5000, socketTimeoutMS: 30000 });",
        "ts",
    ),
    "mongodb": Fix(
        "Set timeoutMS (driver 6+) or socketTimeoutMS on the MongoClient.",
        "new MongoClient(uri, { maxPoolSize: 20, timeoutMS: 10_000 });",
        "ts",
    ),
    "sqlalchemy": Fix(
        "Pass a server-side statement timeout through connect_args.",
        'create_engine(url, connect_args={"options": "-c statement_timeout=5000", "connect_timeout": 5})\n'
        '# asyncpg: connect_args={"command_timeout": 5, "server_settings": {"statement_timeout": "5000"}}',
        "python",
    ),
    "asyncpg": Fix(
        "Set command_timeout (client) and/or server_settings statement_timeout on the pool.",
        "await asyncpg.create_pool(dsn, max_size=10, command_timeout=5, "
        'server_settings={"statement_timeout": "5000"})',
        "python",
    ),
    "psycopg": Fix(
        "Pass statement_timeout through the pool's connection kwargs.",
        'ConnectionPool(conninfo, max_size=10, kwargs={"options": "-c statement_timeout=5000"})',
        "python",
    ),
    "psycopg2": Fix(
        "Pass statement_timeout in the connection options.",
        'ThreadedConnectionPool(1, 10, dsn, options="-c statement_timeout=5000")',
        "python",
    ),
    "django": Fix(
        "Set a statement timeout in DATABASES OPTIONS.",
        'DATABASES["default"]["OPTIONS"] = {"options": "-c statement_timeout=5000", "connect_timeout": 5}',
        "python",
    ),
}


def timeout_fix(library: str) -> Fix:
    return TIMEOUT_FIXES[library]


# --------------------------------------------------------------------------- indexes (SC-DB-006)

#: schema source -> how an index is declared: (advice, snippet) for one column and for several.
#: Slots: ``{name}`` model, ``{table}``, ``{col}`` first column, ``{cols}`` joined, ``{quoted}``
#: quoted list, ``{idx}`` index name, ``{on}`` Drizzle columns, ``{spec}`` Mongo spec,
#: ``{camel}`` schema variable, ``{apply}`` the project's way to apply schema changes.
INDEX_FIXES: dict[str, tuple[tuple[str, str], tuple[str, str], str]] = {
    "prisma": (
        (
            "Add `@@index([{cols}])` to model {name} and {apply}.",
            "model {name} {{\n  // ...\n  @@index([{cols}])\n}}",
        ),
        (
            "Add `@@index([{cols}])` to model {name} and {apply}.",
            "model {name} {{\n  // ...\n  @@index([{cols}])\n}}",
        ),
        "prisma",
    ),
    "typeorm": (
        (
            "Decorate `{col}` with `@Index()` in entity {name} and {apply}.",
            "@Index()\n@Column()\n{col}: string;",
        ),
        (
            "Add `@Index([{quoted}])` to entity {name} and {apply}.",
            "@Index([{quoted}])\n@Entity()\nexport class {name} {{ /* ... */ }}",
        ),
        "ts",
    ),
    "mongoose": (
        (
            "Declare the index on the {name} schema (`schema.index({{ {spec} }})`) and build it.",
            "{camel}Schema.index({{ {spec} }});",
        ),
        (
            "Declare the index on the {name} schema (`schema.index({{ {spec} }})`) and build it.",
            "{camel}Schema.index({{ {spec} }});",
        ),
        "ts",
    ),
    "drizzle": (
        (
            "Add `index('{idx}').on({on})` to the {name} table's extra config and {apply}.",
            "(t) => [index('{idx}').on({on})]",
        ),
        (
            "Add `index('{idx}').on({on})` to the {name} table's extra config and {apply}.",
            "(t) => [index('{idx}').on({on})]",
        ),
        "ts",
    ),
    "sequelize": (
        (
            "Add `indexes: [{{ fields: [{quoted}] }}]` to the {name} model options and {apply}.",
            "{{ indexes: [{{ fields: [{quoted}] }}] }}",
        ),
        (
            "Add `indexes: [{{ fields: [{quoted}] }}]` to the {name} model options and {apply}.",
            "{{ indexes: [{{ fields: [{quoted}] }}] }}",
        ),
        "ts",
    ),
    "sqlalchemy": (
        (
            "Pass `index=True` to the `{col}` column of {name} and {apply}.",
            "{col} = mapped_column(String, index=True)",
        ),
        (
            'Add `Index("{idx}", {dquoted})` to `__table_args__` of {name} and {apply}.',
            '__table_args__ = (Index("{idx}", {dquoted}),)',
        ),
        "python",
    ),
    "django": (
        (
            "Set `db_index=True` on `{col}` of {name} (or add a `Meta.indexes` entry) and {apply}.",
            "{col} = models.CharField(max_length=32, db_index=True)",
        ),
        (
            "Add `models.Index(fields=[{dquoted}])` to `{name}.Meta.indexes` and {apply}.",
            "class Meta:\n    indexes = [models.Index(fields=[{dquoted}])]",
        ),
        "python",
    ),
}
_INDEX_SQL = (
    "Create the index without locking writes: `CREATE INDEX CONCURRENTLY {idx} ON {table} ({cols})`.",
    "CREATE INDEX CONCURRENTLY {idx} ON {table} ({cols});",
)
# files that show how a project applies schema changes
_PRISMA_MIGRATION = re.compile(r"(?:^|/)migrations/\d{8,}[^/]*/migration\.sql$")
_DRIZZLE_MIGRATION = re.compile(r"(?:^|/)\d{4}_[A-Za-z0-9_-]+\.sql$")
_ALEMBIC = re.compile(r"(?:^|/)(?:alembic|migrations)/(?:env\.py|versions/)")


def schema_apply(model: ProjectModel, source: str) -> str:
    """How this project applies a schema change, from its files: Prisma migrations or
    ``db push``; drizzle-kit ``generate`` + ``migrate`` or ``push``; an Alembic revision."""
    paths = [f.path for f in model.files]
    if source == "prisma":
        if any(_PRISMA_MIGRATION.search(p) for p in paths):
            return "run `prisma migrate dev` (the project keeps Prisma migrations)"
        return "run `prisma db push` (the project has no Prisma migrations folder)"
    if source == "drizzle":
        if any(_DRIZZLE_MIGRATION.search(p) for p in paths):
            return "run `drizzle-kit generate` then `drizzle-kit migrate` (the project keeps SQL migrations)"
        return "run `drizzle-kit push` (the project keeps no drizzle-kit migrations)"
    if source == "sqlalchemy":
        if any(_ALEMBIC.search(p) for p in paths):
            return "add an Alembic revision (`alembic revision --autogenerate`)"
        return "create it in the database too (`create_all` does not alter existing tables)"
    if source == "django":
        return "run `makemigrations`"
    if source == "typeorm":
        return "generate a migration (`typeorm migration:generate`)"
    return "add a migration"


def index_fix(model: ProjectModel, table: Table, cols: Sequence[str]) -> Fix:
    """How to add an index led by ``cols[0]`` in the schema tool that defines ``table``."""
    name = table.model or table.name
    values = {
        "name": name,
        "table": table.name,
        "col": cols[0],
        "cols": ", ".join(cols),
        "quoted": ", ".join(f"'{c}'" for c in cols),
        "dquoted": ", ".join(f'"{c}"' for c in cols),
        "idx": f"{table.name}_{'_'.join(cols)}_idx".lower(),
        "on": ", ".join(f"t.{c}" for c in cols),
        "spec": ", ".join(f"{c}: 1" for c in cols),
        "camel": camel(name),
    }
    entry = INDEX_FIXES.get(table.source)
    if entry is None:
        return Fix(_INDEX_SQL[0].format(**values), _INDEX_SQL[1].format(**values), "sql")
    one, many, language = entry
    advice, snippet = one if len(cols) == 1 else many
    values["apply"] = schema_apply(model, table.source)
    return Fix(advice.format(**values), snippet.format(**values), language)


# --------------------------------------------------------------------------- migration drift (SC-DB-016)

#: schema tool -> how to commit the migration an index declaration lacks; ``{cols}`` and
#: ``{idx}`` are the index's columns and a name for it
MISSING_MIGRATION: dict[str, Fix] = {
    "prisma": Fix(
        "Generate the migration the schema change needs and commit it: `npx prisma migrate dev --name {idx}` "
        "(on a large table, edit the generated SQL to `CREATE INDEX CONCURRENTLY` and apply it outside a "
        "transaction). Where a database already has the index (made by hand or by `prisma db push`), mark "
        "the migration applied there with `prisma migrate resolve --applied <migration>`.",
        "npx prisma migrate dev --name {idx}\n"
        "npx prisma migrate resolve --applied <migration>  # where the index already exists",
        "shell",
    ),
    "drizzle": Fix(
        "Generate the SQL migration from the schema and commit it together with `meta/_journal.json`: "
        "`npx drizzle-kit generate`, applied by `drizzle-kit migrate` (or `migrate()` at deploy time).",
        "npx drizzle-kit generate\nnpx drizzle-kit migrate",
        "shell",
    ),
    "typeorm": Fix(
        "Generate a migration from the entities and commit it: `typeorm migration:generate` writes the "
        "`CREATE INDEX` the entity declares (check that it does).",
        "npx typeorm migration:generate -d src/data-source.ts src/migrations/{Model}Index",
        "shell",
    ),
    "sequelize": Fix(
        "Add a migration that creates it (`npx sequelize-cli migration:generate --name {idx}`), commit it.",
        "await queryInterface.addIndex('{table}', [{quoted}]{unique_js});",
        "js",
    ),
    "sqlalchemy": Fix(
        "Add an Alembic revision that creates it (`alembic revision --autogenerate`; check it contains the "
        "`op.{alembic_op}`) and commit it.",
        'alembic revision --autogenerate -m "{idx}"\n'
        '# upgrade(): op.{alembic_op}("{idx}", "{table}", [{dquoted}])',
        "shell",
    ),
    "django": Fix(
        "Run `makemigrations` and commit the migration it writes; run `makemigrations --check --dry-run` in "
        "CI so a model change without its migration fails the build.",
        "python manage.py makemigrations\npython manage.py makemigrations --check --dry-run  # in CI",
        "shell",
    ),
}


def missing_migration_fix(source: str, table: str, model: str, cols: Sequence[str], unique: bool) -> Fix:
    """How to commit the migration that creates an index (or, ``unique``, a unique constraint)
    ``source`` (a schema tool) declares."""
    entry = MISSING_MIGRATION.get(source, MISSING_MIGRATION["sqlalchemy"])
    values = {
        "table": table,
        "Model": model or table,
        "idx": f"{table}_{'_'.join(cols)}_{'key' if unique else 'idx'}".lower(),
        "alembic_op": "create_unique_constraint" if unique else "create_index",
        "unique_js": ", { unique: true }" if unique else "",
        "quoted": ", ".join(f"'{c}'" for c in cols),
        "dquoted": ", ".join(f'"{c}"' for c in cols),
    }
    return Fix(entry.advice.format(**values), entry.snippet.format(**values), entry.language)


# --------------------------------------------------------------------------- lists (SC-DB-004)

#: orm -> how to bound a list query
LIST_LIMIT: dict[str, Fix] = {
    "prisma": Fix(
        "Add `take` (and a `cursor` or `skip`) with a stable `orderBy`.",
        "await prisma.order.findMany({\n  where,\n  orderBy: { id: 'asc' },\n  take: 50,\n"
        "  ...(cursor && { cursor: { id: cursor }, skip: 1 }),\n});",
        "ts",
    ),
    "typeorm": Fix(
        "Pass `take` (plus `skip` or a keyset `where`) and an `order`; on a QueryBuilder call `.take(n)`.",
        "await this.orderRepository.find({ where, order: { id: 'ASC' }, take: 50 });",
        "ts",
    ),
    "sequelize": Fix(
        "Pass `limit` (and `offset` or a keyset `where`) with an `order`.",
        "await Order.findAll({ where, order: [['id', 'ASC']], limit: 50 });",
        "ts",
    ),
    "mongoose": Fix(
        "Chain `.limit(n)` with a `.sort()` (and a range filter on the sort key for the next "
        "page); add `.lean()`.",
        "await Order.find(filter).sort({ _id: 1 }).limit(50).lean();",
        "ts",
    ),
    "mongodb": Fix(
        "Chain `.limit(n)` with a `.sort()` before `.toArray()`.",
        "await db.collection('orders').find(filter).sort({ _id: 1 }).limit(50).toArray();",
        "ts",
    ),
    "knex": Fix(
        "Add `.limit(n)` with an `.orderBy()` (keyset pagination on the sort key).",
        "await knex('orders').where(filter).orderBy('id').limit(50);",
        "ts",
    ),
    "drizzle": Fix(
        "Add `.limit(n)` with an `orderBy`.",
        "await db.select().from(orders).orderBy(orders.id).limit(50);",
        "ts",
    ),
    "supabase": Fix(
        "Bound the request with `.range(from, to)` or `.limit(n)`.",
        "await supabase.from('orders').select('*').order('id').range(0, 49);",
        "ts",
    ),
    "sqlalchemy": Fix(
        "Apply `.limit()` (keyset pagination on an indexed column) to the select.",
        "stmt = select(Order).order_by(Order.id).where(Order.id > after).limit(50)",
        "python",
    ),
    "django": Fix(
        "Slice the queryset (`[:50]`) or use a Paginator / DRF pagination class.",
        "orders = Order.objects.filter(...).order_by('id')[:50]",
        "python",
    ),
}
LIST_LIMIT_GENERIC = Fix(
    "Add a LIMIT (keyset pagination on an indexed column) and return a page plus a cursor.",
    "SELECT * FROM orders WHERE id > $1 ORDER BY id LIMIT 50",
    "sql",
)


def list_limit_fix(orm: str) -> Fix:
    return LIST_LIMIT.get(orm, LIST_LIMIT_GENERIC)


# --------------------------------------------------------------------------- counts (SC-DB-005)

#: orm -> (advice, snippet) replacing an exact count per page
PAGE_COUNT: dict[str, tuple[str, str]] = {
    "prisma": (
        "Switch to cursor pagination (`cursor` + `take`, return `nextCursor`) and drop the total, "
        "or cache the count per filter for a short TTL.",
        "const rows = await prisma.article.findMany({ take: 21, cursor, skip: cursor ? 1 : 0,\n"
        "  orderBy: { id: 'desc' } });\nconst nextCursor = rows.length > 20 ? rows.pop()!.id : null;",
    ),
    "typeorm": (
        "Use `find` with keyset pagination instead of `findAndCount`, or cache the total count "
        "(or read `reltuples` for an estimate).",
        "const rows = await repo.find({ where: { id: LessThan(cursor) }, order: { id: 'DESC' }, take: 20 });",
    ),
    "sequelize": (
        "Use `findAll` with keyset pagination instead of `findAndCountAll`, or cache the count.",
        "const rows = await Article.findAll({ where: { id: { [Op.lt]: cursor } }, order: [['id', 'DESC']],"
        " limit: 20 });",
    ),
    "mongoose": (
        "Return a cursor (last `_id`) instead of a total; if a total is needed use "
        "`estimatedDocumentCount()` or a cached count.",
        "const rows = await Article.find({ _id: { $lt: cursor } }).sort({ _id: -1 }).limit(20).lean();",
    ),
    "supabase": (
        "Request `count: 'estimated'` (or 'planned') instead of 'exact', or paginate by cursor.",
        "supabase.from('articles').select('*', { count: 'estimated' }).range(from, to)",
    ),
    "django": (
        "Use a cursor paginator (DRF `CursorPagination`) or a paginator whose count is cached or estimated.",
        "pagination_class = CursorPagination",
    ),
    "sqlalchemy": (
        "Paginate by keyset and drop the exact total, or cache the count.",
        "select(Item).where(Item.id > after).order_by(Item.id).limit(20)",
    ),
}
PAGE_COUNT_GENERIC = (
    "Paginate by cursor/keyset and drop the exact total, or serve a cached or estimated count "
    "(PostgreSQL `pg_class.reltuples`).",
    "SELECT reltuples::bigint AS estimate FROM pg_class WHERE oid = 'articles'::regclass;",
)


def page_count_fix(orm: str, python: bool) -> Fix:
    advice, snippet = PAGE_COUNT.get(orm, PAGE_COUNT_GENERIC)
    return Fix(advice, snippet, "python" if python else "ts")


# --------------------------------------------------------------------------- includes (SC-DB-007)

#: orm -> how to load fewer relation levels
INCLUDE_DEPTH: dict[str, Fix] = {
    "prisma": Fix(
        "Select only the fields the response needs (`select` instead of `include`), stop at two "
        "levels, and load deeper data on demand or by a separate batched query.",
        "await prisma.post.findMany({\n  take: 20,\n  select: { id: true, title: true,\n"
        "    author: { select: { id: true, name: true } },\n"
        "    _count: { select: { comments: true } } },\n});",
        "ts",
    ),
    "typeorm": Fix(
        "Join fewer relations, `select` the needed columns, and load deep relations separately "
        "with `In(ids)`.",
        "repo.createQueryBuilder('p').leftJoin('p.author', 'a').select(['p.id', 'p.title', 'a.name'])"
        ".take(20).getMany()",
        "ts",
    ),
    "sequelize": Fix(
        "Limit `include` depth, set `attributes`, and use `separate: true` for has-many "
        "includes so they do not multiply the rows.",
        "Post.findAll({ limit: 20, attributes: ['id', 'title'],\n  include: [{ model: Comment, "
        "separate: true, limit: 5 }] })",
        "ts",
    ),
    "mongoose": Fix(
        "Populate fewer levels, with `select` on each populate, and `.lean()`.",
        "Post.find().limit(20).populate({ path: 'author', select: 'name' }).lean()",
        "ts",
    ),
    "django": Fix(
        "Limit `prefetch_related`/`select_related` depth and use `only()`/`Prefetch(queryset=...)`.",
        "Post.objects.select_related('author').only('id', 'title', 'author__name')[:20]",
        "python",
    ),
    "sqlalchemy": Fix(
        "Load fewer relationship levels eagerly; use `load_only` and lazy='raise' for the rest.",
        "select(Post).options(selectinload(Post.author).load_only(User.name)).limit(20)",
        "python",
    ),
}
INCLUDE_DEPTH_GENERIC = Fix("Load fewer relation levels at once and select only the needed columns.", "", "")


def include_depth_fix(orm: str) -> Fix:
    return INCLUDE_DEPTH.get(orm, INCLUDE_DEPTH_GENERIC)


# --------------------------------------------------------------------------- writes per item (SC-DB-009)

#: orm -> how to write many rows in one statement
WRITE_BATCH: dict[str, Fix] = {
    "prisma": Fix(
        "Write all rows in one statement: `createMany` for inserts, `updateMany`/`deleteMany` with an `in` "
        "filter when every row gets the same change; rows that each get their own values go in one "
        "`UPDATE ... FROM (VALUES ...)` through `$executeRaw`.",
        "await prisma.{camel}.createMany({{\n"
        "  data: items.map((item) => ({{ /* columns */ }})),\n"
        "  skipDuplicates: true,\n"
        "}});",
        "ts",
    ),
    "drizzle": Fix(
        "Insert all rows with one `insert(...).values([...])` (with `onConflictDoUpdate` for upserts), and "
        "update or delete many rows with one `inArray` condition.",
        "await db.insert({camel}).values(items.map((item) => ({{ /* columns */ }})));",
        "ts",
    ),
    "typeorm": Fix(
        "Save all entities in one call (`repository.save(entities)` / `insert(entities)` / `upsert(entities, "
        "[key])`), or update/delete with one `In(ids)` condition.",
        "await this.{camel}Repository.insert(items.map((item) => ({{ /* columns */ }})));",
        "ts",
    ),
    "sequelize": Fix(
        "Insert all rows with one `bulkCreate` (`updateOnDuplicate` for upserts), and update or delete "
        "many rows with one `Op.in` condition.",
        "await {Model}.bulkCreate(items.map((item) => ({{ /* columns */ }})));",
        "ts",
    ),
    "knex": Fix(
        "Insert all rows with one `insert([...])` (`onConflict().merge()` for upserts), and update or delete "
        "with one `whereIn`.",
        "await knex('{table}').insert(items.map((item) => ({{ /* columns */ }})));",
        "ts",
    ),
    "mongoose": Fix(
        "Write all documents in one round trip: `insertMany`, or `bulkWrite` with one operation per item.",
        "await {Model}.bulkWrite(\n"
        "  items.map((item) => ({{\n"
        "    updateOne: {{ filter: {{ _id: item.id }}, update: {{ $set: item }} }},\n"
        "  }})),\n"
        ");",
        "ts",
    ),
    "mongodb": Fix(
        "Write all documents in one round trip: `insertMany`, or `bulkWrite` with one operation per item.",
        "await db.collection('{table}').bulkWrite(\n"
        "  items.map((item) => ({{ insertOne: {{ document: item }} }})),\n"
        ");",
        "ts",
    ),
    "django": Fix(
        "Write all rows in one statement: `bulk_create` (`update_conflicts` for upserts), `bulk_update`, "
        "or one queryset `update()`/`delete()` with an `__in` filter.",
        "{Model}.objects.bulk_create([{Model}(**item) for item in items], batch_size=500)",
        "python",
    ),
    "sqlalchemy": Fix(
        "Send all rows in one statement: `session.execute(insert({Model}), rows)` (executemany) or one "
        "`update()`/`delete()` with `.in_()`.",
        "session.execute(insert({Model}), [dict(item) for item in items])",
        "python",
    ),
}
WRITE_BATCH_GENERIC = Fix(
    "Write all rows in one statement: a multi-row INSERT, `executemany`, or one UPDATE/DELETE with an "
    "IN list (`UPDATE ... FROM (VALUES ...)` when each row gets its own values).",
    "INSERT INTO {table} (...) SELECT * FROM unnest($1::int[], $2::text[])  -- all rows at once",
    "sql",
)


def write_batch_fix(orm: str, model: str | None) -> Fix:
    """One statement for all the items a loop writes one by one."""
    return fill(WRITE_BATCH.get(orm, WRITE_BATCH_GENERIC), model)


# --------------------------------------------------------------------------- page sizes (SC-DB-012)

#: how the request input is validated (``LimitInput.via``) -> how to cap the page size there
PAGE_SIZE_CAP: dict[str, Fix] = {
    "zod": Fix(
        "Declare a maximum (and a floor and a default) in the schema that parses the request.",
        "{field}: z.coerce.number().int().min(1).max(100).default(20),",
        "ts",
    ),
    "joi": Fix(
        "Declare a maximum (and a floor and a default) in the Joi schema.",
        "{field}: Joi.number().integer().min(1).max(100).default(20),",
        "ts",
    ),
    "yup": Fix(
        "Declare a maximum (and a floor and a default) in the yup schema.",
        "{field}: yup.number().integer().min(1).max(100).default(20),",
        "ts",
    ),
    "class-validator": Fix(
        "Declare a maximum on the DTO property (with a global `ValidationPipe({ transform: true })`).",
        "@Type(() => Number) @IsInt() @Min(1) @Max(100)\n{field}: number = 20;",
        "ts",
    ),
    "fastapi": Fix(
        "Declare the bounds on the query parameter: FastAPI rejects larger values with a 422.",
        "{field}: int = Query(20, ge=1, le=100)",
        "python",
    ),
    "pydantic": Fix(
        "Declare the bounds on the request model's field.",
        "{field}: int = Field(20, ge=1, le=100)",
        "python",
    ),
    "drf": Fix(
        "Declare `max_page_size` on the pagination class (`max_limit` for LimitOffsetPagination): DRF "
        "then caps the page size the client asks for.",
        "max_page_size = 100",
        "python",
    ),
    "js": Fix(
        "Clamp the value where it is read, with a floor and a default.",
        "const {field} = Math.min(Math.max(Number(req.query.{field}) || 20, 1), 100);",
        "ts",
    ),
    "python": Fix(
        "Clamp the value where it is read, with a floor and a default.",
        '{field} = min(max(int(request.GET.get("{field}", 20)), 1), 100)',
        "python",
    ),
}


def page_size_fix(via: str, python: bool, fieldname: str) -> Fix:
    """How to cap a page size taken from request field ``fieldname`` for the validation in use."""
    fix = PAGE_SIZE_CAP.get(via) or PAGE_SIZE_CAP["python" if python else "js"]
    return Fix(fix.advice, fix.snippet.replace("{field}", fieldname), fix.language)


# --------------------------------------------------------------------------- substring search (SC-DB-014)

_TRGM_EXTENSION = "CREATE EXTENSION IF NOT EXISTS pg_trgm;"
#: schema source -> (advice, one snippet line per column, language, extension line) for a
#: trigram GIN index; ``{col}`` / ``{idx}`` are filled per column
SEARCH_INDEX: dict[str, tuple[str, str, str, str]] = {
    "prisma": (
        'Add a trigram GIN index on {cols} to model {name} (`@@index([{col}(ops: raw("gin_trgm_ops"))], '
        "type: Gin)`), enable pg_trgm in the migration that creates it, and {apply}.",
        '  @@index([{col}(ops: raw("gin_trgm_ops"))], type: Gin)',
        "prisma",
        "// in the migration.sql: CREATE EXTENSION IF NOT EXISTS pg_trgm;\nmodel {name} {{\n  // ...",
    ),
    "drizzle": (
        "Add a trigram GIN index on {cols} to the {name} table (`index(...).using('gin', "
        "t.{col}.op('gin_trgm_ops'))`), create the pg_trgm extension in a migration, and {apply}.",
        "  index('{idx}').using('gin', t.{col}.op('gin_trgm_ops')),",
        "ts",
        "// migration: CREATE EXTENSION IF NOT EXISTS pg_trgm;\n(t) => [",
    ),
    "typeorm": (
        "TypeORM's `@Index` cannot name an operator class: create a trigram GIN index on {cols} in a "
        "migration, and declare it on entity {name} with `@Index('<name>', {{ synchronize: false }})`.",
        "await queryRunner.query(\n"
        '  `CREATE INDEX CONCURRENTLY {idx} ON "{table}" USING gin ("{col}" gin_trgm_ops)`,\n);',
        "ts",
        "// a migration with `transaction = false` (CONCURRENTLY cannot run in a transaction)\n"
        "await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);",
    ),
    "sequelize": (
        "Add a trigram GIN index on {cols} in a migration (`queryInterface.addIndex` with "
        "`using: 'gin'` and `operator: 'gin_trgm_ops'`) after enabling pg_trgm.",
        "await queryInterface.addIndex('{table}', [{{ name: '{col}', operator: 'gin_trgm_ops' }}], "
        "{{ using: 'gin', name: '{idx}', concurrently: true }});",
        "ts",
        "await queryInterface.sequelize.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');",
    ),
    "sqlalchemy": (
        'Add a trigram GIN index on {cols} to `__table_args__` of {name} (`postgresql_using="gin"`, '
        "`postgresql_ops`), enable pg_trgm, and {apply}.",
        'Index("{idx}", "{col}", postgresql_using="gin", postgresql_ops={{"{col}": "gin_trgm_ops"}}),',
        "python",
        '# in the migration: op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")\n__table_args__ = (',
    ),
    "alembic": (
        "Add an Alembic revision creating a trigram GIN index on {cols} after enabling pg_trgm.",
        'op.create_index("{idx}", "{table}", ["{col}"], postgresql_using="gin", '
        'postgresql_ops={{"{col}": "gin_trgm_ops"}})',
        "python",
        'op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")',
    ),
    "django": (
        "Add a trigram GIN index on {cols} to `{name}.Meta.indexes` ({expr}), put "
        "`TrigramExtension()` first in the migration's operations, and run `makemigrations`.",
        '    GinIndex({field}, name="{idx}"),',
        "python",
        "from django.contrib.postgres.indexes import GinIndex, OpClass\n"
        "from django.db.models.functions import Upper\n\nclass Meta:\n    indexes = [",
    ),
}
_SEARCH_SQL = (
    "Create a trigram GIN index on {cols} in a migration (PostgreSQL's pg_trgm serves `LIKE`/`ILIKE` "
    "with a leading wildcard).",
    "CREATE INDEX CONCURRENTLY {idx} ON {table} USING gin ({col} gin_trgm_ops);",
)
#: schema source -> MySQL FULLTEXT declaration
SEARCH_FULLTEXT: dict[str, tuple[str, str]] = {
    "prisma": ("@@fulltext([{plain}])", "prisma"),
    "typeorm": ("@Index({{ fulltext: true }})\n@Column()\n{col}: string;", "ts"),
    "sequelize": ("{{ indexes: [{{ type: 'FULLTEXT', fields: [{quoted}] }}] }}", "ts"),
    "sqlalchemy": ('Index("{idx}", {dquoted}, mysql_prefix="FULLTEXT")', "python"),
}
_MYSQL_FULLTEXT = "ALTER TABLE {table} ADD FULLTEXT INDEX {idx} ({plain}) WITH PARSER ngram;"
_SEARCH_ALTERNATIVES = (
    " If users search by words, full-text search (a `tsvector` column with a GIN index, queried "
    "with `@@`) ranks results and is smaller; if a prefix match is enough (`startsWith`, `'q%'`), a "
    "b-tree index serves it (`text_pattern_ops`, or `lower(col)` for a case-insensitive prefix)."
)


def search_index_fix(
    model: ProjectModel, table: Table, columns: Sequence[str], database: str, upper: bool = False
) -> Fix:
    """How to index ``columns`` of ``table`` for substring search in the schema tool that defines
    it: a pg_trgm GIN index on PostgreSQL (``upper``: Django's ``icontains`` compares
    ``UPPER(col)``, so the index is on that expression), a FULLTEXT index on MySQL."""
    name = table.model or table.name
    values = {
        "name": name,
        "table": table.name,
        "col": columns[0],
        "cols": ", ".join(f"`{c}`" for c in columns),
        "quoted": ", ".join(f"'{c}'" for c in columns),
        "dquoted": ", ".join(f'"{c}"' for c in columns),
        "plain": ", ".join(columns),
        "idx": f"{table.name}_{columns[0]}_ft_idx".lower(),
        "apply": schema_apply(model, table.source),
    }
    if database == "mysql":
        decl, language = SEARCH_FULLTEXT.get(table.source, (_MYSQL_FULLTEXT, "sql"))
        return Fix(
            "MySQL serves no `LIKE '%...%'` from an index: add a FULLTEXT index on {cols} (the `ngram` "
            "parser for substrings of short words) and search with `MATCH ... AGAINST`.".format(**values),
            decl.format(**values),
            language,
        )
    entry = SEARCH_INDEX.get(table.source)
    if entry is None:
        lines = [
            _SEARCH_SQL[1].format(**{**values, "col": c, "idx": f"{table.name}_{c}_trgm_idx".lower()})
            for c in columns
        ]
        return Fix(
            _SEARCH_SQL[0].format(**values) + _SEARCH_ALTERNATIVES,
            "\n".join([_TRGM_EXTENSION, *lines]),
            "sql",
        )
    advice, line, language, head = entry
    expr = (
        f'`GinIndex(OpClass(Upper("{columns[0]}"), name="gin_trgm_ops"), ...)`: `icontains` compares '
        f"`UPPER({columns[0]})`"
        if upper
        else f'`GinIndex(fields=["{columns[0]}"], opclasses=["gin_trgm_ops"], ...)`'
    )
    body = []
    for col in columns:
        field = (
            f'OpClass(Upper("{col}"), name="gin_trgm_ops")'
            if upper
            else f'fields=["{col}"], opclasses=["gin_trgm_ops"]'
        )
        body.append(
            line.format(
                **{**values, "col": col, "idx": f"{table.name}_{col}_trgm_idx".lower(), "field": field}
            )
        )
    closing = {"prisma": "}", "drizzle": "]", "sqlalchemy": ")", "django": "]"}.get(table.source, "")
    snippet = "\n".join([head.format(**values), *body, *([closing] if closing else [])])
    return Fix(advice.format(**values, expr=expr) + _SEARCH_ALTERNATIVES, snippet, language)


# --------------------------------------------------------------------------- lost updates (SC-DB-013)

#: orm -> how to subtract in the database with a guard in the same statement (``{key}`` is
#: the column); the affected-row count says whether there was enough
RACE_DECREMENT: dict[str, Fix] = {
    "prisma": Fix(
        "Let the database subtract, with the guard in the same statement: `updateMany` with the column "
        "in `where` and `{{ decrement }}` in `data`; a count of 0 means there was not enough.",
        "const {{ count }} = await prisma.{camel}.updateMany({{\n"
        "  where: {{ id, {key}: {{ gte: amount }} }},\n"
        "  data: {{ {key}: {{ decrement: amount }} }},\n"
        "}});\n"
        'if (count === 0) throw new Error("not enough {key}");',
        "ts",
    ),
    "typeorm": Fix(
        "Let the database subtract, with the guard in the `WHERE` of the same `UPDATE`; "
        "`affected === 0` means there was not enough (or read the row with "
        '`lock: {{ mode: "pessimistic_write" }}` inside a transaction).',
        "const result = await this.dataSource\n"
        "  .createQueryBuilder()\n"
        "  .update({Model})\n"
        '  .set({{ {key}: () => "{key} - :amount" }})\n'
        '  .where("id = :id AND {key} >= :amount", {{ id, amount }})\n'
        "  .execute();\n"
        'if (result.affected === 0) throw new Error("not enough {key}");',
        "ts",
    ),
    "sequelize": Fix(
        "Read the row with a row lock inside a transaction (`lock: t.LOCK.UPDATE`), or let the database "
        "subtract with `decrement` and the guard in its `where`.",
        "await sequelize.transaction(async (t) => {{\n"
        "  const row = await {Model}.findByPk(id, {{ transaction: t, lock: t.LOCK.UPDATE }});\n"
        '  if (row.{key} < amount) throw new Error("not enough {key}");\n'
        '  await row.decrement("{key}", {{ by: amount, transaction: t }});\n'
        "}});",
        "ts",
    ),
    "knex": Fix(
        "Let the database subtract, with the guard in the same statement; 0 rows updated means there "
        "was not enough.",
        'const updated = await knex("{table}")\n'
        "  .where({{ id }})\n"
        '  .andWhere("{key}", ">=", amount)\n'
        '  .decrement("{key}", amount);\n'
        'if (updated === 0) throw new Error("not enough {key}");',
        "ts",
    ),
    "mongoose": Fix(
        "Let MongoDB subtract with `$inc`, with the guard in the filter of the same update.",
        "const res = await {Model}.updateOne(\n"
        "  {{ _id: id, {key}: {{ $gte: amount }} }},\n"
        "  {{ $inc: {{ {key}: -amount }} }},\n"
        ");\n"
        'if (res.modifiedCount === 0) throw new Error("not enough {key}");',
        "ts",
    ),
    "drizzle": Fix(
        "Let the database subtract (`sql` on the column), with the guard in the same `where`.",
        "const rows = await db\n"
        "  .update({camel})\n"
        "  .set({{ {key}: sql`${{{camel}.{key}}} - ${{amount}}` }})\n"
        "  .where(and(eq({camel}.id, id), gte({camel}.{key}, amount)))\n"
        "  .returning();\n"
        'if (rows.length === 0) throw new Error("not enough {key}");',
        "ts",
    ),
    "django": Fix(
        "Let the database subtract with `F()`, with the guard in the same filter (or read the row with "
        "`select_for_update()` inside `transaction.atomic()`).",
        'updated = {Model}.objects.filter(pk=pk, {key}__gte=amount).update({key}=F("{key}") - amount)\n'
        "if not updated:\n"
        '    raise ValidationError("not enough {key}")',
        "python",
    ),
    "sqlalchemy": Fix(
        "Let the database subtract in one `UPDATE` with the guard in its `WHERE` (or read the row with "
        "`.with_for_update()` inside the transaction).",
        "result = session.execute(\n"
        "    update({Model})\n"
        "    .where({Model}.id == id, {Model}.{key} >= amount)\n"
        "    .values({key}={Model}.{key} - amount)\n"
        ")\n"
        "if result.rowcount == 0:\n"
        '    raise ValueError("not enough {key}")',
        "python",
    ),
}
RACE_DECREMENT_SQL = Fix(
    "Let the database subtract, with the guard in the same statement; no row back means there was "
    "not enough (or `SELECT ... FOR UPDATE` inside a transaction before computing the new value).",
    "UPDATE {table} SET {key} = {key} - $1 WHERE id = $2 AND {key} >= $1 RETURNING {key};",
    "sql",
)
#: orm -> how to add in the database (no guard needed)
RACE_INCREMENT: dict[str, Fix] = {
    "prisma": Fix(
        "Let the database add: `{{ increment }}` in `data`.",
        "await prisma.{camel}.update({{ where: {{ id }}, data: {{ {key}: {{ increment: amount }} }} }});",
        "ts",
    ),
    "typeorm": Fix(
        "Let the database add: `increment` on the repository.",
        'await this.{camel}Repository.increment({{ id }}, "{key}", amount);',
        "ts",
    ),
    "sequelize": Fix(
        "Let the database add: `increment`.",
        'await {Model}.increment("{key}", {{ by: amount, where: {{ id }} }});',
        "ts",
    ),
    "knex": Fix(
        "Let the database add: `increment`.",
        'await knex("{table}").where({{ id }}).increment("{key}", amount);',
        "ts",
    ),
    "mongoose": Fix(
        "Let MongoDB add with `$inc`.",
        "await {Model}.updateOne({{ _id: id }}, {{ $inc: {{ {key}: amount }} }});",
        "ts",
    ),
    "drizzle": Fix(
        "Let the database add (`sql` on the column).",
        "await db\n"
        "  .update({camel})\n"
        "  .set({{ {key}: sql`${{{camel}.{key}}} + ${{amount}}` }})\n"
        "  .where(eq({camel}.id, id));",
        "ts",
    ),
    "django": Fix(
        "Let the database add with `F()`.",
        '{Model}.objects.filter(pk=pk).update({key}=F("{key}") + amount)',
        "python",
    ),
    "sqlalchemy": Fix(
        "Let the database add in one `UPDATE`.",
        "session.execute(update({Model}).where({Model}.id == id).values({key}={Model}.{key} + amount))",
        "python",
    ),
}
RACE_INCREMENT_SQL = Fix(
    "Let the database add in one statement.",
    "UPDATE {table} SET {key} = {key} + $1 WHERE id = $2;",
    "sql",
)
_RACE_ORM = {"sqlmodel": "sqlalchemy", "mongodb": "mongoose"}


def race_fix(orm: str, model: str | None, column: str, op: str) -> Fix:
    """An atomic (and, for a decrement, guarded) update of ``column`` for the ORM in use."""
    orm = _RACE_ORM.get(orm, orm)
    if op == "-":
        return fill(RACE_DECREMENT.get(orm, RACE_DECREMENT_SQL), model, column)
    return fill(RACE_INCREMENT.get(orm, RACE_INCREMENT_SQL), model, column)


# --------------------------------------------------------------------------- retention (SC-DB-015)

#: orm -> how to remove a per-event table's old rows ({key}: its created-at column)
RETENTION: dict[str, Fix] = {
    "prisma": Fix(
        "Delete old rows on a schedule (a cron job or queue repeatable job), in batches, by the "
        "created-at column (index it); keep only as long as the rows are useful.",
        "// daily job\n"
        "const cutoff = new Date(Date.now() - 30 * 24 * 3600 * 1000);\n"
        "await prisma.{camel}.deleteMany({{ where: {{ {key}: {{ lt: cutoff }} }} }});",
        "ts",
    ),
    "typeorm": Fix(
        "Delete old rows on a schedule (a cron job, or a repeatable job of your queue), by the created-at "
        "column (index it).",
        "const cutoff = new Date(Date.now() - 30 * 24 * 3600 * 1000);\n"
        "await dataSource.getRepository({Model}).delete({{ {key}: LessThan(cutoff) }});",
        "ts",
    ),
    "typeorm+nestjs": Fix(
        "Delete old rows on a schedule (an `@Cron` method from @nestjs/schedule, or a queue repeatable "
        "job), by the created-at column (index it).",
        "@Cron('0 3 * * *')\n"
        "async purge{Model}() {{\n"
        "  const cutoff = new Date(Date.now() - 30 * 24 * 3600 * 1000);\n"
        "  await this.{camel}Repository.delete({{ {key}: LessThan(cutoff) }});\n"
        "}}",
        "ts",
    ),
    "sequelize": Fix(
        "Delete old rows on a schedule (a cron job, or a repeatable job of your queue), by the created-at "
        "column (index it).",
        "const cutoff = new Date(Date.now() - 30 * 24 * 3600 * 1000);\n"
        "await {Model}.destroy({{ where: {{ {key}: {{ [Op.lt]: cutoff }} }} }});",
        "ts",
    ),
    "knex": Fix(
        "Delete old rows on a schedule, in batches, by the created-at column (index it); for "
        "high-volume tables partition by time and drop old partitions instead.",
        "await knex('{table}').where('{key}', '<', knex.raw(\"now() - interval '30 days'\")).del();",
        "ts",
    ),
    "drizzle": Fix(
        "Delete old rows on a schedule, by the created-at column (index it).",
        "const cutoff = new Date(Date.now() - 30 * 24 * 3600 * 1000);\n"
        "await db.delete({camel}).where(lt({camel}.{key}, cutoff));",
        "ts",
    ),
    "mongoose": Fix(
        "Let MongoDB expire the documents: a TTL index on the created-at field removes them in the "
        "background, with no job to run.",
        "{camel}Schema.index({{ {key}: 1 }}, {{ expireAfterSeconds: 30 * 24 * 3600 }});",
        "ts",
    ),
    "mongodb": Fix(
        "Let MongoDB expire the documents: a TTL index on the created-at field removes them in the "
        "background, with no job to run.",
        "await db\n"
        "  .collection('{table}')\n"
        "  .createIndex({{ {key}: 1 }}, {{ expireAfterSeconds: 30 * 24 * 3600 }});",
        "ts",
    ),
    "pymongo": Fix(
        "Let MongoDB expire the documents: a TTL index on the created-at field removes them in the "
        "background, with no job to run.",
        'db["{table}"].create_index("{key}", expireAfterSeconds=30 * 24 * 3600)',
        "python",
    ),
    "django": Fix(
        "Delete old rows on a schedule (a periodic task of your task queue, or a management command run "
        "by cron), by the created-at column (index it).",
        "cutoff = timezone.now() - timedelta(days=30)\n{Model}.objects.filter({key}__lt=cutoff).delete()",
        "python",
    ),
    "sqlalchemy": Fix(
        "Delete old rows on a schedule (a periodic task of your task queue, or a script run by cron), by "
        "the created-at column (index it).",
        "cutoff = datetime.now(timezone.utc) - timedelta(days=30)\n"
        "session.execute(delete({Model}).where({Model}.{key} < cutoff))\nsession.commit()",
        "python",
    ),
}
RETENTION_GENERIC = Fix(
    "Delete old rows on a schedule, in batches, by the created-at column (index it); for high-volume "
    "tables partition by time (PARTITION BY RANGE, pg_partman) and drop whole old partitions.",
    "DELETE FROM {table} WHERE {key} < now() - interval '30 days';  -- daily, in batches",
    "sql",
)
_RETENTION_FAMILY = {"motor": "pymongo", "beanie": "pymongo", "mongoengine": "pymongo"}


#: the cutoffs of the snippets above, and the same for rows whose expiry time has passed
_EXPIRED_CUTOFFS = (
    ("new Date(Date.now() - 30 * 24 * 3600 * 1000)", "new Date() // rows whose expiry has passed"),
    ("timezone.now() - timedelta(days=30)", "timezone.now()  # rows whose expiry has passed"),
    ("datetime.now(timezone.utc) - timedelta(days=30)", "datetime.now(timezone.utc)  # expired rows"),
    ("now() - interval '30 days'", "now()"),
    ("expireAfterSeconds: 30 * 24 * 3600", "expireAfterSeconds: 0"),
    ("expireAfterSeconds=30 * 24 * 3600", "expireAfterSeconds=0"),
)


def retention_fix(
    orm: str, model: str | None, column: str, expiry: bool = False, stack: frozenset[str] = frozenset()
) -> Fix:
    """A scheduled purge (or a TTL index) of the rows older than a cutoff by their created-at
    ``column``; with ``expiry``, of the rows whose expiry time (``column``) has passed.
    ``stack``: the libraries near the insert (:func:`stack_near`), for a framework's scheduler."""
    family = _RETENTION_FAMILY.get(orm, orm)
    if family == "typeorm" and any(name.startswith("@nestjs/") for name in stack):
        family = "typeorm+nestjs"
    template = RETENTION.get(family, RETENTION_GENERIC)
    fix = fill(template, model, column)
    if not expiry:
        return fix
    snippet = fix.snippet
    for old, new in _EXPIRED_CUTOFFS:
        snippet = snippet.replace(old, new)
    advice = f"The rows say when they expire (`{column}`): remove them once they have. " + fix.advice.replace(
        "by the created-at column", f"by `{column}`"
    )
    return Fix(advice, snippet, fix.language)


# --------------------------------------------------------------------------- counts (SC-DB-017)

#: orm -> (identifier fix, limit fix, returned fix) snippets; advice is shared per use
COUNT_USE: dict[str, tuple[str, str, str]] = {
    "prisma": (
        "const { next } = await prisma.counter.update({ where: { key: 'invoice' },\n"
        "  data: { next: { increment: 1 } } });  // or an autoincrement/sequence column",
        "const atLimit = await prisma.project.findFirst({ where: { ownerId }, skip: max - 1,\n"
        "  select: { id: true } });  // or a counter column updated with { increment: 1 }",
        "await prisma.user.update({ where: { id }, data: { unreadCount: { increment: 1 } } });\n"
        "// read user.unreadCount; or cache the total for a minute",
    ),
    "typeorm": (
        "await manager.increment(Counter, { key: 'invoice' }, 'next', 1);  // or a SEQUENCE",
        "const full = await repo.exist({ where: { ownerId }, skip: max - 1 });  // or a counter column",
        "await repo.increment({ id }, 'unreadCount', 1);  // or cache: .cache(60_000)",
    ),
    "sequelize": (
        "await Counter.increment('next', { by: 1, where: { key: 'invoice' } });  // or a SEQUENCE",
        "const full = await Project.findOne({ where: { ownerId }, offset: max - 1, attributes: ['id'] });",
        "await User.increment('unreadCount', { where: { id } });  // or cache the total",
    ),
    "knex": (
        "const [{ nextval }] = (await knex.raw(\"select nextval('invoice_no')\")).rows;",
        "const full = await knex('projects').where({ owner_id }).offset(max - 1).first('id');",
        "await knex('users').where({ id }).increment('unread_count', 1);  // or cache the total",
    ),
    "drizzle": (
        "const [{ n }] = await db.execute(sql`select nextval('invoice_no') as n`);",
        "const full = await db.select({ id: projects.id }).from(projects)\n"
        "  .where(eq(projects.ownerId, ownerId)).offset(max - 1).limit(1);",
        "await db.update(users).set({ unreadCount: sql`${users.unreadCount} + 1` }).where(eq(users.id, id));",
    ),
    "mongoose": (
        "const { seq } = await Counter.findOneAndUpdate({ _id: 'invoice' }, { $inc: { seq: 1 } },\n"
        "  { new: true, upsert: true });",
        "const full = await Project.exists({ owner }).skip(max - 1);  // or $inc a counter field",
        "await User.updateOne({ _id: id }, { $inc: { unreadCount: 1 } });  "
        "// or estimatedDocumentCount() for a whole collection",
    ),
    "django": (
        "Counter.objects.filter(key='invoice').update(next=F('next') + 1)  "
        "# in the transaction; or a sequence",
        "full = Project.objects.filter(owner=user)[max - 1 : max].exists()  # or a counter column with F()",
        "User.objects.filter(pk=pk).update(unread_count=F('unread_count') + 1)  "
        "# or cache.get_or_set('total', qs.count, 60)",
    ),
    "sqlalchemy": (
        "number = session.execute(select(invoice_no_seq.next_value())).scalar_one()  "
        "# Sequence('invoice_no')",
        "full = session.scalar(select(Project.id).where(Project.owner_id == uid)"
        ".offset(max - 1).limit(1)) is not None",
        "session.execute(update(User).where(User.id == uid).values(unread_count=User.unread_count + 1))",
    ),
}

COUNT_USE_ADVICE = {
    "identifier": (
        "Take the number from the database, not from a count: a sequence / autoincrement column, or "
        "a counter row incremented atomically in the same transaction as the insert (and a unique "
        "constraint on the number)."
    ),
    "limit": (
        "Do not count every row to compare with a limit: check whether row number `max` exists "
        "(`exists`/`findFirst` with an offset of max - 1), or keep a counter column updated "
        "atomically with the insert and check it in the same statement; either way enforce the "
        "limit in one atomic statement or a locked transaction."
    ),
    "returned": (
        "Keep the figure in a counter column updated atomically when rows are added or removed, "
        "or cache the count for a short time; for a whole table an estimate "
        "(`pg_class.reltuples`, `estimatedDocumentCount()`) is enough for a badge."
    ),
}

_COUNT_USE_INDEX = {"identifier": 0, "limit": 1, "returned": 2}


def count_use_fix(orm: str, use: str, python: bool) -> Fix:
    """The fix for a count that feeds an identifier, a limit check or a response."""
    advice = COUNT_USE_ADVICE.get(use, COUNT_USE_ADVICE["returned"])
    snippets = COUNT_USE.get(orm)
    snippet = snippets[_COUNT_USE_INDEX.get(use, 2)] if snippets else ""
    return Fix(advice, snippet, "python" if python else "ts")


# --------------------------------------------------------------------------- check-then-insert (SC-DB-018)

#: orm -> (how the columns are written in its snippet, the fix: a unique key the database enforces
#: and the duplicate error caught, or an insert that settles the conflict itself); ``{key}`` is
#: the column list in that style
UNIQUE_INSERT: dict[str, tuple[str, Fix]] = {
    "prisma": (
        "plain",
        Fix(
            "Declare the key unique (`@unique` or `@@unique`, then a migration) and catch the "
            "duplicate instead of checking first: Prisma raises `P2002`; or use `upsert` on that key.",
            "// schema.prisma, model {Model}:  @@unique([{key}])\n"
            "try {{\n"
            "  await prisma.{camel}.create({{ data }});\n"
            "}} catch (e) {{\n"
            '  if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") {{\n'
            '    throw new ConflictError("already exists");\n'
            "  }}\n"
            "  throw e;\n"
            "}}",
            "ts",
        ),
    ),
    "typeorm": (
        "quoted",
        Fix(
            "Declare the key unique on the entity (`@Unique`/`@Index({{ unique: true }})`, then a "
            "migration) and catch the duplicate (PostgreSQL `23505`, MySQL `ER_DUP_ENTRY`); or insert "
            "with `.orIgnore()` / `upsert` on that key.",
            "@Entity()\n@Unique([{key}])\nexport class {Model} {{ /* ... */ }}\n\n"
            "try {{\n  await this.{camel}Repository.insert(data);\n}} catch (e) {{\n"
            '  if (e instanceof QueryFailedError && (e as any).code === "23505") {{\n'
            "    throw new ConflictException();\n"
            "  }}\n"
            "  throw e;\n}}",
            "ts",
        ),
    ),
    "sequelize": (
        "quoted",
        Fix(
            "Declare the key unique (`unique: true` or a unique index in the model and a migration) "
            "and catch `UniqueConstraintError`; or use `findOrCreate` inside a transaction backed by "
            "that key.",
            "// model options: indexes: [{{ unique: true, fields: [{key}] }}]\n"
            "try {{\n  await {Model}.create(data);\n}} catch (e) {{\n"
            "  if (e instanceof UniqueConstraintError) throw new ConflictError();\n  throw e;\n}}",
            "ts",
        ),
    ),
    "mongoose": (
        "object",
        Fix(
            "Declare the key unique in the schema (`unique: true`, or a compound unique index; make "
            "sure the index is built) and catch the duplicate-key error `11000`; or `findOneAndUpdate` "
            "with `upsert: true` on that key.",
            "{camel}Schema.index({{ {key} }}, {{ unique: true }});\n\n"
            "try {{\n  await {Model}.create(data);\n}} catch (e) {{\n"
            "  if (e.code === 11000) throw new ConflictError();\n  throw e;\n}}",
            "ts",
        ),
    ),
    "drizzle": (
        "drizzle",
        Fix(
            "Declare a unique index on the key (`uniqueIndex().on(...)`, then a migration) and insert "
            "with `onConflictDoNothing()` (no row back means it existed), or catch PostgreSQL `23505`.",
            '// schema: (t) => [uniqueIndex("{table}_key").on({key})]\n'
            "const rows = await db.insert({camel}).values(data).onConflictDoNothing().returning();\n"
            'if (rows.length === 0) throw new ConflictError("already exists");',
            "ts",
        ),
    ),
    "knex": (
        "quoted",
        Fix(
            "Add a unique index on the key in a migration (`table.unique([...])`) and insert with "
            "`.onConflict([...]).ignore()` (no row back means it existed), or catch the duplicate error.",
            "// migration: table.unique([{key}]);\n"
            'const rows = await knex("{table}").insert(data).onConflict([{key}]).ignore().returning("id");\n'
            'if (rows.length === 0) throw new ConflictError("already exists");',
            "ts",
        ),
    ),
    "django": (
        "quoted",
        Fix(
            "Declare the key unique (`unique=True` or a `UniqueConstraint`, then a migration) and catch "
            "`IntegrityError`, or use `get_or_create`, which relies on that constraint under concurrency.",
            "class Meta:\n"
            '    constraints = [models.UniqueConstraint(fields=[{key}], name="{table}_unique_key")]\n\n'
            "try:\n"
            "    with transaction.atomic():\n"
            "        {Model}.objects.create(**data)\n"
            "except IntegrityError:\n"
            '    raise ValidationError("already exists")',
            "python",
        ),
    ),
    "sqlalchemy": (
        "quoted",
        Fix(
            "Declare the key unique (`unique=True` or `UniqueConstraint`, then a migration) and catch "
            "`IntegrityError` on commit, or insert with `on_conflict_do_nothing` on that key.",
            "__table_args__ = (UniqueConstraint({key}),)\n\n"
            "try:\n"
            "    session.add({Model}(**data))\n"
            "    session.commit()\n"
            "except IntegrityError:\n"
            "    session.rollback()\n"
            '    raise HTTPException(409, "already exists")',
            "python",
        ),
    ),
}
UNIQUE_INSERT_SQL: tuple[str, Fix] = (
    "plain",
    Fix(
        "Add a unique index on the key and let the insert settle the conflict: `ON CONFLICT DO "
        "NOTHING` (no row back means it existed), or catch the unique-violation error (`23505`).",
        "CREATE UNIQUE INDEX {table}_key ON {table} ({key});\n"
        "INSERT INTO {table} (...) VALUES (...) ON CONFLICT ({key}) DO NOTHING RETURNING id;",
        "sql",
    ),
)
_UNIQUE_ORM = {"sqlmodel": "sqlalchemy", "mongodb": "mongoose"}


def unique_insert_fix(orm: str, model: str | None, columns: Sequence[str]) -> Fix:
    """A unique key on ``columns`` plus the duplicate error caught (or a conflict-settling
    insert), for the ORM in use."""
    style, template = UNIQUE_INSERT.get(_UNIQUE_ORM.get(orm, orm), UNIQUE_INSERT_SQL)
    plain = re.sub(r"\W", "", (model or "").rsplit(".", 1)[-1])
    if style == "quoted":
        key = ", ".join(f'"{c}"' for c in columns)
    elif style == "object":
        key = ", ".join(f"{c}: 1" for c in columns)
    elif style == "drizzle":
        key = ", ".join(f"t.{c}" for c in columns)
    else:
        key = ", ".join(columns)
    return fill(template, plain or None, key)
