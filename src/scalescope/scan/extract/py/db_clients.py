"""Database clients in Python: SQLAlchemy engines, asyncpg and psycopg pools, psycopg2 pools,
Flask-SQLAlchemy, Django ``DATABASES`` settings and ``dj_database_url``; plus
``SET statement_timeout`` executed by code (a :class:`DbSetting`).
"""

from __future__ import annotations

import re

import tree_sitter as ts

from scalescope.model.facts import DbClient, DbSetting, Options, option
from scalescope.scan.extract.base import FileContext, captures, extractor
from scalescope.scan.extract.infra.dburl import is_pooler_url, is_sqlite_url, url_params
from scalescope.scan.extract.py.ast import (
    arguments,
    decorators,
    dict_pairs,
    enclosing_function,
    enclosing_function_id,
    enclosing_loop,
    if_branches,
    int_value,
    iter_calls,
    kwargs,
    string_value,
    unwrap,
)
from scalescope.scan.extract.py.data_common import assignment_before

_ENV = re.compile(
    r"""(?:os\.environ(?:\.get)?[\[(]\s*|os\.getenv\(\s*|env(?:\.\w+)?\(\s*|config\(\s*)['"]([A-Z_][A-Z0-9_]*)['"]"""
)
_POOL_KW = {
    "sqlalchemy": (
        "pool_size",
        "max_overflow",
        "poolclass",
        "pool_recycle",
        "pool_pre_ping",
        "pool_use_lifo",
    ),
    "asyncpg": ("min_size", "max_size", "max_inactive_connection_lifetime"),
    "psycopg": ("min_size", "max_size", "max_idle", "max_lifetime"),
    "psycopg2": ("minconn", "maxconn"),
}
_TIMEOUT_KW = frozenset(
    {"pool_timeout", "command_timeout", "timeout", "statement_timeout", "connect_timeout", "query_timeout"}
)
_SQLA = frozenset({"create_engine", "create_async_engine"})
_SET_TIMEOUT = re.compile(
    r"\bSET\s+(LOCAL\s+|SESSION\s+)?(statement_timeout|lock_timeout|max_execution_time)\b"
    r"\s*(?:=|TO)?\s*'?([\w ]*)",
    re.IGNORECASE,
)


def _settings_library(ctx: FileContext) -> str:
    """The client library a ``SET`` in this file runs on, from its imports."""
    for module, library in (("sqlalchemy", "sqlalchemy"), ("django", "django"), ("asyncpg", "asyncpg")):
        if f"import {module}" in ctx.text or f"from {module}" in ctx.text:
            return library
    if "psycopg2" in ctx.text:
        return "psycopg2"
    if "psycopg" in ctx.text:
        return "psycopg"
    return ""


# ``KEGBOT["DATABASE_URL"]``, ``conf.get("DB_DSN")``: a configuration mapping loaded from the
# environment, read by the variable's own name (a URL/DSN-shaped upper-case key)
_CONFIG_KEY = re.compile(r"""\w(?:\.get\(|\[)\s*['"]([A-Z][A-Z0-9_]*(?:URL|URI|DSN))['"]""")


def env_name(text: str) -> str | None:
    m = _ENV.search(text) or _CONFIG_KEY.search(text)
    return m.group(1) if m else None


def _cached(ctx: FileContext, node: ts.Node) -> bool:
    fn = enclosing_function(node)
    if fn is None:
        return False
    for deco in decorators(ctx, fn):
        if re.search(r"cache|lru_cache|memoize|singleton", ctx.node_text(deco)):
            return True
    body = ctx.node_text(fn)
    if re.search(r"^\s*global\s+\w", body, re.MULTILINE) or re.search(
        r"if\s+(not\s+)?[\w.]*(_engine|_pool|engine|pool)\b\s*(is\s+None)?\s*:", body
    ):
        return True
    name = ctx.node_text(fn.child_by_field_name("name"))
    if name in {
        "__init__",
        "main",
        "init",
        "setup",
        "startup",
        "lifespan",
        "on_startup",
        "init_db",
        "create_app",
        "connect",
        "init_engine",
        "setup_database",
    }:
        return True
    parent = node.parent
    return bool(
        parent is not None
        and parent.type == "assignment"
        and ctx.node_text(parent.child_by_field_name("left")).startswith(("self.", "cls.", "app."))
    )


def _dict_options(
    ctx: FileContext, node: ts.Node | None, prefix: str = "", depth: int = 0
) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for key, value in dict_pairs(ctx, node).items():
        full = f"{prefix}{key}"
        inner = unwrap(value)
        out.append((full, ctx.node_text(value)[:200]))
        if (
            inner is not None
            and depth < 3
            and (
                inner.type == "dictionary"
                or (inner.type == "call" and ctx.node_text(inner.child_by_field_name("function")) == "dict")
            )
        ):
            out.extend(_dict_options(ctx, inner, full + ".", depth + 1))
    return out


def _call_options(ctx: FileContext, call: ts.Node) -> Options:
    out: list[tuple[str, str]] = []
    for key, value in kwargs(ctx, call).items():
        out.append((key, ctx.node_text(value)[:200]))
        inner = unwrap(value)
        if inner is not None and inner.type in {"dictionary", "call"}:
            out.extend(_dict_options(ctx, inner, key + "."))
    out.extend(_splat_options(ctx, call))
    return tuple(out)


def _splat_options(ctx: FileContext, call: ts.Node) -> list[tuple[str, str]]:
    """Keyword options passed as ``**config``: the dict literal ``config`` is bound to in the
    call's function or at module level, directly (``config = {...}``) or as the result of a
    function of the same file that returns one (``config = get_db_config()``)."""
    args = call.child_by_field_name("arguments")
    if args is None:
        return []
    out: list[tuple[str, str]] = []
    for arg in args.named_children:
        if arg.type != "dictionary_splat" or not arg.named_children:
            continue
        value = unwrap(arg.named_children[0])
        if value is None:
            continue
        found = _dict_literal(ctx, value, call)
        if found is not None:
            out.extend(_dict_options(ctx, found))
        else:
            # ``**configuration.postgres.model_dump()``: options the file does not show (a YAML
            # or settings object), as a JavaScript ``...spread`` of something not in view
            out.append(("...", ctx.node_text(arg)[:200]))
    return out


def _dict_literal(ctx: FileContext, value: ts.Node, at: ts.Node, depth: int = 0) -> ts.Node | None:
    """The dict literal an expression stands for, when the file shows it (``None`` otherwise)."""
    if value.type == "dictionary":
        return value
    if depth > 2:
        return None
    if value.type == "call":
        fn = value.child_by_field_name("function")
        if fn is None or fn.type != "identifier":
            return None
        name = ctx.node_text(fn)
        for node in _module_functions(ctx):
            if ctx.node_text(node.child_by_field_name("name")) != name:
                continue
            returns = [n for n in _walk(node) if n.type == "return_statement" and n.named_children]
            if len(returns) == 1:
                return _dict_literal(ctx, unwrap(returns[0].named_children[0]) or returns[0], at, depth + 1)
        return None
    if value.type != "identifier":
        return None
    name = ctx.node_text(value)
    scopes = [s for s in (enclosing_function(at), ctx.tree.root_node) if s is not None]
    for scope in scopes:
        bound: list[ts.Node] = []
        local = scope is scopes[0] and scope.type == "function_definition"
        # in the call's function: bindings before the call; at module level: top-level ones
        for node in _walk(scope, skip_functions=not local):
            if node.type != "assignment" or (scope is scopes[0] and node.start_byte >= at.start_byte):
                continue
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            if left is None or right is None or left.type != "identifier":
                continue
            if ctx.node_text(left) == name:
                bound.append(right)
        if bound:
            last = unwrap(bound[-1])
            return _dict_literal(ctx, last, at, depth + 1) if last is not None else None
    return None


def _module_functions(ctx: FileContext) -> list[ts.Node]:
    found: list[ts.Node] | None = ctx.cache.get("py.db.module_functions")
    if found is None:
        found = []
        for child in ctx.tree.root_node.named_children:
            node = child
            if node.type == "decorated_definition":
                node = node.child_by_field_name("definition") or node
            if node.type == "function_definition":
                found.append(node)
        ctx.cache["py.db.module_functions"] = found
    return found


def _walk(node: ts.Node, skip_functions: bool = False) -> list[ts.Node]:
    """Descendants of ``node`` in document order (nested function bodies skipped when asked)."""
    out: list[ts.Node] = []
    stack = list(reversed(node.named_children))
    while stack:
        cur = stack.pop()
        out.append(cur)
        if skip_functions and cur.type in {"function_definition", "class_definition", "lambda"}:
            continue
        stack.extend(reversed(cur.named_children))
    return out


_FROM_IMPORT = re.compile(r"^\s*from\s+([\w.]+)\s+import\s+(\([^)]*\)|[^\n]+)", re.MULTILINE)


def _imported(ctx: FileContext) -> dict[str, str]:
    """``local name -> module.name`` for ``from module import name [as local]``."""
    found = ctx.cache.get("py.db.imports")
    if found is None:
        found = {}
        for m in _FROM_IMPORT.finditer(ctx.text):
            for item in re.sub(r"#[^\n]*", "", m.group(2)).strip("()").split(","):
                bits = item.split(" as ")
                local = bits[-1].strip()
                if local.isidentifier():
                    found[local] = f"{m.group(1)}.{bits[0].strip()}"
        ctx.cache["py.db.imports"] = found
    return found


def _is_sqlalchemy_factory(ctx: FileContext, parts: tuple[str, ...]) -> bool:
    """``create_engine``/``create_async_engine`` from SQLAlchemy (also under an alias), not a
    project wrapper of the same name (``from app.db import create_async_engine``)."""
    if len(parts) > 1:
        return parts[-1] in _SQLA and bool(_sqla_factories(ctx))
    return parts[0] in _sqla_factories(ctx)


def _sqla_factories(ctx: FileContext) -> frozenset[str]:
    """Local names that call SQLAlchemy's engine factories in this file (cached per file)."""
    found = ctx.cache.get("py.db.sqla")
    if found is None:
        names: set[str] = set()
        if "sqlalchemy" in ctx.text or "sqlmodel" in ctx.text:
            imported = _imported(ctx)
            names = {
                local
                for local, origin in imported.items()
                if origin.startswith(("sqlalchemy.", "sqlmodel.")) and origin.rsplit(".", 1)[-1] in _SQLA
            }
            names |= {
                n
                for n in _SQLA
                if n not in imported
                and not re.search(rf"^\s*(?:async\s+)?def\s+{n}\b", ctx.text, re.MULTILINE)
            }
            names.add("")  # marks a file that uses SQLAlchemy at all (for ``sa.create_engine``)
        found = ctx.cache["py.db.sqla"] = frozenset(names)
    return frozenset(found)


def _filled_later(ctx: FileContext, call: ts.Node) -> Options:
    """Keys set on a dict passed by name: ``connect_args["command_timeout"] = t`` earlier in the
    function, then ``create_async_engine(dsn, connect_args=connect_args)``."""
    fn = enclosing_function(call)
    if fn is None:
        return ()
    body = ctx.node_text(fn)
    out: list[tuple[str, str]] = []
    for key, value in kwargs(ctx, call).items():
        if value.type != "identifier":
            continue
        ident = re.escape(ctx.node_text(value))
        for m in re.finditer(rf"\b{ident}\[\s*['\"](\w+)['\"]\s*\]\s*=(?!=)\s*([^\n]*)", body):
            out.append((f"{key}.{m.group(1)}", m.group(2).strip()[:200]))
    return tuple(out)


def _emit(
    ctx: FileContext,
    at: ts.Node,
    library: str,
    options: Options,
    url_text: str,
    *,
    pool_max: int | None = None,
    kind: str = "pool",
    serverless: bool = False,
) -> None:
    names = [k for k, _ in options]
    pool_options = [k for k in names if k in _POOL_KW.get(library, ())]
    timeout_options = [k.rsplit(".", 1)[-1] for k in names if k.rsplit(".", 1)[-1] in _TIMEOUT_KW]
    for key, value in options:
        if re.search(r"statement_timeout", value) and key.rsplit(".", 1)[-1] in {
            "options",
            "server_settings",
            "connect_args",
            "kwargs",
        }:
            timeout_options.append("statement_timeout")
        if key.endswith("server_settings.statement_timeout"):
            timeout_options.append("statement_timeout")
    literal = url_text.strip().strip("'\"")
    if "://" in literal and "{" not in literal:
        params = url_params(literal)
        timeout_options += [p for p in params if "timeout" in p]
        serverless = serverless or is_pooler_url(literal)
    ctx.emit(
        DbClient(
            ctx.loc(at),
            library=library,
            options=options,
            pool_max=pool_max,
            pool_options=tuple(dict.fromkeys(pool_options)),
            timeout_options=tuple(dict.fromkeys(timeout_options)),
            url_env=env_name(url_text),
            serverless=serverless,
            function_id=enclosing_function_id(ctx, at),
            kind=kind,
            loop=enclosing_loop(ctx, at),
            cached=_cached(ctx, at),
        )
    )


@extractor(
    languages=("python",),
    needs=(
        "create_engine",
        "create_async_engine",
        "asyncpg",
        "psycopg",
        "SQLAlchemy(",
        "SQLALCHEMY_",
        "DATABASES",
        "dj_database_url",
        "statement_timeout",
    ),
)
def py_db_clients(ctx: FileContext) -> None:
    """Emit :class:`DbClient` facts for engines, pools and Django database settings."""
    if re.search(r"^\s*(?:from alembic[\s.]|import alembic\b)", ctx.text, re.MULTILINE):
        return  # migration runner: NullPool engines there are expected
    for call, parts in iter_calls(ctx):
        if not parts:
            continue
        name = parts[-1]
        args = arguments(call)
        first = args[0] if args else None
        url = ctx.node_text(first) if first is not None else ctx.node_text(kwargs(ctx, call).get("url"))
        if _is_sqlalchemy_factory(ctx, parts):
            if is_sqlite_url(_literal_head(ctx, first)):
                continue
            opts = (*_call_options(ctx, call), *_filled_later(ctx, call))
            if first is not None and option(opts, "url") is None:
                opts = (("url", ctx.node_text(first)), *opts)  # the positional URL, as ``url=``
            pool_max = None
            ps = int_value(ctx, kwargs(ctx, call).get("pool_size"))
            mo = int_value(ctx, kwargs(ctx, call).get("max_overflow"))
            if ps is not None:
                pool_max = ps + (mo if mo is not None else 10)
            _emit(ctx, call, "sqlalchemy", opts, url, pool_max=pool_max)
        elif name == "create_pool" and (parts[0] == "asyncpg" or "asyncpg" in ctx.text[:3000]):
            opts = _call_options(ctx, call)
            _emit(ctx, call, "asyncpg", opts, url, pool_max=int_value(ctx, kwargs(ctx, call).get("max_size")))
        elif name in {"ConnectionPool", "AsyncConnectionPool"} and "psycopg_pool" in ctx.text:
            opts = _call_options(ctx, call)
            kw = kwargs(ctx, call)
            url = ctx.node_text(first or kw.get("conninfo"))
            _emit(
                ctx,
                call,
                "psycopg",
                opts,
                url,
                pool_max=int_value(ctx, kw.get("max_size")) or int_value(ctx, kw.get("min_size")),
            )
        elif name in {"SimpleConnectionPool", "ThreadedConnectionPool"} and "psycopg2" in ctx.text:
            maxconn = (
                int_value(ctx, args[1]) if len(args) > 1 else int_value(ctx, kwargs(ctx, call).get("maxconn"))
            )
            opts = (
                (("minconn", ctx.node_text(args[0])), ("maxconn", ctx.node_text(args[1])))
                if len(args) > 1
                else _call_options(ctx, call)
            )
            _emit(
                ctx, call, "psycopg2", opts, ctx.node_text(args[2]) if len(args) > 2 else "", pool_max=maxconn
            )
        elif name == "SQLAlchemy" and "flask_sqlalchemy" in ctx.text:
            opts = _call_options(ctx, call)
            # the engine options usually live in the app config (SQLALCHEMY_ENGINE_OPTIONS)
            opts = (*((k.replace("engine_options.", ""), v) for k, v in opts), ("config", "flask"))
            _emit(ctx, call, "sqlalchemy", opts, "")
        elif name in {"execute", "exec_driver_sql", "text"} and first is not None:
            sql = string_value(ctx, first) or ctx.node_text(first)
            m = _SET_TIMEOUT.search(sql)
            seen: set[int] = ctx.cache.setdefault("py.db.set_lines", set())
            if m and first.start_point[0] not in seen:
                seen.add(first.start_point[0])  # ``execute(text("SET ..."))``: once, not twice
                # ``SET LOCAL`` lasts until the transaction ends; ``SET``/``SET SESSION`` for the session
                local = (m.group(1) or "").strip().upper() == "LOCAL"
                ctx.emit(
                    DbSetting(
                        ctx.loc(call),
                        scope="transaction" if local else "session",
                        library=_settings_library(ctx),
                        name=m.group(2).lower(),
                        value=m.group(3).strip(),
                        function_id=enclosing_function_id(ctx, call),
                    )
                )
    if "DATABASES" in ctx.text:
        _django(ctx)
    if "SQLALCHEMY_" in ctx.text:
        _flask_config(ctx)


def _literal_head(ctx: FileContext, node: ts.Node | None, depth: int = 0) -> str:
    """The literal text a URL expression starts with: a plain string, or the string a
    ``"sqlite:///{0}".format(path)`` call, an f-string (``f"sqlite:///{path}"``), a ``%``
    format or a ``+`` concatenation begins with, or a name assigned one of these just before in
    the same block; ``""`` when it starts with no literal."""
    node = unwrap(node)
    if node is None:
        return ""
    plain = string_value(ctx, node)
    if plain is not None:
        return plain
    if node.type == "string":  # an f-string: the text before its first interpolation
        return ctx.node_text(node).lstrip("rRbBfFuU").strip("'\"").split("{", 1)[0]
    if node.type == "call":
        fn = node.child_by_field_name("function")
        method = fn.child_by_field_name("attribute") if fn is not None and fn.type == "attribute" else None
        if fn is not None and method is not None and ctx.node_text(method) == "format":
            return _literal_head(ctx, fn.child_by_field_name("object"))
        return ""
    if node.type in {"binary_operator", "concatenated_string"}:
        return _literal_head(ctx, node.named_children[0] if node.named_children else None)
    if node.type == "identifier" and depth == 0:
        # ``url = f"sqlite:///{path}"`` a few lines up, in the same block: the value it holds here
        value = _nearest_assignment(ctx, node)
        return _literal_head(ctx, value, depth + 1) if value is not None else ""
    return ""


def _nearest_assignment(ctx: FileContext, name: ts.Node) -> ts.Node | None:
    """The value of the last ``name = value`` before ``name`` among the statements of the
    block that holds its statement (a branch of an ``if`` sees its own assignment, not the
    other branch's)."""
    stmt = name
    while stmt.parent is not None and stmt.parent.type not in {"block", "module"}:
        stmt = stmt.parent
    block = stmt.parent
    if block is None:
        return None
    text = ctx.node_text(name)
    found: ts.Node | None = None
    for child in block.named_children:
        if child.start_byte >= stmt.start_byte:
            break
        kids = child.named_children if child.type == "expression_statement" else []
        expr = kids[0] if kids else None
        if expr is not None and expr.type == "assignment":
            left = expr.child_by_field_name("left")
            if left is not None and ctx.node_text(left) == text:
                found = expr.child_by_field_name("right")
    return found


_FLASK_LEGACY = {
    "SQLALCHEMY_POOL_SIZE": "pool_size",
    "SQLALCHEMY_MAX_OVERFLOW": "max_overflow",
    "SQLALCHEMY_POOL_TIMEOUT": "pool_timeout",
    "SQLALCHEMY_POOL_RECYCLE": "pool_recycle",
}


def _flask_config(ctx: FileContext) -> None:
    """Flask-SQLAlchemy engine settings in the app config (``SQLALCHEMY_ENGINE_OPTIONS = {...}``,
    ``app.config["SQLALCHEMY_POOL_SIZE"] = 10``): a datasource the ``SQLAlchemy()`` client reads."""
    q = "(assignment left: (_) right: (_)) @a"
    caps = captures("python", q, ctx.root)
    for node in caps.get("a", []):
        left, right = node.child_by_field_name("left"), unwrap(node.child_by_field_name("right"))
        if left is None or right is None:
            continue
        m = re.fullmatch(
            r"(?:[\w.]+\[\s*['\"])?(?:[\w]+\.)*(SQLALCHEMY_\w+)(?:['\"]\s*\])?", ctx.node_text(left)
        )
        if m is None:
            continue
        key = m.group(1)
        opts: list[tuple[str, str]] = []
        if key == "SQLALCHEMY_ENGINE_OPTIONS" and right.type in {"dictionary", "call"}:
            opts = (
                _dict_options(ctx, right) if right.type == "dictionary" else list(_call_options(ctx, right))
            )
        elif key in _FLASK_LEGACY:
            opts = [(_FLASK_LEGACY[key], ctx.node_text(right)[:200])]
        if opts:
            _emit(ctx, node, "sqlalchemy", (*opts, ("config", "flask")), "", kind="datasource")


def _django(ctx: FileContext) -> None:
    q = "(assignment left: (identifier) @n right: (dictionary) @v)"
    caps = captures("python", q, ctx.root)
    sqlite_branches = _sqlite_alternatives(ctx, caps.get("n", []), caps.get("v", []))
    for name_node, value in zip(caps.get("n", []), caps.get("v", []), strict=False):
        if ctx.node_text(name_node) != "DATABASES" or (
            name_node.parent is not None
            and name_node.parent.parent is not None
            and name_node.parent.parent.type != "expression_statement"
        ):
            continue
        if enclosing_function(name_node) is not None or value.parent != name_node.parent:
            continue
        first_alias = True
        later = _later_star_import(ctx, value)
        branch = _branch(name_node)
        for alias, conf in dict_pairs(ctx, value).items():
            at = name_node if first_alias else conf
            first_alias = False
            _django_alias(ctx, at, alias, conf, later, branch, sqlite_branches.get((branch, alias), 0))


def _sqlite_alternatives(
    ctx: FileContext, names: list[ts.Node], values: list[ts.Node]
) -> dict[tuple[str, str], int]:
    """``(branch, alias) -> line`` of a SQLite ``DATABASES`` entry for that alias in another
    branch of the same ``if`` (``if not url: DATABASES = {"default": {"ENGINE":
    "...sqlite3"}} else: DATABASES = {"default": dj_database_url.parse(url)}``): the entry
    in ``branch`` is the alternative to a SQLite database, chosen by the deployment."""
    found: list[tuple[str, str, int]] = []  # (branch, alias, line) of SQLite entries
    branches: list[tuple[str, str]] = []
    for name_node, value in zip(names, values, strict=False):
        if ctx.node_text(name_node) != "DATABASES" or not (branch := _branch(name_node)):
            continue
        for alias, conf in dict_pairs(ctx, value).items():
            branches.append((branch, alias))
            inner = unwrap(conf)
            engine = (
                dict_pairs(ctx, inner).get("ENGINE")
                if inner is not None and inner.type == "dictionary"
                else None
            )
            if engine is not None and re.search(r"sqlite|spatialite", ctx.node_text(engine)):
                found.append((branch, alias, conf.start_point[0] + 1))
    out: dict[tuple[str, str], int] = {}
    for branch, alias in branches:
        if_line = branch.split(":", 1)[0]
        for theirs, their_alias, line in found:
            if their_alias == alias and theirs != branch and theirs.split(":", 1)[0] == if_line:
                out[(branch, alias)] = line
    return out


def _branch(node: ts.Node) -> str:
    """The branch of the innermost ``if`` a statement runs in (``if X: DATABASES = {...}
    else: DATABASES = {...}``: lines of the ``if`` and of its ``elif``/``else``), or ``""``
    outside any ``if``: two settings of one ``if`` with different branch lines are
    alternatives, one of them runs, never both."""
    return if_branches(node).rpartition("/")[2]


def _later_star_import(ctx: FileContext, node: ts.Node) -> str:
    """A module-level ``from x import *`` after ``node`` (``from .local_settings import *`` at
    the end of a settings module), as written, or ``""``: it may replace what ``node`` set."""
    for stmt in ctx.root.named_children:
        blocks = [stmt] if stmt.type == "import_from_statement" else []
        if stmt.type == "try_statement":  # ``try: from .local import * except ImportError: pass``
            body = stmt.child_by_field_name("body")
            inner = body.named_children if body is not None else []
            blocks = [c for c in inner if c.type == "import_from_statement"]
        for imp in blocks:
            star = any(c.type == "wildcard_import" for c in imp.named_children)
            if star and imp.start_byte > node.end_byte:
                return ctx.node_text(imp)
    return ""


def _spread_dicts(ctx: FileContext, node: ts.Node) -> list[ts.Node]:
    """The dictionaries a dict literal spreads in (``**SQLITE_CONNECTION_OPTIONS``), each an
    assignment of this file before it."""
    out: list[ts.Node] = []
    for child in node.named_children:
        if child.type != "dictionary_splat" or not child.named_children:
            continue
        name = child.named_children[0]
        if name.type != "identifier":
            continue
        assign = assignment_before(ctx, name)
        value = unwrap(assign.child_by_field_name("right")) if assign is not None else None
        if value is not None and value.type == "dictionary":
            out.append(value)
    return out


def _url_entry(ctx: FileContext, call: ts.Node) -> bool:
    """``dj_database_url.config()/parse()``, django-environ ``env.db()``/``env.db_url()``: a
    ``DATABASES`` entry built from a URL."""
    callee = ctx.node_text(call.child_by_field_name("function"))
    return "dj_database_url" in callee or callee.endswith((".db", ".db_url", "db_url"))


def _url_entry_options(ctx: FileContext, call: ts.Node, opts: list[tuple[str, str]]) -> str:
    """Add the keyword options of a URL entry call to ``opts`` (``conn_max_age`` as Django's
    ``CONN_MAX_AGE``) and return the URL expression it reads, as written."""
    kw = kwargs(ctx, call)
    opts.extend(
        (k.upper() if k in {"conn_max_age", "conn_health_checks"} else k, ctx.node_text(v)[:200])
        for k, v in kw.items()
    )
    url = kw.get("default") or (arguments(call)[0] if arguments(call) else None)
    if url is not None and url.type == "identifier":
        # ``database_url = os.environ.get("DATABASE_URL")`` earlier in the module: what it holds
        assign = assignment_before(ctx, url)
        value = assign.child_by_field_name("right") if assign is not None else None
        url = value if value is not None else url
    return ctx.node_text(url)


def _spread_calls(ctx: FileContext, node: ts.Node) -> list[ts.Node]:
    """The URL entry calls a dict literal spreads in (``**dj_database_url.parse(url)``)."""
    out: list[ts.Node] = []
    for child in node.named_children:
        if child.type == "dictionary_splat" and child.named_children:
            call = unwrap(child.named_children[0])
            if call is not None and call.type == "call" and _url_entry(ctx, call):
                out.append(call)
    return out


def _django_alias(
    ctx: FileContext,
    at: ts.Node,
    alias: str,
    conf: ts.Node,
    later: str = "",
    branch: str = "",
    sqlite_branch: int = 0,
) -> None:
    inner = unwrap(conf)
    if inner is None:
        return
    opts: list[tuple[str, str]] = [("alias", alias)]
    url = ""
    serverless = False
    if inner.type == "call":
        if not _url_entry(ctx, inner):
            return
        url = _url_entry_options(ctx, inner, opts)
        engine = ""
    elif inner.type == "dictionary":
        spread = _spread_dicts(ctx, inner)  # ``{"NAME": ..., **SQLITE_OPTIONS}``
        for part in spread:
            opts.extend(_dict_options(ctx, part))
        # ``{**dj_database_url.parse(os.environ.get("DATABASE_URL", default=...)), "OPTIONS": ...}``:
        # the URL the spread call parses says which database, as for a bare call entry
        for call in _spread_calls(ctx, inner):
            url = url or _url_entry_options(ctx, call, opts)
        opts.extend(_dict_options(ctx, inner))
        engines = [dict_pairs(ctx, part).get("ENGINE") for part in (inner, *spread)]
        engine = next((ctx.node_text(e) for e in engines if e is not None), "")
        if "sqlite" in engine or "spatialite" in engine:
            return  # SQLite (SpatiaLite is GeoDjango's SQLite backend): a file, no server
        if engine.strip("'\" ").endswith("."):
            # ``'ENGINE': 'django.db.backends.'``: a placeholder no server runs with (the
            # deployment's configuration replaces the entry)
            return
        port = ctx.node_text(dict_pairs(ctx, inner).get("PORT"))
        serverless = "6432" in port or (
            "DISABLE_SERVER_SIDE_CURSORS" in ctx.text
            and "True" in ctx.node_text(dict_pairs(ctx, inner).get("DISABLE_SERVER_SIDE_CURSORS"))
        )
    else:
        return
    if later:
        opts.append(("replaced_by", later[:200]))
    if branch:
        opts.append(("branch", branch))
    if sqlite_branch:
        opts.append(("sqlite_branch", str(sqlite_branch)))
    names = {k for k, _ in opts}
    # ``DATABASES["default"]["ENGINE"] = "django.contrib.gis.db.backends.postgis"`` after an
    # ``env.db()`` / ``dj_database_url`` entry: the engine the URL would have chosen, forced
    if "ENGINE" not in names and not engine:
        forced = re.search(r"""\[\s*['"]ENGINE['"]\s*\]\s*=\s*['"]([\w.]+)['"]""", ctx.text)
        if forced:
            if "sqlite" in forced.group(1) or "spatialite" in forced.group(1):
                return  # a file, no server
            opts.append(("ENGINE", forced.group(1)))
            names.add("ENGINE")
    # settings modules often patch DATABASES["default"]["CONN_MAX_AGE"] = ... after the literal
    for key in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS"):
        if key not in names and re.search(rf"\[\s*['\"]{key}['\"]\s*\]\s*=", ctx.text):
            opts.append((key, "<assigned later>"))
    if "OPTIONS.pool" not in names and (
        re.search(r"\[\s*['\"]pool['\"]\s*\]\s*=", ctx.text)
        # ``DATABASES["default"]["OPTIONS"] = {"pool": {...}}`` (often under ``if POOL_ENABLED:``)
        or re.search(r"\[\s*['\"]OPTIONS['\"]\s*\]\s*=\s*\{[^}]*?['\"]pool['\"]\s*:", ctx.text, re.S)
        or re.search(r"\[\s*['\"]OPTIONS['\"]\s*\]\.update\([^)]*?\bpool\b", ctx.text, re.S)
        # ``config.setdefault("OPTIONS", {}).setdefault("pool", {}).update(...)`` per alias
        or re.search(r"\.setdefault\(\s*['\"]pool['\"]", ctx.text)
    ):
        opts.append(("OPTIONS.pool", "<assigned later>"))
    pool_options = [k for k, _ in opts if k in {"CONN_MAX_AGE", "OPTIONS.pool", "CONN_HEALTH_CHECKS"}]
    timeouts = ["statement_timeout" for k, v in opts if k.startswith("OPTIONS") and "statement_timeout" in v]
    timeouts += [k.rsplit(".", 1)[-1] for k, _ in opts if k in {"OPTIONS.connect_timeout", "OPTIONS.timeout"}]
    if re.search(r"statement_timeout", ctx.text) and not timeouts:
        timeouts.append("statement_timeout")
    ctx.emit(
        DbClient(
            ctx.loc(at),
            library="django",
            options=tuple(opts),
            pool_options=tuple(dict.fromkeys(pool_options)),
            timeout_options=tuple(dict.fromkeys(timeouts)),
            url_env=env_name(url) if url else None,
            serverless=serverless,
            kind="settings",
        )
    )
