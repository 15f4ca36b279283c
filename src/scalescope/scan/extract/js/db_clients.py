"""Database clients and pools in JavaScript/TypeScript, plus Prisma ``datasource`` blocks.

One :class:`DbClient` per construction site: Prisma, TypeORM (``new DataSource``,
``createConnection``, ``TypeOrmModule.forRoot[Async]`` and TypeORM-shaped option objects),
Sequelize, Knex, node-postgres ``Pool``/``Client``, mysql2, Mongoose/MongoDB, Drizzle,
postgres-js, Supabase and Neon. Options are read from the literal object (or a same-file
``const`` it names); an options object that cannot be seen is recorded as ``("...", source)``
so rules can tell "not configured" from "configured elsewhere".
"""

from __future__ import annotations

import re

import tree_sitter as ts

from scalescope.model.facts import DbClient, Options
from scalescope.scan.extract.base import JS_LANGUAGES, FileContext, captures, extractor
from scalescope.scan.extract.infra.dburl import is_pooler_url, url_params
from scalescope.scan.extract.js.ast import (
    arguments,
    enclosing_function,
    enclosing_function_id,
    enclosing_loop,
    int_value,
    iter_calls,
    object_pairs,
    options_of,
    string_value,
    unwrap,
)

_IMPORT = re.compile(
    r"import\s+(?:type\s+)?(?P<clause>[\w$*{},\s]+?)\s+from\s+['\"](?P<mod>[^'\"]+)['\"]"
    r"|(?:const|let|var)\s+(?P<req>[\w${},:\s]+?)\s*=\s*(?:await\s+)?require\(\s*['\"](?P<rmod>[^'\"]+)['\"]\s*\)"
)
TYPEORM_TYPES = frozenset(
    {
        "postgres",
        "mysql",
        "mariadb",
        "cockroachdb",
        "mssql",
        "oracle",
        "sqlite",
        "better-sqlite3",
        "sqljs",
        "mongodb",
        "aurora-mysql",
        "aurora-postgres",
        "sap",
        "spanner",
        "capacitor",
        "cordova",
        "expo",
        "react-native",
        "nativescript",
    }
)
_TYPEORM_HINTS = frozenset(
    {
        "entities",
        "synchronize",
        "migrations",
        "autoLoadEntities",
        "subscribers",
        "migrationsRun",
        "entityPrefix",
        "logging",
    }
)
KNEX_CLIENTS = frozenset(
    {
        "pg",
        "postgres",
        "postgresql",
        "mysql",
        "mysql2",
        "sqlite3",
        "better-sqlite3",
        "oracledb",
        "mssql",
        "cockroachdb",
        "pgnative",
        "redshift",
    }
)
_ENV = re.compile(
    r"process\.env(?:\.([A-Z_][A-Z0-9_]*)|\[\s*['\"]([A-Z_][A-Z0-9_]*)['\"]\s*\])"
    r"|import\.meta\.env\.([A-Z_][A-Z0-9_]*)|env\(\s*['\"]([A-Z_][A-Z0-9_]*)['\"]"
    r"|(?:config|configService)\.get(?:<[^>]*>)?\(\s*['\"]([A-Z_][A-Z0-9_]*)['\"]"
)

_POOL_KEYS = {
    "prisma": ("connection_limit",),
    "pg": ("max", "min", "idleTimeoutMillis", "maxUses", "maxLifetimeSeconds"),
    "postgres-js": ("max", "idle_timeout", "max_lifetime"),
    "typeorm": (
        "poolSize",
        "extra.max",
        "extra.min",
        "extra.connectionLimit",
        "extra.poolSize",
        "extra.idleTimeoutMillis",
        "pool.max",
    ),
    "sequelize": ("pool", "pool.max", "pool.min", "pool.acquire", "pool.idle"),
    "knex": ("pool", "pool.max", "pool.min"),
    "mysql2": ("connectionLimit", "maxIdle", "idleTimeout", "queueLimit"),
    "mongoose": ("maxPoolSize", "poolSize", "minPoolSize", "maxConnecting"),
    "mongodb": ("maxPoolSize", "poolSize", "minPoolSize", "maxConnecting"),
    "drizzle": ("connection.max",),
}
_POOL_MAX_KEYS = (
    "max",
    "poolSize",
    "extra.max",
    "extra.connectionLimit",
    "extra.poolSize",
    "pool.max",
    "connectionLimit",
    "maxPoolSize",
    "connection.max",
)
_TIMEOUT_KEYS = frozenset(
    {
        "statement_timeout",
        "query_timeout",
        "connectionTimeoutMillis",
        "idle_in_transaction_session_timeout",
        "extra.statement_timeout",
        "extra.query_timeout",
        "extra.connectionTimeoutMillis",
        "extra.idle_in_transaction_session_timeout",
        "dialectOptions.statement_timeout",
        "dialectOptions.query_timeout",
        "dialectOptions.idle_in_transaction_session_timeout",
        "connection.statement_timeout",
        "connection.query_timeout",
        "acquireConnectionTimeout",
        "pool.acquire",
        "pool.acquireTimeoutMillis",
        "socketTimeoutMS",
        "serverSelectionTimeoutMS",
        "connectTimeoutMS",
        "maxTimeMS",
        "timeoutMS",
        "connect_timeout",
        "connectTimeout",
        "acquireTimeout",
        "connection.connect_timeout",
        "dialectOptions.connectTimeout",
        "extra.connectTimeout",
        "waitForConnections",
        "transactionOptions.timeout",
        "transactionOptions.maxWait",
    }
)
_STATEMENT_TEXT_KEYS = (
    "options",
    "extra.options",
    "dialectOptions.options",
    "connection.options",
    "pool.afterCreate",
    "afterCreate",
)


def file_imports(ctx: FileContext) -> dict[str, str]:
    """``local name -> module`` for this file's imports and requires (cached)."""
    cached = ctx.cache.get("js.import_map")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    out: dict[str, str] = {}
    for m in _IMPORT.finditer(ctx.text):
        clause = m.group("clause") or m.group("req") or ""
        module = m.group("mod") or m.group("rmod") or ""
        for raw in re.split(r"[,{}]", clause):
            name = raw.strip()
            if not name:
                continue
            if " as " in name:
                name = name.split(" as ")[-1].strip()
            elif ":" in name:
                name = name.split(":")[-1].strip()
            name = name.replace("*", "").strip()
            if name and name != "type":
                out[name] = module
    ctx.cache["js.import_map"] = out
    return out


def _module_of(ctx: FileContext, name: str) -> str:
    return file_imports(ctx).get(name, "")


def _const_objects(ctx: FileContext) -> dict[str, ts.Node]:
    """Same-file ``const NAME = { ... }`` declarations (last wins)."""
    cached = ctx.cache.get("js.const_objects")
    if cached is None:
        cached = {}
        q = "(variable_declarator name: (identifier) @n value: (_) @v)"
        caps = captures(ctx.language, q, ctx.root)
        names, values = caps.get("n", []), caps.get("v", [])
        for n, v in zip(
            sorted(names, key=lambda x: x.start_byte),
            sorted(values, key=lambda x: x.start_byte),
            strict=False,
        ):
            inner = unwrap(v)
            if inner is not None and inner.type == "object":
                cached[ctx.node_text(n)] = inner
        ctx.cache["js.const_objects"] = cached
    return cached


def resolve_object(ctx: FileContext, node: ts.Node | None) -> ts.Node | None:
    """An object literal given directly or through a same-file constant."""
    node = unwrap(node)
    if node is None:
        return None
    if node.type == "object":
        return node
    if node.type == "identifier":
        return _const_objects(ctx).get(ctx.node_text(node))
    return None


def env_name(text: str) -> str | None:
    """``process.env.DATABASE_URL`` / ``env("X")`` / ``config.get("X")`` -> the variable name."""
    m = _ENV.search(text)
    if not m:
        return None
    return next((g for g in m.groups() if g), None)


def _has_spread(obj: ts.Node | None) -> str:
    if obj is None:
        return ""
    for child in obj.named_children:
        if child.type == "spread_element":
            return child.text.decode("utf-8", "replace")[:200] if child.text else "..."
    return ""


_GUARD = re.compile(r"^\(\s*(?:!\s*([\w.$]+)|([\w.$]+)\s*={2,3}\s*(?:null|undefined))\s*\)$")


def _singleton_guarded(ctx: FileContext, node: ts.Node, fn: ts.Node) -> bool:
    """The construction runs inside ``if (!slot) { ... slot = ... }`` where ``slot`` outlives
    the call (a module variable, ``this.x``): built once, then reused. A guard on a local or
    a parameter (``if (!connectionString) { ... }``) is no singleton check."""
    params = fn.child_by_field_name("parameters") or fn.child_by_field_name("parameter")
    own = ctx.node_text(params) if params is not None else ""
    cur = node.parent
    while cur is not None and cur.id != fn.id:
        if cur.type == "if_statement":
            cond = cur.child_by_field_name("condition")
            then = cur.child_by_field_name("consequence")
            m = _GUARD.match(ctx.node_text(cond)) if cond is not None else None
            if m and then is not None and then.start_byte <= node.start_byte < then.end_byte:
                slot = m.group(1) or m.group(2)
                root = slot.split(".", 1)[0]
                local = root not in {"this", "globalThis", "global"} and (
                    re.search(rf"(?<![\w$]){re.escape(root)}(?![\w$])", own) is not None
                    or re.search(rf"\b(?:const|let|var)\s+{re.escape(root)}(?![\w$])", ctx.node_text(fn))
                    is not None
                )
                assigned = re.search(
                    rf"(?<![\w$.]){re.escape(slot)}\s*(?:=(?![=>])|\?\?=|\|\|=)", ctx.node_text(then)
                )
                if not local and assigned:
                    return True
        cur = cur.parent
    return False


def _module_names(ctx: FileContext) -> frozenset[str]:
    """Names the file declares at its top level (``const cache = new Map()``,
    ``export let clients = {}``): they live as long as the process."""
    cached = ctx.cache.get("js.module_names")
    if cached is None:
        names: set[str] = set()
        for child in ctx.root.named_children:
            decl = child.child_by_field_name("declaration") if child.type == "export_statement" else child
            if decl is None or decl.type not in {"lexical_declaration", "variable_declaration"}:
                continue
            for declarator in decl.named_children:
                name = (
                    declarator.child_by_field_name("name")
                    if declarator.type == "variable_declarator"
                    else None
                )
                if name is not None and name.type == "identifier":
                    names.add(ctx.node_text(name))
        cached = frozenset(names)
        ctx.cache["js.module_names"] = cached
    return cached


def _long_lived(ctx: FileContext, node: ts.Node | None) -> bool:
    """``node`` (a store's receiver: ``cache``, ``globalThis.clients``, ``registry.pools``) is
    rooted in a module-level name or the global object."""
    node = unwrap(node)
    while node is not None and node.type in {"member_expression", "subscript_expression"}:
        node = unwrap(node.child_by_field_name("object"))
    if node is None or node.type != "identifier":
        return False
    root = ctx.node_text(node)
    return root in {"globalThis", "global"} or root in _module_names(ctx)


_VALUE_WRAPPERS = frozenset(
    {
        "await_expression",
        "parenthesized_expression",
        "as_expression",
        "non_null_expression",
        "satisfies_expression",
    }
)
_STORES = "(call_expression function: (member_expression)) @call (assignment_expression) @assign"


def _memoised(ctx: FileContext, node: ts.Node, fn: ts.Node | None) -> bool:
    """The construction (or an object literal holding it, or ``cached ?? new Pool()``) is put
    into a module-level map or object: ``cache.set(url, client)``, ``clients[url] = {
    client, schema }``,
    ``store.set(key, new Pool(...))``. A client kept there, under its connection string or
    tenant, is built on a miss and reused by later calls: memoised, not built per call."""
    carrier = node
    while carrier.parent is not None and (
        carrier.parent.type in _VALUE_WRAPPERS
        or (carrier.parent.type == "pair" and carrier.parent.child_by_field_name("value") == carrier)
        or (carrier.parent.type == "object" and carrier.type == "pair")
        or (
            carrier.parent.type == "binary_expression"
            and ctx.node_text(carrier.parent.child_by_field_name("operator")) in {"??", "||"}
        )
    ):
        carrier = carrier.parent
    parent = carrier.parent
    name = ""
    if (
        parent is not None
        and parent.type == "variable_declarator"
        and parent.child_by_field_name("value") == carrier
    ):
        bound = parent.child_by_field_name("name")
        name = ctx.node_text(bound) if bound is not None and bound.type == "identifier" else ""
    elif parent is not None and parent.type == "assignment_expression":
        bound = parent.child_by_field_name("left")
        name = ctx.node_text(bound) if bound is not None and bound.type == "identifier" else ""
    scope = fn if fn is not None else ctx.root

    def stored(value: ts.Node) -> bool:
        value = unwrap(value) or value
        return value == carrier or (
            bool(name) and value.type == "identifier" and ctx.node_text(value) == name
        )

    got = captures(ctx.language, _STORES, scope)
    for call in got.get("call", []):
        fn_node = call.child_by_field_name("function")
        args = arguments(call)
        if (
            fn_node is not None
            and ctx.node_text(fn_node.child_by_field_name("property")) == "set"
            and len(args) == 2
            and stored(args[1])
            and _long_lived(ctx, fn_node.child_by_field_name("object"))
        ):
            return True
    for assign in got.get("assign", []):
        slot, value = assign.child_by_field_name("left"), assign.child_by_field_name("right")
        if (
            slot is not None
            and value is not None
            and slot.type in {"subscript_expression", "member_expression"}
            and stored(value)
            and _long_lived(ctx, slot.child_by_field_name("object"))
        ):
            return True
    return False


def _cached(ctx: FileContext, node: ts.Node) -> bool:
    """The construction is stored in a longer-lived slot (a module-level map or object keyed by
    its connection string counts), or guarded by a singleton check."""
    cur = node.parent
    while cur is not None and cur.type in {
        "await_expression",
        "parenthesized_expression",
        "as_expression",
        "non_null_expression",
        "call_expression",
        "member_expression",
        "arguments",
    }:
        cur = cur.parent
    if cur is None:
        return False
    if cur.type in {"assignment_expression", "augmented_assignment_expression"}:
        return True  # pool = new Pool(), globalThis.prisma ??= ..., this.pool = ...
    if cur.type in {"public_field_definition", "field_definition"}:
        return True
    fn = enclosing_function(node)
    if _memoised(ctx, node, fn):
        return True
    if fn is not None:
        body = ctx.node_text(fn)
        if re.search(r"\?\?=|globalThis|global\.", body) or _singleton_guarded(ctx, node, fn):
            return True
        fname = fn.child_by_field_name("name")
        name = ctx.node_text(fname) if fname is not None else ""
        if name in {
            "constructor",
            "onModuleInit",
            "bootstrap",
            "main",
            "init",
            "setup",
            "start",
            "connect",
            "initialize",
            "createApp",
            "buildApp",
        }:
            return True
    return False


def _emit(
    ctx: FileContext,
    at: ts.Node,
    library: str,
    options: Options,
    *,
    url_text: str = "",
    kind: str = "pool",
    serverless: bool = False,
) -> None:
    names = [k for k, _ in options]
    pool_keys = _POOL_KEYS.get(library, ())
    pool_options = [k for k in names if k in pool_keys]
    timeout_options = [k for k in names if k in _TIMEOUT_KEYS]
    for key, value in options:
        if key in _STATEMENT_TEXT_KEYS and re.search(r"statement_timeout|query_timeout", value):
            timeout_options.append("statement_timeout")
    pool_max: int | None = None
    for key, value in options:
        if key in _POOL_MAX_KEYS and value.strip().isdigit():
            pool_max = int(value.strip())
            break
    url_env = env_name(url_text) if url_text else None
    literal_url = url_text.strip().strip("'\"`")
    if "://" in literal_url and "${" not in literal_url:
        params = url_params(literal_url)
        pool_options += [p for p in params if p in {"connection_limit", "maxpoolsize", "pool_size", "max"}]
        timeout_options += [p for p in params if "timeout" in p or p == "maxtimems"]
        if pool_max is None and params.get("connection_limit", "").isdigit():
            pool_max = int(params["connection_limit"])
        serverless = serverless or is_pooler_url(literal_url)
    ctx.emit(
        DbClient(
            ctx.loc(at),
            library=library,
            options=options,
            pool_max=pool_max,
            pool_options=tuple(dict.fromkeys(pool_options)),
            timeout_options=tuple(dict.fromkeys(timeout_options)),
            url_env=url_env,
            serverless=serverless,
            function_id=enclosing_function_id(ctx, at),
            kind=kind,
            loop=enclosing_loop(ctx, at),
            cached=_cached(ctx, at),
            handed_to=_handed_to(ctx, at),
            target=url_text.strip()[:300],
        )
    )


def _bound_name(node: ts.Node) -> ts.Node | None:
    """The identifier (or ``this.x`` member) a construction is assigned to."""
    cur = node.parent
    while cur is not None and cur.type in {"await_expression", "parenthesized_expression", "as_expression"}:
        cur = cur.parent
    if cur is None:
        return None
    if cur.type == "variable_declarator":
        name = cur.child_by_field_name("name")
        return name if name is not None and name.type == "identifier" else None
    if cur.type == "assignment_expression":
        left = cur.child_by_field_name("left")
        return left if left is not None and left.type in {"identifier", "member_expression"} else None
    return None


#: what the code does with a pool it only owns: close it, listen to its events
_LIFECYCLE = re.compile(r"\??\.(?:end|close|destroy|on|once|off|removeAllListeners)\s*\(")


def _handed_to(ctx: FileContext, at: ts.Node) -> str:
    """The option key of the one place a pool is used when that place hands it to a library
    (``makeWorkerUtils({ pgPool: pool })``, ``new PgSession({ pool: pgPool })``): every
    other mention of the name in the file is its declaration or an assignment to it. A member
    use (``pool.query``), a return, an export or a plain argument is the application's own
    use: ``""``."""
    name_node = _bound_name(at)
    if name_node is None:
        return ""
    name = ctx.node_text(name_node).removeprefix("this.")
    if not re.fullmatch(r"[A-Za-z_$][\w$]*", name):
        return ""
    keys: list[str] = []
    for m in re.finditer(rf"(?<![\w$.])(?:this\.)?{re.escape(name)}(?![\w$])", ctx.text):
        start = m.start()
        line_start = ctx.text.rfind("\n", 0, start) + 1
        before = ctx.text[line_start:start]
        after = ctx.text[m.end() : m.end() + 3]
        if re.search(r"\bexport\s+(?:default\s+)?(?:(?:const|let|var)\s+)?$", before) or re.search(
            r"(?:\bmodule\.exports|\bexports\.[\w$]+)\s*=[^;]*$", before
        ):
            return ""  # exported: other modules may query it
        if re.search(r"\b(?:const|let|var)\s+$", before) or re.match(r"\s*(?::[^,)=]*)?=(?!=)", after):
            continue  # the declaration or an assignment
        if re.search(r"\b(?:let|var|const)\s+[^=;]*$", before) and ":" in after:
            continue  # ``let pool: Pool | null = null``
        tail = ctx.text[m.end() : m.end() + 24]
        if _LIFECYCLE.match(tail) or (re.search(r"\bif\s*\(\s*!?\s*$", before) and after.startswith(")")):
            continue  # closing it, listening for its errors, checking it exists
        key = re.search(r"([A-Za-z_$][\w$]*)\s*:\s*$", before)
        if key is None or after.startswith((".", "?.", "[")):
            return ""
        callee = _ORM_CALLEE.search(ctx.text[max(0, start - 300) : start])
        if callee is not None and callee.group(1).rsplit(".", 1)[-1] in _QUERY_LAYERS:
            return ""  # ``drizzle({ client: pool })``: the ORM the application queries through
        keys.append(key.group(1))
    return keys[0] if len(set(keys)) == 1 else ""


#: ORMs and query builders a pool is handed to as an option: every query the application writes
#: runs on it (unlike a job queue's or a session store's own short statements)
_QUERY_LAYERS = frozenset(
    {
        "drizzle",
        "Kysely",
        "PostgresDialect",
        "PostgresJSDialect",
        "PostgresJsDialect",
        "NeonDialect",
        "PrismaPg",
    }
)
#: the call whose object literal the option is in: ``drizzle({ client: `` / ``new PostgresDialect({ pool: ``
_ORM_CALLEE = re.compile(r"(?:\bnew\s+)?([A-Za-z_$][\w$.]*)\s*(?:<[^>]*>)?\(\s*\{[^{}]*$")


def _opts(ctx: FileContext, node: ts.Node | None) -> Options:
    obj = resolve_object(ctx, node)
    if obj is None:
        return (("...", ctx.node_text(node)[:200]),) if node is not None else ()
    out = list(options_of(ctx, obj))
    spread = _has_spread(obj)
    if spread:
        out.append(("...", spread))
    return tuple(out)


def _opt(options: Options, key: str) -> str:
    for k, v in options:
        if k == key:
            return v
    return ""


_NEEDS = (
    "PrismaClient",
    "typeorm",
    "TypeOrmModule",
    "sequelize",
    "knex",
    "Knex",
    "'pg'",
    '"pg"',
    "mysql",
    "mongoose",
    "mongodb",
    "drizzle",
    "'postgres'",
    '"postgres"',
    "@supabase/",
    "@neondatabase/",
)


@extractor(languages=JS_LANGUAGES, needs=_NEEDS)
def js_db_clients(ctx: FileContext) -> None:
    """Emit a :class:`DbClient` for every database client/pool construction in the file."""
    handled: set[int] = set()
    imports = file_imports(ctx)
    mods = set(imports.values())
    for node in captures(ctx.language, "(new_expression) @n", ctx.root).get("n", []):
        ctor = unwrap(node.child_by_field_name("constructor"))
        if ctor is None:
            continue
        cname = ctx.node_text(ctor)
        last = cname.rsplit(".", 1)[-1]
        args = arguments(node)
        first = args[0] if args else None
        root_name = cname.split(".", 1)[0]
        module = _module_of(ctx, root_name) or _module_of(ctx, last)
        if last == "PrismaClient":
            _prisma(ctx, node, first)
        elif last == "DataSource" and ("typeorm" in module or "typeorm" in mods):
            _typeorm(ctx, node, first, handled)
        elif last == "Sequelize" and "sequelize" in module:
            _sequelize(ctx, node, args, handled)
        elif last in {"Pool", "Client"} and module in {"pg", "pg-pool", "@neondatabase/serverless"}:
            opts = _opts(ctx, first) if first is not None else ()
            url = _opt(opts, "connectionString")
            _emit(
                ctx,
                node,
                "pg",
                opts,
                url_text=url,
                kind="pool" if last == "Pool" else "client",
                serverless=module == "@neondatabase/serverless",
            )
        elif last == "MongoClient" and module == "mongodb":
            opts = _opts(ctx, args[1]) if len(args) > 1 else ()
            _emit(ctx, node, "mongodb", opts, url_text=ctx.node_text(first) if first is not None else "")
    for call, parts in iter_calls(ctx):
        if not parts:
            continue
        name = parts[-1]
        args = arguments(call)
        first = args[0] if args else None
        head_mod = _module_of(ctx, parts[0])
        if name == "createConnection" and "typeorm" in (head_mod or ("typeorm" if "typeorm" in mods else "")):
            _typeorm(ctx, call, first, handled)
        elif parts[0] == "TypeOrmModule" and name in {"forRoot", "forRootAsync"}:
            if name == "forRoot":
                _typeorm(ctx, call, first, handled)
            else:
                _typeorm(ctx, call, _factory_result(ctx, first), handled, opaque_text=ctx.node_text(first))
        elif parts[0] == "SequelizeModule" and name in {"forRoot", "forRootAsync"}:
            target = first if name == "forRoot" else _factory_result(ctx, first)
            _sequelize(ctx, call, [target] if target is not None else [], handled)
        elif _is_knex(ctx, call, parts, head_mod):
            _knex(ctx, call, first, handled)
        elif name in {"createPool", "createConnection"} and (
            head_mod.startswith("mysql") or (len(parts) == 1 and _module_of(ctx, name).startswith("mysql"))
        ):
            opts = _opts(ctx, first) if first is not None else ()
            _emit(
                ctx,
                call,
                "mysql2",
                opts,
                url_text=_opt(opts, "uri"),
                kind="pool" if name == "createPool" else "client",
            )
        elif (name in {"connect", "createConnection"} and parts[0] == "mongoose" and len(parts) == 2) or (
            parts[0] == "MongooseModule" and name == "forRoot"
        ):
            opts = _opts(ctx, args[1]) if len(args) > 1 else ()
            _emit(ctx, call, "mongoose", opts, url_text=ctx.node_text(first) if first is not None else "")
        elif name == "drizzle" and len(parts) == 1:
            _drizzle(ctx, call, first, _module_of(ctx, "drizzle"))
        elif len(parts) == 1 and _module_of(ctx, name) == "postgres" and name not in {"sql"}:
            opts = (
                _opts(ctx, args[1])
                if len(args) > 1
                else (
                    _opts(ctx, first) if first is not None and resolve_object(ctx, first) is not None else ()
                )
            )
            _emit(ctx, call, "postgres-js", opts, url_text=ctx.node_text(first) if first is not None else "")
        elif name == "createClient" and _module_of(ctx, parts[0]).startswith("@supabase/"):
            _emit(
                ctx,
                call,
                "supabase",
                (),
                url_text=ctx.node_text(first) if first is not None else "",
                serverless=True,
            )
        elif name == "neon" and len(parts) == 1 and _module_of(ctx, "neon") == "@neondatabase/serverless":
            _emit(
                ctx,
                call,
                "neon",
                (),
                url_text=ctx.node_text(first) if first is not None else "",
                serverless=True,
            )
    if "typeorm" in mods or "@nestjs/typeorm" in mods or "ormconfig" in ctx.path or "data-source" in ctx.path:
        _typeorm_objects(ctx, handled)
    if "knex" in mods or "knexfile" in ctx.path.lower():
        _knex_objects(ctx, handled)


def _is_knex(ctx: FileContext, call: ts.Node, parts: tuple[str, ...], head_mod: str) -> bool:
    """A Knex client being created: ``knex(config)`` with ``knex`` imported from the package
    (not a project module that exports an instance, such as ``import knex from "../knex"``),
    and a config rather than a table name: ``knex("links")`` on an instance builds a query."""
    if parts[-1] in {"knex", "Knex"} and len(parts) == 1:
        if head_mod and head_mod.split("/")[0] != "knex":
            return False
        args = arguments(call)
        if args and args[0].type in {"string", "template_string"}:
            return False
        # ``knex`` imported from no module: a parameter or local holding an instance or a
        # transaction (``knex(TableName).insert(...)``), unless it is given a config object
        return bool(head_mod) or bool(args and args[0].type == "object")
    return parts == ("require", "()") and "'knex'" in ctx.node_text(call)[:40].replace('"', "'")


def _factory_result(ctx: FileContext, opts: ts.Node | None) -> ts.Node | None:
    """The object returned by ``useFactory`` in ``forRootAsync({ useFactory: ... })``."""
    pairs = object_pairs(ctx, unwrap(opts))
    fn = unwrap(pairs.get("useFactory"))
    if fn is None:
        return None
    if fn.type == "identifier":
        return None
    body = fn.child_by_field_name("body")
    body = unwrap(body)
    if body is None:
        return None
    if body.type == "object":
        return body
    for ret in captures(ctx.language, "(return_statement) @r", body).get("r", []):
        value = ret.named_children[0] if ret.named_children else None
        obj = resolve_object(ctx, value)
        if obj is not None:
            return obj
    return None


def _prisma(ctx: FileContext, node: ts.Node, first: ts.Node | None) -> None:
    opts = _opts(ctx, first) if first is not None else ()
    url = _opt(opts, "datasources.db.url") or _opt(opts, "datasourceUrl") or ""
    if not url:
        for key, value in opts:
            if key.startswith("datasources.") and key.endswith(".url"):
                url = value
    serverless = "withAccelerate" in ctx.text or "@prisma/extension-accelerate" in ctx.text
    _emit(ctx, node, "prisma", opts, url_text=url, serverless=serverless)


def _typeorm(
    ctx: FileContext, at: ts.Node, arg: ts.Node | None, handled: set[int], opaque_text: str = ""
) -> None:
    obj = resolve_object(ctx, arg)
    if obj is not None:
        if obj.id in handled:
            return
        handled.add(obj.id)
        opts = _opts(ctx, obj)
    else:
        opts = (("...", (opaque_text or ctx.node_text(arg))[:200]),)
    _emit(
        ctx,
        at,
        "typeorm",
        opts,
        url_text=_opt(opts, "url"),
        serverless=_opt(opts, "type").strip("'\"") in {"aurora-postgres", "aurora-mysql"},
    )


def _sequelize(ctx: FileContext, at: ts.Node, args: list[ts.Node], handled: set[int]) -> None:
    if not args:
        _emit(ctx, at, "sequelize", ())
        return
    last = args[-1]
    obj = resolve_object(ctx, last)
    if obj is not None:
        handled.add(obj.id)
    opts = _opts(ctx, last) if obj is not None or len(args) in {2, 4} else ()
    if obj is None and len(args) == 3:
        opts = ()
    url = (
        ctx.node_text(args[0])
        if len(args) <= 2 and resolve_object(ctx, args[0]) is None
        else _opt(opts, "url")
    )
    _emit(ctx, at, "sequelize", opts, url_text=url)


def _knex(ctx: FileContext, at: ts.Node, arg: ts.Node | None, handled: set[int]) -> None:
    obj = resolve_object(ctx, arg)
    if obj is not None:
        if obj.id in handled:
            return
        handled.add(obj.id)
    if arg is None:
        return
    opts = _opts(ctx, arg)
    conn = _opt(opts, "connection")
    _emit(ctx, at, "knex", opts, url_text=conn if "connection.host" not in dict(opts) else "")


def _drizzle(ctx: FileContext, call: ts.Node, first: ts.Node | None, module: str) -> None:
    serverless_mods = (
        "neon-http",
        "vercel-postgres",
        "planetscale",
        "d1",
        "libsql",
        "sqlite",
        "pglite",
        "aws-data-api",
        "xata-http",
        "expo",
        "op-sqlite",
        "durable",
        "neon-serverless",
    )
    if any(s in module for s in serverless_mods):
        _emit(ctx, call, "drizzle", (), serverless=True)
        return
    arg = unwrap(first)
    if arg is None or (
        arg.type in {"identifier", "member_expression", "new_expression"}
        and "process.env" not in ctx.node_text(arg)
    ):
        return  # drizzle(pool): the pool has its own DbClient
    if arg.type == "call_expression":
        return  # drizzle(postgres(url)) / drizzle(new Pool()) handled at the inner call
    opts = _opts(ctx, arg) if arg.type == "object" else ()
    if _opt(opts, "client") is not None:
        # drizzle({ client: pool, schema }): the wrapper opens no connection of its own; the
        # pool it is given has its own DbClient (an inline ``new Pool()`` is read at that call)
        return
    url = _opt(opts, "connection") or _opt(opts, "connection.connectionString") or ctx.node_text(arg)
    _emit(ctx, call, "drizzle", opts, url_text=url)


def _typeorm_objects(ctx: FileContext, handled: set[int]) -> None:
    """TypeORM-shaped option objects not passed straight to a construction (``ormconfig``,
    ``createTypeOrmOptions()`` returns, exported ``DataSourceOptions``)."""
    for obj in captures(ctx.language, "(object) @o", ctx.root).get("o", []):
        if obj.id in handled:
            continue
        pairs = object_pairs(ctx, obj)
        type_node = pairs.get("type")
        if type_node is None or string_value(ctx, type_node) not in TYPEORM_TYPES:
            continue
        if not _TYPEORM_HINTS & pairs.keys():
            continue
        handled.add(obj.id)
        anchor = _anchor(obj)
        _emit(ctx, anchor, "typeorm", _opts(ctx, obj), url_text=_opt(_opts(ctx, obj), "url"))


def _knex_objects(ctx: FileContext, handled: set[int]) -> None:
    """knexfile-style configs: ``{ client: 'pg', connection, pool }`` (production entry only
    when the file lists several environments)."""
    found: list[tuple[ts.Node, str]] = []
    for obj in captures(ctx.language, "(object) @o", ctx.root).get("o", []):
        if obj.id in handled:
            continue
        pairs = object_pairs(ctx, obj)
        client = string_value(ctx, pairs.get("client"))
        if client not in KNEX_CLIENTS or "connection" not in pairs:
            continue
        env_key = ""
        parent = obj.parent
        if parent is not None and parent.type == "pair":
            env_key = ctx.node_text(parent.child_by_field_name("key")).strip("'\"")
        found.append((obj, env_key))
    keyed = [f for f in found if f[1]]
    if len(keyed) > 1:
        prod = [f for f in keyed if f[1].lower() in {"production", "prod"}]
        found = prod + [f for f in found if not f[1]]
    for obj, _ in found:
        handled.add(obj.id)
        opts = _opts(ctx, obj)
        _emit(ctx, _anchor(obj), "knex", opts, url_text=_opt(opts, "connection"))


def _anchor(obj: ts.Node) -> ts.Node:
    """Where a free-standing options object is reported: its declaration/return/export line."""
    cur = obj.parent
    while cur is not None and cur.type in {
        "parenthesized_expression",
        "as_expression",
        "satisfies_expression",
        "type_assertion",
    }:
        cur = cur.parent
    if cur is not None and cur.type in {
        "variable_declarator",
        "return_statement",
        "pair",
        "export_statement",
        "assignment_expression",
    }:
        return cur
    return obj


def _int(ctx: FileContext, node: ts.Node | None) -> int | None:
    return int_value(ctx, node)


@extractor(languages=("prisma",), needs=("datasource",))
def prisma_datasource(ctx: FileContext) -> None:
    """``datasource db { provider = ...; url = env("DATABASE_URL") }`` -> a datasource
    :class:`DbClient` (``kind="datasource"``) carrying the URL variable or literal."""
    for m in re.finditer(r"^\s*datasource\s+(\w+)\s*\{([^}]*)\}", ctx.text, re.MULTILINE):
        body = m.group(2)
        line = ctx.text.count("\n", 0, m.start()) + 1
        while line <= len(ctx.lines) and "datasource" not in ctx.lines[line - 1]:
            line += 1
        end = ctx.text.count("\n", 0, m.end()) + 1
        opts: list[tuple[str, str]] = [("datasource", m.group(1))]
        for key, value in re.findall(r"^\s*(\w+)\s*=\s*(.+?)\s*$", body, re.MULTILINE):
            opts.append((key, value))
        url = dict(opts).get("url", "")
        provider = dict(opts).get("provider", "").strip("'\"")
        env = env_name(url)
        literal = url.strip().strip("'\"") if not env else ""
        params = url_params(literal) if literal else {}
        pool_options = tuple(p for p in params if p == "connection_limit")
        timeouts = tuple(p for p in params if "timeout" in p)
        ctx.emit(
            DbClient(
                ctx.line_loc(line, end),
                library="prisma",
                options=tuple(opts),
                pool_max=int(params["connection_limit"])
                if params.get("connection_limit", "").isdigit()
                else None,
                pool_options=pool_options,
                timeout_options=timeouts,
                url_env=env,
                serverless=bool(literal and is_pooler_url(literal)) or provider in {"sqlite", "mongodb"},
                kind="datasource",
            )
        )
