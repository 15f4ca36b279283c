"""Fix knowledge of the database rules, as data: batching per ORM (SC-DB-003), statement
timeouts per client library (SC-DB-002), index declarations per schema tool with the project's
own way of applying schema changes (SC-DB-006)."""

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
