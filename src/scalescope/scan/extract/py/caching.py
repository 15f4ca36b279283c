"""Caching facts in Python: cache clients, in-process caches, cache operations, cached views.

Covers redis-py (sync and asyncio), aioredis, pymemcache, Django ``CACHES`` and the low-level
cache API, Flask-Caching, fastapi-cache, aiocache, cachetools, ``functools.lru_cache`` /
``cache`` and module-level dict caches. Receivers of cache operations are recognised by
construction or annotation in the file (``r = redis.Redis()``, ``redis: Redis``), by import
(``from django.core.cache import cache``) or by a ``redis`` name.
"""

from __future__ import annotations

import re

import tree_sitter as ts

from scalescope.model.facts import REQUEST_DATA_EVIDENCE, CacheClient, CachedRoute, CacheOp, InProcessCache
from scalescope.scan.extract.base import FileContext, captures, extractor
from scalescope.scan.extract.js.caching import KEY_USER_RE, OPS
from scalescope.scan.extract.py.ast import (
    arguments,
    decorators,
    dict_pairs,
    enclosing_function,
    enclosing_function_id,
    enclosing_loop,
    function_id,
    iter_calls,
    kwarg_options,
    kwargs,
    line_start_matches,
    string_value,
    unwrap,
)
from scalescope.scan.extract.py.data_common import assignment_before

_REDIS_CTORS = frozenset(
    {
        "Redis",
        "StrictRedis",
        "RedisCluster",
        "from_url",
        "create_redis_pool",
        "create_redis",
        "get_redis_connection",
        "ConnectionPool",
    }
)
_CLIENT_ANN = re.compile(
    r"\b(\w+)\s*:\s*(?:\"|')?(?:redis\.)?(?:asyncio\.)?(?:aioredis\.)?(Redis|StrictRedis|RedisCluster)\b"
)
_CLIENT_ASSIGN = re.compile(
    r"(?:self\.)?\b(\w+)\s*(?::[^=\n]*)?=\s*(?:await\s+)?(?:redis\.asyncio\.|aioredis\.|redis\.|aredis\.)?"
    r"(?:Redis|StrictRedis|RedisCluster)(?:\.from_url)?\(|(?:self\.)?(\w+)\s*=\s*(?:await\s+)?"
    r"(?:redis\.|aioredis\.|redis\.asyncio\.)(?:from_url|create_redis_pool)\(|"
    r"(?:self\.)?(\w+)\s*=\s*get_redis_connection\("
)
_IO_RE = re.compile(
    r"\bawait\b|\brequests\.\w+\(|\bhttpx\.|\burlopen\(|\baiohttp\b|\.objects\.|\bsession\.(?:query|execute|get|scalars?)\(|"
    r"\.execute\(|\bcursor\(|\bboto3\b|\.fetch(?:one|all|val|row)?\(|\bselect\(|\.query\(|\bclient\.\w+\("
)
_HINT = re.compile(r"cache|memo|store|lookup", re.IGNORECASE)
_IGNORED_RECEIVERS = frozenset(
    {
        "os",
        "environ",
        "request",
        "headers",
        "params",
        "kwargs",
        "data",
        "self",
        "json",
        "dict",
        "d",
        "args",
        "settings",
        "config",
        "response",
        "session",
        "query_params",
        "form",
        "cookies",
        "META",
        "GET",
        "POST",
    }
)
_CACHE_MODULES = (
    "redis",
    "aioredis",
    "django.core.cache",
    "django_redis",
    "flask_caching",
    "aiocache",
    "fastapi_cache",
    "pymemcache",
    "cachetools",
    "diskcache",
)


_FROM_IMPORT = re.compile(r"^\s*from\s+([\w.]+)\s+import\s+\(?([^)\n]+(?:\n[^)\n]+)*?)\)?\s*$", re.M)
_IMPORT = re.compile(r"^\s*import\s+([\w.]+)(?:\s+as\s+(\w+))?", re.M)


def _imports(ctx: FileContext) -> dict[str, str]:
    """``{local name: module}`` for imports of this file (cheap regex)."""
    found: dict[str, str] | None = ctx.cache.get("py.caching.imports")
    if found is None:
        found = {}
        for m in line_start_matches(_FROM_IMPORT, "from", ctx.text):
            for part in m.group(2).split(","):
                bits = part.strip().split(" as ")
                if bits and bits[0].strip():
                    found[bits[-1].strip().strip("()")] = f"{m.group(1)}.{bits[0].strip().strip('()')}"
        for m in line_start_matches(_IMPORT, "import", ctx.text):
            found[m.group(2) or m.group(1).split(".")[0]] = m.group(1)
        ctx.cache["py.caching.imports"] = found
    return found


# ----------------------------------------------------------------------------- clients


def _assigned_name(ctx: FileContext, node: ts.Node) -> str:
    parent = node.parent
    while parent is not None and parent.type in {"await", "parenthesized_expression"}:
        parent = parent.parent
    if parent is not None and parent.type == "assignment":
        return ctx.node_text(parent.child_by_field_name("left")).rsplit(".", 1)[-1]
    return ""


def _env_in(text: str) -> str | None:
    m = re.search(
        r"environ(?:\.get)?[\[(]\s*['\"](\w+)['\"]|getenv\(\s*['\"](\w+)['\"]|config\(\s*['\"](\w+)['\"]",
        text,
    )
    if not m:
        return None
    return m.group(1) or m.group(2) or m.group(3)


_CLIENT_CALLS = frozenset(
    {
        "Client",
        "PooledClient",
        "HashClient",
        "Cache",
        "init",
        "SimpleMemoryCache",
        "RedisCache",
        "MemcachedCache",
        "TTLCache",
        "LRUCache",
        "LFUCache",
        "FIFOCache",
        "RRCache",
        "TLRUCache",
    }
)


def _clients(ctx: FileContext, imports: dict[str, str]) -> dict[str, str]:
    names: dict[str, str] = {}
    for call, parts in iter_calls(ctx):
        if not parts:
            continue
        last = parts[-1]
        if last not in _CLIENT_CALLS and last not in _REDIS_CTORS:
            continue
        root_mod = imports.get(parts[0], "") if parts else ""
        fid = enclosing_function_id(ctx, call)
        name = _assigned_name(ctx, call)
        if last in _REDIS_CTORS and (
            root_mod.startswith(("redis", "aioredis", "django_redis")) or parts[0] in {"redis", "aioredis"}
        ):
            if last == "ConnectionPool":
                continue
            lib = "aioredis" if "aioredis" in root_mod or parts[0] == "aioredis" else "redis-py"
            if last == "get_redis_connection":
                lib = "django-redis"
            ctx.emit(
                CacheClient(
                    ctx.loc(call),
                    library=lib,
                    options=kwarg_options(ctx, call),
                    url_env=_env_in(ctx.node_text(call)),
                    function_id=fid,
                )
            )
            if name:
                names[name] = lib
        elif last in {"Client", "PooledClient", "HashClient"} and root_mod.startswith("pymemcache"):
            ctx.emit(
                CacheClient(
                    ctx.loc(call), library="pymemcache", options=kwarg_options(ctx, call), function_id=fid
                )
            )
            if name:
                names[name] = "pymemcache"
        elif last == "Cache" and root_mod.startswith("flask_caching"):
            _flask_cache(ctx, call, name, fid)
            if name:
                names[name] = "flask-caching"
        elif last == "init" and parts[:1] == ("FastAPICache",):
            args = arguments(call)
            backend = ctx.node_text(args[0]) if args else ""
            if "InMemoryBackend" in backend:
                ctx.emit(
                    InProcessCache(
                        ctx.loc(call),
                        kind="fastapi-cache-memory",
                        name="FastAPICache",
                        bounded=False,
                        has_ttl=True,
                        function_id=fid,
                        evidence="fastapi-cache in-memory backend",
                    )
                )
            else:
                ctx.emit(
                    CacheClient(
                        ctx.loc(call),
                        library="fastapi-cache",
                        options=kwarg_options(ctx, call),
                        function_id=fid,
                    )
                )
        elif last in {"Cache", "SimpleMemoryCache", "RedisCache", "MemcachedCache"} and root_mod.startswith(
            "aiocache"
        ):
            text = ctx.node_text(call)
            if last == "SimpleMemoryCache" or "MEMORY" in text or (last == "Cache" and not arguments(call)):
                ctx.cache.setdefault("py.caching.inproc", set()).add(name)
                ctx.emit(
                    InProcessCache(
                        ctx.loc(call),
                        kind="aiocache-memory",
                        name=name or "cache",
                        bounded=False,
                        has_ttl="ttl" in kwargs(ctx, call),
                        function_id=fid,
                        used_in=_users(ctx, name),
                    )
                )
            else:
                ctx.emit(
                    CacheClient(
                        ctx.loc(call), library="aiocache", options=kwarg_options(ctx, call), function_id=fid
                    )
                )
                if name:
                    names[name] = "aiocache"
        elif last in {"TTLCache", "LRUCache", "LFUCache", "FIFOCache", "RRCache", "TLRUCache", "Cache"} and (
            root_mod.startswith("cachetools") or parts[0] == "cachetools"
        ):
            if _decorator_arg(call):
                continue  # reported with the decorated function
            kw = kwargs(ctx, call)
            has_ttl = last in {"TTLCache", "TLRUCache"}
            used = _users(ctx, name)
            ctx.cache.setdefault("py.caching.inproc", set()).add(name)
            ctx.emit(
                InProcessCache(
                    ctx.loc(call),
                    kind=f"cachetools.{last}",
                    name=name or last,
                    bounded=True,
                    has_ttl=has_ttl or "ttl" in kw,
                    module_scope=fid is None,
                    function_id=fid,
                    used_in=used,
                    evidence=_evidence_for(ctx, name),
                )
            )
    # The two regexes have no literal prefix: only run them where their anchors occur.
    if "Redis" in ctx.text:
        for m in _CLIENT_ANN.finditer(ctx.text):
            names.setdefault(m.group(1), "redis-py")
    if ctx.has_any("Redis", "from_url(", "create_redis_pool(", "get_redis_connection("):
        for m in _CLIENT_ASSIGN.finditer(ctx.text):
            n = m.group(1) or m.group(2) or m.group(3)
            if n:
                names.setdefault(n, "redis-py")
    for local, mod in imports.items():
        if mod in {"django.core.cache.cache", "django.core.cache.caches"}:
            names[local] = "django"
    return names


def _decorator_arg(call: ts.Node) -> bool:
    node = call.parent
    for _ in range(4):
        if node is None:
            return False
        if node.type == "decorator":
            return True
        node = node.parent
    return False


def _flask_cache(ctx: FileContext, call: ts.Node, name: str, fid: str | None) -> None:
    config = kwargs(ctx, call).get("config")
    pairs = dict_pairs(ctx, config)
    ctype = string_value(ctx, pairs.get("CACHE_TYPE")) if "CACHE_TYPE" in pairs else None
    if ctype is None:
        m = re.search(r"CACHE_TYPE['\"]?\s*[\]:=]\s*=?\s*['\"]([\w.]+)['\"]", ctx.text)
        ctype = m.group(1) if m else None
    opts = tuple((k, ctx.node_text(v)[:200]) for k, v in pairs.items())
    if ctype is not None and ctype.rsplit(".", 1)[-1].lower() in {"simple", "simplecache"}:
        ctx.emit(
            InProcessCache(
                ctx.loc(call),
                kind="flask-caching-simple",
                name=name or "cache",
                bounded=True,
                has_ttl=True,
                function_id=fid,
                evidence="Flask-Caching SimpleCache",
            )
        )
    elif ctype is not None and ctype.rsplit(".", 1)[-1].lower() in {"null", "nullcache"}:
        return
    else:
        ctx.emit(
            CacheClient(
                ctx.loc(call),
                library="flask-caching",
                options=opts,
                url_env=_env_in(ctx.node_text(call)),
                function_id=fid,
            )
        )


def _users(ctx: FileContext, name: str) -> tuple[str, ...]:
    if not name:
        return ()
    used: dict[str, None] = {}
    for call, parts in iter_calls(ctx):
        if len(parts) >= 2 and parts[-2] == name:
            fid = enclosing_function_id(ctx, call)
            if fid:
                used[fid] = None
    for sub in _subscripts(ctx, name):
        fid = enclosing_function_id(ctx, sub)
        if fid:
            used[fid] = None
    return tuple(used)


def _subscripts(ctx: FileContext, name: str) -> list[ts.Node]:
    cached: dict[str, list[ts.Node]] | None = ctx.cache.get("py.caching.subs")
    if cached is None:
        cached = {}
        for sub in captures("python", "(subscript value: (identifier) @v) @s", ctx.root).get("s", []):
            value = sub.child_by_field_name("value")
            cached.setdefault(ctx.node_text(value), []).append(sub)
        ctx.cache["py.caching.subs"] = cached
    return cached.get(name, [])


def _evidence_for(ctx: FileContext, name: str) -> str:
    """I/O evidence around writes to ``name`` (subscript assignment or ``name[k] = ...``)."""
    if not name:
        return ""
    for sub in _subscripts(ctx, name):
        parent = sub.parent
        if parent is not None and parent.type == "assignment" and parent.child_by_field_name("left") == sub:
            fn = enclosing_function(sub)
            if fn is None:
                continue
            right = ctx.node_text(parent.child_by_field_name("right"))
            if re.search(r"\brequest\.", right):
                return REQUEST_DATA_EVIDENCE
            m = _IO_RE.search(ctx.node_text(fn))
            if m:
                return f"written after {m.group(0).strip('(.')} in {_fn_label(ctx, fn)}"
    for call, parts in iter_calls(ctx):
        if (
            len(parts) == 2
            and parts[0] == name
            and parts[1] in {"setdefault", "update", "set", "__setitem__"}
        ):
            fn = enclosing_function(call)
            if fn is not None:
                m = _IO_RE.search(ctx.node_text(fn))
                if m:
                    return f"written after {m.group(0).strip('(.')} in {_fn_label(ctx, fn)}"
    return ""


def _fn_label(ctx: FileContext, fn: ts.Node) -> str:
    return function_id(ctx, fn).split("::", 1)[-1].rsplit("@", 1)[0]


# ----------------------------------------------------------------------------- Django CACHES


def _django_caches(ctx: FileContext) -> None:
    # ``CACHES = build_caches()`` / ``env.cache()``: a cache is configured, its backend unknown
    top = "(module (expression_statement (assignment) @a))"
    for assign in captures("python", top, ctx.root).get("a", []):
        left, right = assign.child_by_field_name("left"), unwrap(assign.child_by_field_name("right"))
        if ctx.node_text(left) == "CACHES" and right is not None and right.type != "dictionary":
            ctx.emit(CacheClient(ctx.loc(assign), library="django", options=(("alias", "*"),)))
    for assign in captures(
        "python", "(assignment left: (identifier) @n right: (dictionary) @v) @a", ctx.root
    ).get("a", []):
        if ctx.node_text(assign.child_by_field_name("left")) != "CACHES":
            continue
        for alias, cfg in dict_pairs(ctx, assign.child_by_field_name("right")).items():
            conf = dict_pairs(ctx, cfg)
            backend = string_value(ctx, conf.get("BACKEND")) or ctx.node_text(conf.get("BACKEND"))
            opts: list[tuple[str, str]] = [("alias", alias)]
            for k, v in conf.items():
                opts.append((k, ctx.node_text(v)[:200]))
            options_node = conf.get("OPTIONS")
            for k, v in dict_pairs(ctx, options_node).items():
                opts.append((f"OPTIONS.{k}", ctx.node_text(v)[:200]))
            loc = ctx.loc(cfg)
            low = backend.lower()
            if "dummycache" in low:
                continue
            if "locmemcache" in low:
                timeout = ctx.node_text(conf.get("TIMEOUT")) if "TIMEOUT" in conf else "300"
                max_entries = dict_pairs(ctx, options_node).get("MAX_ENTRIES")
                ctx.emit(
                    InProcessCache(
                        loc,
                        kind="django-locmem",
                        name=alias,
                        bounded=max_entries is None or ctx.node_text(max_entries) != "None",
                        has_ttl=timeout.strip() != "None",
                        module_scope=True,
                        evidence="Django cache backend",
                    )
                )
                continue
            ctx.emit(
                CacheClient(loc, library="django", options=tuple(opts), url_env=_env_in(ctx.node_text(cfg)))
            )


# ----------------------------------------------------------------------------- lru_cache & co


def _decorated_caches(ctx: FileContext, imports: dict[str, str]) -> None:
    for fn in captures("python", "(decorated_definition definition: (function_definition) @f)", ctx.root).get(
        "f", []
    ):
        for deco in decorators(ctx, fn):
            call = deco if deco.type == "call" else None
            head = ctx.node_text(call.child_by_field_name("function") if call is not None else deco)
            last = head.rsplit(".", 1)[-1]
            mod = imports.get(head.split(".")[0], "")
            if last in {"lru_cache", "cache"} and (
                mod.startswith("functools") or head.startswith("functools.")
            ):
                bounded = True
                if last == "cache":
                    bounded = False
                elif call is not None:
                    kw = kwargs(ctx, call)
                    pos = arguments(call)
                    size = kw.get("maxsize") or (pos[0] if pos else None)
                    if size is not None and ctx.node_text(size) == "None":
                        bounded = False
                _emit_fn_cache(ctx, fn, deco, f"functools.{last}", bounded, False)
            elif last in {"alru_cache"}:
                kw = kwargs(ctx, call) if call is not None else {}
                _emit_fn_cache(
                    ctx,
                    fn,
                    deco,
                    "async-lru",
                    "maxsize" not in kw or ctx.node_text(kw["maxsize"]) != "None",
                    "ttl" in kw,
                )
            elif last in {"cached", "ttl_cache", "lru_cache", "lfu_cache", "fifo_cache", "rr_cache"} and (
                mod.startswith("cachetools") or head.startswith("cachetools")
            ):
                text = ctx.node_text(deco)
                store = _cache_store(ctx, call) if call is not None else None
                if store is not None:
                    # ``cache = TTLCache(maxsize=5000, ttl=60)`` then ``@cached(cache)``: the store's
                    # own construction says whether it is bounded and expires
                    text = f"{text} {ctx.node_text(store)}"
                has_ttl = last == "ttl_cache" or "TTLCache" in text or "ttl=" in text
                bounded = "maxsize=None" not in text.replace(" ", "") and (
                    last != "cached"
                    or re.search(r"\b(TTLCache|LRUCache|LFUCache|FIFOCache|RRCache|TLRUCache)\(", text)
                    is not None
                )
                _emit_fn_cache(ctx, fn, deco, f"cachetools.{last}", bool(bounded), has_ttl)


def _cache_store(ctx: FileContext, call: ts.Node) -> ts.Node | None:
    """The value assigned to the variable a cachetools decorator is handed (``@cached(cache)``,
    ``@cached(cache=users_cache)``), when it is assigned in this file before the decorator."""
    kw = kwargs(ctx, call)
    pos = arguments(call)
    arg = unwrap(kw.get("cache") or (pos[0] if pos else None))
    if arg is None or arg.type != "identifier":
        return None
    assign = assignment_before(ctx, arg)
    return assign.child_by_field_name("right") if assign is not None else None


def _emit_fn_cache(
    ctx: FileContext, fn: ts.Node, deco: ts.Node, kind: str, bounded: bool, has_ttl: bool
) -> None:
    fid = function_id(ctx, fn)
    body = fn.child_by_field_name("body")
    m = _IO_RE.search(ctx.node_text(body)) if body is not None else None
    evidence = f"calls {m.group(0).strip('(.')}" if m else ""
    outer = enclosing_function_id(ctx, fn)
    ctx.emit(
        InProcessCache(
            ctx.loc(deco),
            kind=kind,
            name=ctx.node_text(fn.child_by_field_name("name")),
            bounded=bounded,
            has_ttl=has_ttl,
            module_scope=outer is None,
            function_id=outer,
            used_in=(fid,),
            evidence=evidence,
        )
    )


# ----------------------------------------------------------------------------- hand-written caches

_FIELD_DICT = re.compile(r"\bself\.(\w+)\s*(?::[^=\n]*)?=\s*(?:\{\s*\}|dict\(\)|OrderedDict\(\))")
_PY_TTL_TEXT = re.compile(r"time\.(?:time|monotonic)\(\)|datetime\.\w*now\(|\bexpir\w*|\bttl\b", re.I)


def _class_caches(ctx: FileContext) -> None:
    """A class wrapping a dict with get/set (and maybe a TTL) is an in-process cache, like
    ``cachetools``: emitted under the name of its module-level instance (``cache = TTLCache()``)."""
    for cls in captures("python", "(module (class_definition) @c)", ctx.root).get("c", []):
        name_node = cls.child_by_field_name("name")
        body = cls.child_by_field_name("body")
        if name_node is None or body is None:
            continue
        text = ctx.node_text(body)
        field = next(
            (
                f
                for f in sorted({m.group(1) for m in _FIELD_DICT.finditer(text)})
                if re.search(rf"self\.{re.escape(f)}\s*\[[^\]]+\]\s*=(?!=)", text)
                and re.search(rf"self\.{re.escape(f)}(?:\.get\(|\s*\[)", text)
            ),
            None,
        )
        if field is None:
            continue
        methods = {
            ctx.node_text(d.child_by_field_name("name"))
            for d in captures("python", "(function_definition) @f", body).get("f", [])
        }
        if not methods & {"get", "set", "put", "__getitem__", "get_or_set", "remember"} or not (
            methods & {"set", "put", "__setitem__", "get_or_set", "remember"}
        ):
            continue
        cls_name = ctx.node_text(name_node)
        m = re.search(rf"^(\w+)\s*(?::[^=\n]*)?=\s*{re.escape(cls_name)}\(", ctx.text, re.M)
        if m is None:
            continue  # instantiated elsewhere or per request: not known to be process-wide
        f = re.escape(field)
        ctx.cache.setdefault("py.caching.inproc", set()).add(m.group(1))
        ctx.emit(
            InProcessCache(
                ctx.line_loc(ctx.text.count("\n", 0, m.start()) + 1),
                kind="hand-written",
                name=m.group(1),
                bounded=re.search(rf"len\(\s*self\.{f}\s*\)|self\.{f}\.popitem\(", text) is not None,
                has_ttl=_PY_TTL_TEXT.search(text) is not None,
                module_scope=True,
                used_in=_users(ctx, m.group(1)),
                evidence=_evidence_for(ctx, m.group(1)),
            )
        )


# ----------------------------------------------------------------------------- dict caches


def _dict_caches(ctx: FileContext) -> None:
    found = captures(
        "python", "(module (expression_statement (assignment left: (identifier) @n) @a))", ctx.root
    )
    for assign in found.get("a", []):
        right = unwrap(assign.child_by_field_name("right"))
        if right is None:
            continue
        is_dict = (right.type == "dictionary" and not right.named_children) or (
            right.type == "call"
            and ctx.node_text(right.child_by_field_name("function")) in {"dict", "defaultdict", "OrderedDict"}
        )
        if not is_dict:
            continue
        name = ctx.node_text(assign.child_by_field_name("left"))
        if name.isupper() and not _HINT.search(name):
            continue  # a constant registry
        reads: dict[str, None] = {}
        writes: dict[str, None] = {}
        for sub in _subscripts(ctx, name):
            fid = enclosing_function_id(ctx, sub)
            if fid is None:
                continue
            parent = sub.parent
            if (
                parent is not None
                and parent.type == "assignment"
                and parent.child_by_field_name("left") == sub
            ):
                writes[fid] = None
            else:
                reads[fid] = None
        for call, parts in iter_calls(ctx):
            if len(parts) == 2 and parts[0] == name:
                fid = enclosing_function_id(ctx, call)
                if fid is None:
                    continue
                if parts[1] in {"get", "__contains__"}:
                    reads[fid] = None
                elif parts[1] in {"setdefault", "update"}:
                    writes[fid] = None
        if not writes:
            continue
        if not reads and not re.search(rf"\bin\s+{re.escape(name)}\b", ctx.text):
            continue
        evidence = _evidence_for(ctx, name)
        if not _HINT.search(name) and not evidence:
            continue
        ctx.emit(
            InProcessCache(
                ctx.loc(assign),
                kind="dict",
                name=name,
                bounded=False,
                has_ttl=False,
                module_scope=True,
                used_in=tuple(dict.fromkeys([*reads, *writes])),
                evidence=evidence,
            )
        )


# ----------------------------------------------------------------------------- ops


def _receiver(ctx: FileContext, call: ts.Node, parts: tuple[str, ...]) -> str:
    if len(parts) < 2:
        return ""
    recv = parts[-2]
    if recv == "[]" and len(parts) >= 3 and parts[-3] == "caches":
        return "caches[]"
    if recv == "()" and len(parts) >= 3:
        return parts[-3] + "()"
    return recv


def _ops(ctx: FileContext, names: dict[str, str], imports: dict[str, str]) -> None:
    inproc: set[str] = set(ctx.cache.get("py.caching.inproc", set()))
    for assign in captures("python", "(assignment left: (_) @l right: (dictionary) @r)", ctx.root).get(
        "l", []
    ):
        inproc.add(ctx.node_text(assign).rsplit(".", 1)[-1])
    has_cache_import = any(mod.startswith(_CACHE_MODULES) for mod in imports.values())
    for call, parts in iter_calls(ctx):
        if len(parts) < 2:
            continue
        command = parts[-1]
        op = OPS.get(command.lower())
        if op is None or command in {"scanStream", "delPattern", "invalidatePattern", "deleteByPattern"}:
            continue
        recv = _receiver(ctx, call, parts)
        if not recv or recv in inproc or recv in _IGNORED_RECEIVERS:
            continue
        lib = names.get(recv.rstrip("()"))
        if recv == "caches[]" and any(m.startswith("django.core.cache") for m in imports.values()):
            lib = "django"
        low = recv.lower()
        if lib is None:
            if "redis" in low and "cache" not in low:
                lib = "redis-py"
            elif low in {"cache", "_cache"} and (recv in imports or has_cache_import):
                mod = imports.get(recv, "")
                lib = (
                    "django"
                    if mod.startswith("django")
                    else ("flask-caching" if recv == "cache" and "flask" in mod else "unknown")
                )
            elif "redis" in low:
                lib = "redis-py"
            else:
                continue
        args = arguments(call)
        kw = kwargs(ctx, call)
        if op == "keys" and not args and lib not in {"redis-py", "aioredis", "django-redis"}:
            continue
        if op == "flush" and command in {"clear", "reset"} and lib in {"redis-py", "aioredis"}:
            continue
        key_node = (
            args[0] if args else (kw.get("name") or kw.get("key") or kw.get("pattern") or kw.get("match"))
        )
        key = ctx.node_text(key_node)[:160] if key_node is not None else ""
        has_ttl: bool | None = None
        uses_default = False
        value = ""
        if op == "set":
            value_node = args[1] if len(args) >= 2 else kw.get("value")
            value = ctx.node_text(value_node)[:200] if value_node is not None else ""
            has_ttl, uses_default = _py_set_ttl(ctx, lib, command, args, kw)
        elif op == "expire":
            has_ttl = True
        ctx.emit(
            CacheOp(
                ctx.loc(call),
                library=lib,
                op=op,
                command=command,
                key=key,
                has_ttl=has_ttl,
                client=".".join(p for p in parts[:-1] if p not in {"()"})[:80],
                function_id=enclosing_function_id(ctx, call),
                loop=enclosing_loop(ctx, call),
                uses_default_ttl=uses_default,
                value=value,
            )
        )


def _py_set_ttl(
    ctx: FileContext, lib: str, command: str, args: list[ts.Node], kw: dict[str, ts.Node]
) -> tuple[bool, bool]:
    """``(has_ttl, uses_default_ttl)`` of a write, per library."""
    low = command.lower()
    if low in {"setex", "psetex"}:
        return True, False
    if low in {"setnx", "mset", "getset"}:
        return False, False
    if lib in {"redis-py", "aioredis", "django-redis"} and low == "set":
        if any(k in kw and ctx.node_text(kw[k]) != "None" for k in ("ex", "px", "exat", "pxat", "keepttl")):
            return True, False
        if len(args) >= 3 and ctx.node_text(args[2]) != "None":
            return True, False
        if "expire" in kw:  # aioredis 1.x
            return True, False
        return False, False
    # framework caches: timeout/ttl argument, else the backend default
    pos_index = {"set": 2, "add": 2, "get_or_set": 2, "set_many": 1}.get(low, 2)
    node = kw.get("timeout") or kw.get("ttl") or kw.get("expire")
    if node is None and len(args) > pos_index:
        node = args[pos_index]
    if node is None:
        return False, lib != "redis-py"
    text = ctx.node_text(node).strip()
    if text == "None":
        return False, False
    return text not in {"0"} or lib == "django", False


# ----------------------------------------------------------------------------- cached views

_USER_PARAM = re.compile(r"user|current_user|Depends\(\s*get_current|token|auth", re.IGNORECASE)
# the user taken from the request context inside the function (not from its arguments)
_REQUEST_USER = re.compile(
    r"\bcurrent_user\b|\bg\.user\b|\bsession\[|\bsession\.get\(|\brequest\.(?:user|auth|headers|cookies)\b|"
    r"get_current_user\("
)


def _cached_views(ctx: FileContext) -> None:
    for fn in captures("python", "(decorated_definition definition: (_) @f)", ctx.root).get("f", []):
        decos = decorators(ctx, fn)
        texts = [ctx.node_text(d) for d in decos]
        vary_user = any(
            re.search(r"vary_on_cookie|vary_on_headers\([^)]*(Authorization|Cookie)", t, re.I) for t in texts
        )
        for deco, text in zip(decos, texts, strict=False):
            head = ctx.node_text(deco.child_by_field_name("function") if deco.type == "call" else deco)
            last = head.rsplit(".", 1)[-1]
            mechanism = ""
            key = ""
            varies: bool | None = None
            call = deco if deco.type == "call" else None
            kw = kwargs(ctx, call) if call is not None else {}
            if last == "cache_page" or (last == "method_decorator" and "cache_page" in text):
                mechanism = "django-cache-page"
                inner = re.search(r"key_prefix\s*=\s*([^,)]+)", text)
                key = inner.group(1).strip() if inner else ""
                varies = vary_user or bool(key and KEY_USER_RE.search(key))
            elif last == "cached" and head.count(".") >= 1 and "cachetools" not in head:
                mechanism = "flask-caching"
                kp = kw.get("key_prefix")
                key = ctx.node_text(kp)[:160] if kp is not None else ""
                if kw.get("make_cache_key") is not None:
                    varies = None
                elif kp is not None and kp.type not in {"string"}:
                    varies = None  # a callable builds the key
                else:
                    varies = bool(key and KEY_USER_RE.search(key))
            elif last == "memoize" and head.count(".") >= 1:
                # memoize keys on the arguments (and ``self`` on a method), not on the URL: only a
                # user read from the request context, not passed in, is missing from the key
                mechanism = "flask-caching-memoize"
                key = "the function arguments"
                params = ctx.node_text(fn.child_by_field_name("parameters"))
                if _USER_PARAM.search(params):
                    varies = True
                elif _REQUEST_USER.search(ctx.node_text(fn.child_by_field_name("body"))):
                    varies = False
                else:
                    varies = None
            elif (
                last == "cache"
                and call is not None
                and head in {"cache"}
                and ("fastapi_cache" in ctx.text or "expire" in kw or "namespace" in kw)
            ):
                mechanism = "fastapi-cache"
                if kw.get("key_builder") is not None:
                    varies = None
                else:
                    params = ctx.node_text(fn.child_by_field_name("parameters"))
                    varies = bool(_USER_PARAM.search(params))
            if not mechanism:
                continue
            target_id = _target_function(ctx, fn)
            ctx.emit(
                CachedRoute(
                    ctx.loc(deco),
                    mechanism=mechanism,
                    route_loc=ctx.loc(fn.parent or fn, fn),
                    key=key,
                    varies_on_user=varies,
                    function_id=target_id,
                )
            )
    # urls.py: path("x/", cache_page(60)(view))
    for call, parts in iter_calls(ctx):
        if parts == ("cache_page",) and call.parent is not None and call.parent.type == "call":
            outer = call.parent
            if outer.child_by_field_name("function") != call:
                continue
            if enclosing_function(call) is not None:
                continue
            ctx.emit(
                CachedRoute(
                    ctx.loc(call),
                    mechanism="django-cache-page",
                    route_loc=ctx.loc(outer),
                    key="",
                    varies_on_user=False,
                    function_id=None,
                )
            )


def _target_function(ctx: FileContext, node: ts.Node) -> str | None:
    if node.type == "function_definition":
        return function_id(ctx, node)
    if node.type == "class_definition":
        body = node.child_by_field_name("body")
        for child in body.named_children if body is not None else []:
            fn = child.child_by_field_name("definition") if child.type == "decorated_definition" else child
            if (
                fn is not None
                and fn.type == "function_definition"
                and ctx.node_text(fn.child_by_field_name("name")) in {"get", "list", "retrieve"}
            ):
                return function_id(ctx, fn)
    return None


@extractor(
    languages=("python",),
    needs=("edis", "ache", "emo", "tore", "lookup", "CACHES", "memcache", "= {}", "dict("),
)
def caching(ctx: FileContext) -> None:
    """Emit CacheClient, InProcessCache, CacheOp and CachedRoute facts for one Python file."""
    imports = _imports(ctx)
    names = _clients(ctx, imports)
    if "CACHES" in ctx.text:
        _django_caches(ctx)
    _decorated_caches(ctx, imports)
    _dict_caches(ctx)
    _class_caches(ctx)
    _ops(ctx, names, imports)
    _cached_views(ctx)
