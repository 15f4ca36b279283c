"""Caching facts in JavaScript/TypeScript: cache clients, in-process caches, cache operations
and cached routes.

Covers ioredis / node-redis / cache-manager / ``@nestjs/cache-manager`` / keyv clients,
``Map``/object caches, lru-cache, node-cache, memory-cache, Nest ``CacheInterceptor`` and
apicache. Receivers of cache operations are recognised by construction or type in the file
(``const redis = new Redis()``, ``private cache: Cache``) or by a ``redis``/``cache`` name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import tree_sitter as ts

from scalescope.model.facts import (
    REQUEST_DATA_EVIDENCE,
    CacheClient,
    CachedRoute,
    CacheOp,
    InProcessCache,
    Options,
)
from scalescope.scan.extract.base import JS_LANGUAGES, FileContext, captures, extractor
from scalescope.scan.extract.js.ast import (
    arguments,
    decorator_call,
    decorators_of,
    enclosing_function,
    enclosing_function_id,
    enclosing_loop,
    function_id,
    iter_calls,
    object_pairs,
    options_of,
    string_value,
    unwrap,
)

# method (lower case) -> op
OPS: dict[str, str] = {
    "get": "get",
    "getbuffer": "get",
    "hget": "get",
    "hgetall": "get",
    "exists": "get",
    "set": "set",
    "setex": "set",
    "psetex": "set",
    "setnx": "set",
    "mset": "set",
    "getset": "set",
    "wrap": "set",
    "get_or_set": "set",
    "add": "set",
    "set_many": "set",
    "del": "del",
    "delete": "del",
    "unlink": "del",
    "delete_many": "del",
    "keys": "keys",
    "scan": "scan",
    "scanstream": "scan",
    "scan_iter": "scan",
    "iter_keys": "scan",
    "delpattern": "del-pattern",
    "del_pattern": "del-pattern",
    "delete_pattern": "del-pattern",
    "invalidatepattern": "del-pattern",
    "deletepattern": "del-pattern",
    "deletebypattern": "del-pattern",
    "clearpattern": "del-pattern",
    "delbypattern": "del-pattern",
    "invalidate_pattern": "del-pattern",
    "delete_by_pattern": "del-pattern",
    "flushall": "flush",
    "flushdb": "flush",
    "reset": "flush",
    "clear": "flush",
    "expire": "expire",
    "pexpire": "expire",
    "expireat": "expire",
    "pexpireat": "expire",
    "touch": "expire",
    "incr": "incr",
    "incrby": "incr",
    "decr": "incr",
    "decrby": "incr",
    "hincrby": "incr",
    "incr_version": "other",
    "mget": "mget",
    "get_many": "mget",
}
# commands that never carry an expiry
NO_TTL_COMMANDS = frozenset({"setnx", "mset", "getset"})
ALWAYS_TTL_COMMANDS = frozenset({"setex", "psetex"})
TTL_WORDS = frozenset({"ex", "px", "exat", "pxat", "keepttl"})
USER_RE = re.compile(
    r"req(?:uest)?\.(?:user|session|auth)\b|\bcurrent_?[uU]ser\b|\buser_?[iI]d\b|\buser\.id\b|"
    r"\bsession\b|[Aa]uthorization|@CurrentUser|@User\(|\bg\.user\b|get_current_user|"
    r"\bctx\.state\.user\b|\baccount_?[iI]d\b|\btenant_?[iI]d\b"
)
KEY_USER_RE = re.compile(
    r"user|uid|account|tenant|session|auth|token|owner|customer|\bme\b|\bsub\b", re.IGNORECASE
)
_IO_RE = re.compile(
    r"\bawait\b|\bfetch\(|\baxios\b|\bgot\(|\bhttps?\.(?:get|request)\(|\bprisma\.|\bknex\b|"
    r"\.query\(|\.find(?:One|Many|All|Unique|First|ById)?\(|\.findAndCount\(|\.aggregate\(|"
    r"\.execute\(|\bgetRepository\b|\bmodel\.|\bdb\.|\breadFile"
)
_CACHE_LIBS = (
    "ioredis",
    "redis",
    "cache-manager",
    "@nestjs/cache-manager",
    "keyv",
    "@keyv/redis",
    "cache-manager-redis-store",
    "cache-manager-ioredis",
    "@redis/client",
    "@upstash/redis",
    "cacheable",
    "memcached",
    "memjs",
)
_CLIENT_TYPE = re.compile(
    r"\b(\w+)\s*[!?]?\s*:\s*(?:import\([^)]*\)\.)?(Redis|IORedis|Cluster|RedisClientType|RedisClient|"
    r"Cache|RedisCache|Keyv|Memcached)\b"
)
# Whole-file regexes with no literal prefix: possessive quantifiers (``\w++``, ``\s*+``) where
# giving characters back can never lead to a match, so a failed attempt costs one pass over the
# word; ``this.`` needs no optional prefix (``\b(\w+)`` finds the same name after the dot).
_CLIENT_ASSIGN = re.compile(
    r"\b(\w++)\s*+=\s*+(?:await\s+)?(?:new\s+(?:Redis|IORedis|Cluster|Redis\.Cluster|IORedis\.Cluster|"
    r"Keyv|Memcached)\b|(?:redis\.)?createClient\(|createCluster\(|(?:cacheManager\.)?caching\(|"
    r"createCache\()"
)
# Substrings a _CLIENT_ASSIGN match must contain ("Redis" covers IORedis and Redis.Cluster).
_CLIENT_ASSIGN_NEEDS = (
    "Redis",
    "Cluster",
    "Keyv",
    "Memcached",
    "createClient(",
    "createCluster(",
    "caching(",
    "createCache(",
)
_INJECT_CACHE = re.compile(
    r"@Inject\(\s*CACHE_MANAGER\s*\)\s*(?:private|public|protected)?\s*(?:readonly\s+)?(\w+)"
)
_LOCAL_MAP_RHS = r"=\s*+(?:new\s+(?:Map|WeakMap|Set)\b|\{\s*\}|Object\.create\(null\))"
_LOCAL_MAP = re.compile(r"\b(\w++)\s*+(?::[^=;\n]*+)?" + _LOCAL_MAP_RHS)
_LOCAL_MAP_EQ = re.compile(_LOCAL_MAP_RHS)


def _local_maps(text: str) -> Iterator[re.Match[str]]:
    """``_LOCAL_MAP.finditer(text)``, but the regex is tried only just before each ``= new Map``
    / ``= {}`` (found by a search with a literal prefix): the part before ``=`` of a match holds
    no ``=`` or ``;``, so it starts after the last of those before its ``=``, and it ends where
    the ``=`` part does."""
    end = 0
    for eq in _LOCAL_MAP_EQ.finditer(text):
        at = eq.start()
        if at < end:
            continue
        lo = max(end, text.rfind("=", end, at) + 1, text.rfind(";", end, at) + 1)
        m = _LOCAL_MAP.search(text, lo, eq.end())
        if m is not None:
            yield m
            end = m.end()


_INJECT_REDIS = re.compile(r"@InjectRedis\([^)]*\)\s*(?:private|public|protected)?\s*(?:readonly\s+)?(\w+)")


def _imports(ctx: FileContext) -> set[str]:
    found: set[str] = ctx.cache.get("js.caching.imports") or set()
    if not found:
        for m in re.finditer(r"""(?:from\s+|require\(\s*)['"]([^'"]+)['"]""", ctx.text):
            found.add(m.group(1))
        ctx.cache["js.caching.imports"] = found
    return found


def _library_of_import(imports: set[str]) -> str:
    if "ioredis" in imports:
        return "ioredis"
    if "redis" in imports or "@redis/client" in imports:
        return "node-redis"
    if "@upstash/redis" in imports:
        return "upstash"
    if imports & {"cache-manager", "@nestjs/cache-manager", "@nestjs/common"}:
        return "cache-manager"
    if imports & {"keyv", "@keyv/redis"}:
        return "keyv"
    if imports & {"memcached", "memjs"}:
        return "memcached"
    return "redis"


def _decl_name(ctx: FileContext, node: ts.Node) -> tuple[str, ts.Node | None]:
    """Name a constructed value is bound to (``const x = ...``, ``this.x = ...``, ``x = ...``)."""
    parent = node.parent
    while parent is not None and parent.type in {
        "await_expression",
        "parenthesized_expression",
        "as_expression",
        "non_null_expression",
    }:
        parent = parent.parent
    if parent is None:
        return "", None
    if parent.type == "variable_declarator":
        return ctx.node_text(parent.child_by_field_name("name")), parent
    if parent.type == "assignment_expression":
        return ctx.node_text(parent.child_by_field_name("left")).rsplit(".", 1)[-1], parent
    if parent.type in {"public_field_definition", "field_definition"}:
        name = parent.child_by_field_name("name") or parent.child_by_field_name("property")
        return ctx.node_text(name), parent
    if parent.type == "pair":
        return ctx.node_text(parent.child_by_field_name("key")), parent
    return "", None


def _is_module_level(node: ts.Node) -> bool:
    return enclosing_function(node) is None


def _constructor(ctx: FileContext, node: ts.Node) -> str:
    ctor = node.child_by_field_name("constructor")
    return ctx.node_text(ctor)


def _first_object(ctx: FileContext, call: ts.Node) -> ts.Node | None:
    for arg in arguments(call):
        a = unwrap(arg)
        if a is not None and a.type == "object":
            return a
    return None


def _find_store_object(ctx: FileContext, node: ts.Node, depth: int = 0) -> ts.Node | None:
    """First object literal under ``node`` that has a ``store``/``stores``/``ttl`` key."""
    if depth > 8:
        return None
    for child in node.named_children:
        if child.type == "object":
            keys = object_pairs(ctx, child)
            if keys.keys() & {"store", "stores", "ttl", "max", "isGlobal"}:
                return child
        found = _find_store_object(ctx, child, depth + 1)
        if found is not None:
            return found
    return None


# ----------------------------------------------------------------------------- clients


# the constructors and calls :func:`_clients` reads (the first test of each of its branches)
_NEW_CLIENTS = frozenset(
    {"Redis", "IORedis", "Cluster", "Keyv", "NodeCache"}
    | {"LRUCache", "LRU", "QuickLRU", "LruCache", "TTLCache"}
)
_CLIENT_CALLS = frozenset(
    {"createClient", "createCluster", "register", "registerAsync", "forRoot", "forRootAsync"}
    | {"caching", "createCache", "multiCaching"}
)


def _clients(ctx: FileContext, imports: set[str]) -> dict[str, str]:
    """Emit CacheClient/InProcessCache for constructions; return ``{bound name: library}``."""
    names: dict[str, str] = {}
    inproc_names: set[str] = ctx.cache.setdefault("js.caching.inproc", set())
    for node in captures(ctx.language, "(new_expression) @n", ctx.root).get("n", []):
        ctor = _constructor(ctx, node)
        last = ctor.rsplit(".", 1)[-1]
        if last not in _NEW_CLIENTS:
            continue  # no branch below reads it (``new Map()`` is the Map/object cache pass's)
        args = arguments(node)
        name, _ = _decl_name(ctx, node)
        fid = enclosing_function_id(ctx, node)
        if last in {"Redis", "IORedis", "Cluster"} and (
            imports & {"ioredis", "@upstash/redis"} or ctor.startswith(("Redis", "IORedis"))
        ):
            lib = "upstash" if "@upstash/redis" in imports and "ioredis" not in imports else "ioredis"
            obj = _first_object(ctx, node)
            ctx.emit(
                CacheClient(
                    ctx.loc(node),
                    library=lib,
                    options=options_of(ctx, obj),
                    url_env=_env_in(ctx, node),
                    function_id=fid,
                )
            )
            if name:
                names[name] = lib
        elif last == "Keyv":
            text = ctx.node_text(node)
            if (
                "redis" in text.lower()
                or "memcache" in text.lower()
                or "mongo" in text.lower()
                or "postgres" in text.lower()
            ):
                ctx.emit(
                    CacheClient(
                        ctx.loc(node),
                        library="keyv",
                        options=options_of(ctx, _first_object(ctx, node)),
                        url_env=_env_in(ctx, node),
                        function_id=fid,
                    )
                )
                if name:
                    names[name] = "keyv"
            else:
                opts = options_of(ctx, _first_object(ctx, node))
                _inproc(
                    ctx,
                    node,
                    "keyv-memory",
                    name,
                    bounded=False,
                    has_ttl=any(k == "ttl" for k, _ in opts),
                    fid=fid,
                )
                inproc_names.add(name)
        elif last in {"LRUCache", "LRU", "QuickLRU", "LruCache", "TTLCache"}:
            opts = options_of(ctx, _first_object(ctx, node))
            keys = {k for k, _ in opts}
            bounded = bool(keys & {"max", "maxSize", "maxEntrySize"})
            has_ttl = bool(keys & {"ttl", "maxAge", "ttlAutopurge"}) or last == "TTLCache"
            if not opts and args and unwrap(args[0]) is not None and unwrap(args[0]).type == "number":  # type: ignore[union-attr]
                bounded = True
            _inproc(ctx, node, "lru-cache", name, bounded=bounded, has_ttl=has_ttl, fid=fid)
            inproc_names.add(name)
        elif last == "NodeCache":
            opts = options_of(ctx, _first_object(ctx, node))
            keys = {k for k, _ in opts}
            ttl = dict(opts).get("stdTTL")
            _inproc(
                ctx,
                node,
                "node-cache",
                name,
                bounded="maxKeys" in keys and dict(opts).get("maxKeys") != "-1",
                has_ttl=ttl is not None and ttl.strip() != "0",
                fid=fid,
            )
            inproc_names.add(name)
        elif last == "Map" and name and not args:
            pass  # handled by the Map/object cache pass
    for node, parts in iter_calls(ctx):
        if not parts:
            continue
        last = parts[-1]
        if last not in _CLIENT_CALLS:
            continue  # no branch below reads it: skip the name and function lookups
        name, _ = _decl_name(ctx, node)
        fid = enclosing_function_id(ctx, node)
        if last in {"createClient", "createCluster"} and (
            imports & {"redis", "@redis/client"} or parts[:1] == ("redis",)
        ):
            obj = _first_object(ctx, node)
            ctx.emit(
                CacheClient(
                    ctx.loc(node),
                    library="node-redis",
                    options=options_of(ctx, obj),
                    url_env=_env_in(ctx, node),
                    function_id=fid,
                )
            )
            if name:
                names[name] = "node-redis"
        elif (
            last in {"register", "registerAsync", "forRoot", "forRootAsync"}
            and len(parts) >= 2
            and parts[-2] == "CacheModule"
        ):
            obj = _first_object(ctx, node)
            if (
                obj is not None and not object_pairs(ctx, obj).keys() & {"store", "stores", "ttl", "max"}
            ) or obj is None:
                obj = _find_store_object(ctx, node)
            opts = options_of(ctx, obj)
            store = dict(opts).get("store") or dict(opts).get("stores") or ""
            text = ctx.node_text(node)
            if (store and store.strip("'\"") != "memory") or re.search(
                r"redis|memcache|Keyv\w*Redis", text, re.I
            ):
                ctx.emit(
                    CacheClient(
                        ctx.loc(node),
                        library="cache-manager",
                        options=opts,
                        url_env=_env_in(ctx, node),
                        function_id=fid,
                    )
                )
            else:
                keys = {k for k, _ in opts}
                ttl = dict(opts).get("ttl")
                _inproc(
                    ctx,
                    node,
                    "nestjs-cache-manager",
                    "CacheModule",
                    bounded="max" in keys,
                    has_ttl=ttl is not None and ttl.strip() != "0",
                    fid=fid,
                    evidence="CacheModule in-memory store",
                )
        elif last in {"caching", "createCache", "multiCaching"} and (
            imports & {"cache-manager", "@nestjs/cache-manager"} or parts[:1] == ("cacheManager",)
        ):
            args = arguments(node)
            text = ctx.node_text(node)
            opts = options_of(ctx, _first_object(ctx, node))
            first = string_value(ctx, args[0]) if args else None
            if first == "memory" or (
                first is None and not re.search(r"redis|memcache|Keyv\w*Redis|Store", text, re.I)
            ):
                keys = {k for k, _ in opts}
                _inproc(
                    ctx,
                    node,
                    "cache-manager-memory",
                    name or "cache",
                    bounded="max" in keys,
                    has_ttl="ttl" in keys,
                    fid=fid,
                )
                if name:
                    inproc_names.add(name)
            else:
                ctx.emit(
                    CacheClient(
                        ctx.loc(node),
                        library="cache-manager",
                        options=opts,
                        url_env=_env_in(ctx, node),
                        function_id=fid,
                    )
                )
                if name:
                    names[name] = "cache-manager"
        elif (
            parts in {("memcache", "put"), ("mcache", "put"), ("memoryCache", "put")}
            and "memory-cache" in imports
        ):
            pass
    # These regexes have no literal prefix: run each only where its anchor text occurs.
    if ctx.has_any("Redis", "Cluster", "Cache", "Keyv", "Memcached"):
        for m in _CLIENT_TYPE.finditer(ctx.text):
            typed = {"Cache": "cache-manager", "Keyv": "keyv", "Memcached": "memcached"}.get(m.group(2))
            names.setdefault(m.group(1), typed or _library_of_import(imports))
    if ctx.has_any(*_CLIENT_ASSIGN_NEEDS):
        for m in _CLIENT_ASSIGN.finditer(ctx.text):
            names.setdefault(m.group(1), _library_of_import(imports))
    if "CACHE_MANAGER" in ctx.text:
        for m in _INJECT_CACHE.finditer(ctx.text):
            names[m.group(1)] = "cache-manager"
    if "@InjectRedis" in ctx.text:
        for m in _INJECT_REDIS.finditer(ctx.text):
            names[m.group(1)] = "ioredis"
    if ctx.has_any("new Map", "new WeakMap", "new Set", "{}", "{ }", "Object.create"):
        for m in _local_maps(ctx.text):
            inproc_names.add(m.group(1))
    for n in inproc_names:
        names.pop(n, None)
    if "memory-cache" in imports:
        _memory_cache(ctx)
    return names


def _env_in(ctx: FileContext, node: ts.Node) -> str | None:
    m = re.search(
        r"process\.env\.(\w+)|process\.env\[['\"](\w+)['\"]\]|get(?:OrThrow)?\(\s*['\"](\w*(?:REDIS|CACHE)\w*)['\"]",
        ctx.node_text(node),
    )
    if not m:
        return None
    return m.group(1) or m.group(2) or m.group(3)


_USE_CLIENT = re.compile(r"""\s*['"]use client['"]""")  # at the start of the file
_BROWSER_GLOBAL = re.compile(r"(?<!typeof )\b(?:window|document|navigator|localStorage|sessionStorage)\.\w")
_BROWSER_NEEDS = ("window.", "document.", "navigator.", "localStorage.", "sessionStorage.")


def _browser_code(ctx: FileContext) -> bool:
    """A client component or browser module (``'use client'``, ``window.``, ``navigator.``): a
    module-level cache there lives in one user's tab, not in a server process."""
    found = ctx.cache.get("js-browser")
    if found is None:
        found = ctx.cache["js-browser"] = _USE_CLIENT.match(ctx.text) is not None or (
            ctx.has_any(*_BROWSER_NEEDS) and _BROWSER_GLOBAL.search(ctx.text) is not None
        )
    return bool(found)


def _inproc(
    ctx: FileContext,
    node: ts.Node,
    kind: str,
    name: str,
    *,
    bounded: bool,
    has_ttl: bool,
    fid: str | None,
    evidence: str = "",
) -> None:
    if _browser_code(ctx):
        return
    used, ev = _usage(ctx, name)
    ctx.emit(
        InProcessCache(
            ctx.loc(node),
            kind=kind,
            name=name or kind,
            bounded=bounded,
            has_ttl=has_ttl,
            module_scope=fid is None or _is_property(node),
            function_id=fid,
            used_in=used,
            evidence=evidence or ev,
        )
    )


def _is_property(node: ts.Node) -> bool:
    parent = node.parent
    return parent is not None and parent.type in {
        "public_field_definition",
        "field_definition",
        "assignment_expression",
    }


def _usage(ctx: FileContext, name: str) -> tuple[tuple[str, ...], str]:
    """Functions calling ``name.get/set/has`` and I/O evidence around its writes."""
    if not name:
        return (), ""
    used: dict[str, None] = {}
    evidence = ""
    for call, parts in iter_calls(ctx):
        if len(parts) < 2 or parts[-2] != name:
            continue
        method = parts[-1]
        if method not in {"get", "set", "has", "put", "peek", "fetch", "delete", "del", "mget", "mset"}:
            continue
        fn = enclosing_function(call)
        if fn is None:
            continue
        used[function_id(ctx, fn)] = None
        if method in {"set", "put", "mset", "fetch"} and not evidence:
            evidence = _io_evidence(ctx, fn, call)
    return tuple(used), evidence


def _io_evidence(ctx: FileContext, fn: ts.Node, write: ts.Node) -> str:
    args_text = " ".join(ctx.node_text(a) for a in arguments(write))
    if re.search(r"\breq(?:uest)?\.|\bctx\.request\b", args_text):
        return REQUEST_DATA_EVIDENCE
    m = _IO_RE.search(ctx.node_text(fn))
    if m:
        return f"written after {m.group(0).strip('(.')} in {fn_name(ctx, fn)}"
    return ""


def fn_name(ctx: FileContext, fn: ts.Node) -> str:
    """Short name of a function node for messages."""
    fid = function_id(ctx, fn)
    return fid.split("::", 1)[-1].rsplit("@", 1)[0]


def _memory_cache(ctx: FileContext) -> None:
    for call, parts in iter_calls(ctx):
        if len(parts) == 2 and parts[-1] == "put":
            args = arguments(call)
            fn = enclosing_function(call)
            ev = _io_evidence(ctx, fn, call) if fn is not None else ""
            ctx.emit(
                InProcessCache(
                    ctx.loc(call),
                    kind="memory-cache",
                    name=parts[0],
                    bounded=False,
                    has_ttl=len(args) >= 3,
                    module_scope=True,
                    function_id=enclosing_function_id(ctx, call),
                    used_in=(function_id(ctx, fn),) if fn is not None else (),
                    evidence=ev,
                )
            )


# ----------------------------------------------------------------------------- hand-written caches

# a class field holding a Map (``private store = new Map()``, ``this.store = new Map()``)
_FIELD_MAP = re.compile(
    r"(?:\bthis\.|(?:private|protected|public|readonly|#)\s*)(#?\w+)\s*(?::[^=;\n]*)?=\s*new\s+Map\b"
)
_TTL_TEXT = re.compile(r"Date\.now\(\)|performance\.now\(\)|\bexpires?(?:At|_at)?\b|\bttl\b|\bmaxAge\b", re.I)


def _class_caches(ctx: FileContext) -> None:
    """A class wrapping a ``Map`` with get/set (and maybe a TTL) is an in-process cache, like
    lru-cache: emitted under the name of its module-level instance (``export const cache = new
    TtlCache()``) or, for a Nest ``@Injectable()`` singleton, of the class."""
    if "new Map" not in ctx.text or _browser_code(ctx):
        return
    inproc_names: set[str] = ctx.cache.setdefault("js.caching.inproc", set())
    query = "(class_declaration) @c"
    if ctx.language != "javascript":
        query += " (abstract_class_declaration) @c"
    for cls in captures(ctx.language, query, ctx.root).get("c", []):
        name_node = cls.child_by_field_name("name")
        body = cls.child_by_field_name("body")
        if name_node is None or body is None:
            continue
        text = ctx.node_text(body)
        fields = {m.group(1) for m in _FIELD_MAP.finditer(text)}
        field = next(
            (
                f
                for f in sorted(fields)
                if re.search(rf"this\.{re.escape(f)}\.(?:get|has)\(", text)
                and re.search(rf"this\.{re.escape(f)}\.set\(", text)
            ),
            None,
        )
        if field is None:
            continue
        methods = {
            ctx.node_text(m.child_by_field_name("name"))
            for m in body.named_children
            if m.type == "method_definition"
        }
        if not methods & {"get", "set", "put", "getOrSet", "wrap", "remember", "fetch"}:
            continue  # a class that keeps a private Map, not a cache API
        cls_name = ctx.node_text(name_node)
        f = re.escape(field)
        bounded = re.search(rf"this\.{f}\.size\b", text) is not None
        has_ttl = _TTL_TEXT.search(text) is not None
        instance, line = "", 0
        for m in re.finditer(
            rf"(?:const|let|var)\s+(\w+)\s*(?::[^=;\n]*)?=\s*new\s+{re.escape(cls_name)}\s*[(<]", ctx.text
        ):
            instance, line = m.group(1), ctx.text.count("\n", 0, m.start()) + 1
            break
        parent = cls.parent
        holder = parent if parent is not None and parent.type == "export_statement" else cls
        injectable = "@Injectable" in ctx.node_text(holder)[:400]
        if not instance and not injectable:
            continue  # instantiated per request or elsewhere: not known to be process-wide
        name = instance or cls_name
        inproc_names.add(name)
        used, evidence = _usage(ctx, name)
        ctx.emit(
            InProcessCache(
                ctx.line_loc(line) if line else ctx.loc(name_node),
                kind="hand-written",
                name=name,
                bounded=bounded,
                has_ttl=has_ttl,
                module_scope=True,
                used_in=used,
                evidence=evidence,
            )
        )


# ----------------------------------------------------------------------------- Map / {} caches

_HINT = re.compile(r"cache|memo|store|lookup|seen", re.IGNORECASE)


def _map_caches(ctx: FileContext) -> None:
    if _browser_code(ctx):
        return
    decls = captures(
        ctx.language,
        "(program (lexical_declaration (variable_declarator) @d)) "
        "(program (variable_declaration (variable_declarator) @d)) "
        "(program (export_statement (lexical_declaration (variable_declarator) @d)))",
        ctx.root,
    ).get("d", [])
    for decl in decls:
        value = unwrap(decl.child_by_field_name("value"))
        name_node = decl.child_by_field_name("name")
        if value is None or name_node is None or name_node.type != "identifier":
            continue
        name = ctx.node_text(name_node)
        kind = ""
        if value.type == "new_expression" and _constructor(ctx, value) == "Map" and not arguments(value):
            kind = "map"
        elif (value.type == "object" and not value.named_children and _HINT.search(name)) or (
            value.type == "call_expression"
            and ctx.node_text(value) == "Object.create(null)"
            and _HINT.search(name)
        ):
            kind = "object"
        if not kind:
            continue
        reads: set[str] = set()
        writes: dict[str, ts.Node] = {}
        evidence = ""
        for call, parts in iter_calls(ctx):
            if parts[:1] != (name,) or len(parts) != 2:
                continue
            fn = enclosing_function(call)
            if fn is None:
                continue
            fid = function_id(ctx, fn)
            if parts[1] in {"get", "has"}:
                reads.add(fid)
            elif parts[1] == "set" and len(arguments(call)) >= 2:
                writes[fid] = fn
                if not evidence:
                    evidence = _io_evidence(ctx, fn, call)
        if kind == "object":
            for sub in captures(ctx.language, "(subscript_expression) @s", ctx.root).get("s", []):
                obj = sub.child_by_field_name("object")
                if obj is None or ctx.node_text(obj) != name:
                    continue
                fn = enclosing_function(sub)
                if fn is None:
                    continue
                fid = function_id(ctx, fn)
                parent = sub.parent
                if (
                    parent is not None
                    and parent.type == "assignment_expression"
                    and parent.child_by_field_name("left") == sub
                ):
                    writes[fid] = fn
                    if not evidence:
                        m = _IO_RE.search(ctx.node_text(fn))
                        evidence = (
                            f"written after {m.group(0).strip('(.')} in {fn_name(ctx, fn)}" if m else ""
                        )
                else:
                    reads.add(fid)
        if not reads or not writes:
            continue
        if not _HINT.search(name) and not evidence:
            continue
        if _in_flight(ctx, name):
            continue
        used = tuple(dict.fromkeys([*sorted(reads), *writes]))
        ctx.emit(
            InProcessCache(
                ctx.loc(decl),
                kind=kind,
                name=name,
                bounded=False,
                has_ttl=False,
                module_scope=True,
                function_id=None,
                used_in=used,
                evidence=evidence,
            )
        )


def _in_flight(ctx: FileContext, name: str) -> bool:
    """Request coalescing, not a cache: entries are pending promises removed when they settle
    (``p.finally(() => inflight.delete(key))``)."""
    return (
        re.search(
            rf"\.finally\(\s*(?:async\s*)?\(\s*\)\s*=>\s*\{{?\s*(?:void\s+)?{re.escape(name)}\.delete\(",
            ctx.text,
        )
        is not None
    )


# ----------------------------------------------------------------------------- ops


def _receiver(parts: tuple[str, ...]) -> str:
    if len(parts) < 2:
        return ""
    recv = parts[-2]
    if recv == "()" and len(parts) >= 3:
        return parts[-3] + "()"
    return recv


def args_of(call: ts.Node) -> list[ts.Node]:
    """Arguments of a call (alias kept short for conditions)."""
    return arguments(call)


def _in_cache_class(ctx: FileContext, node: ts.Node) -> bool:
    """Inside a class named like a cache/Redis wrapper (``CacheService``, ``RedisClient``)."""
    parent = node.parent
    while parent is not None:
        if parent.type in {"class_declaration", "class", "abstract_class_declaration"}:
            name = parent.child_by_field_name("name")
            return bool(re.search(r"cache|redis", ctx.node_text(name), re.IGNORECASE))
        parent = parent.parent
    return False


def set_has_ttl(ctx: FileContext, command: str, args: list[ts.Node]) -> bool:
    """Whether a JS ``set``-family call passes an expiry (ioredis, node-redis, cache-manager)."""
    low = command.lower()
    if low in ALWAYS_TTL_COMMANDS:
        return True
    if low in NO_TTL_COMMANDS:
        return False
    if low == "wrap":
        return len(args) >= 3
    extra = args[2:]
    if not extra:
        return False
    for arg in extra:
        a = unwrap(arg)
        if a is None:
            continue
        sval = string_value(ctx, a)
        if sval is not None:
            if sval.lower() in TTL_WORDS:
                return True
            continue
        if a.type == "object":
            keys = {k.lower() for k in object_pairs(ctx, a)}
            if keys & (TTL_WORDS | {"ttl", "expiration", "expire"}):
                return True
            continue
        if a.type == "number":
            return ctx.node_text(a).strip() != "0"
        if a.type in {"null", "undefined"}:
            continue
        return True  # a variable/expression: a ttl we cannot read
    return False


def _ops(ctx: FileContext, names: dict[str, str], imports: set[str]) -> None:
    has_cache_import = bool(imports & set(_CACHE_LIBS))
    inproc: set[str] = ctx.cache.get("js.caching.inproc", set())
    for call, parts in iter_calls(ctx):
        if len(parts) < 2:
            continue
        command = parts[-1]
        op = OPS.get(command.lower())
        if op is None:
            continue
        recv = _receiver(parts)
        if (
            not recv
            or recv in inproc
            or recv
            in {
                "Object",
                "Reflect",
                "Array",
                "JSON",
                "Promise",
                "process",
                "localStorage",
                "sessionStorage",
                "headers",
                "params",
                "query",
                "searchParams",
                "map",
                "Map",
                "req",
                "res",
            }
        ):
            continue
        low = recv.lower()
        lib = names.get(recv.rstrip("()"))
        if lib is None:
            if "redis" in low:
                lib = _library_of_import(imports) if has_cache_import else "redis"
            elif (
                ("cache" in low or "redis" in low)
                and op in {"del-pattern", "keys", "flush"}
                and args_of(call)
            ):
                lib = "redis"
            elif low in {"client", "_client", "conn", "connection"} and _in_cache_class(ctx, call):
                lib = _library_of_import(imports) if has_cache_import else "redis"
            elif (
                "cache" in low
                and has_cache_import
                and "key" not in low
                and not low.startswith(("local", "mem", "inmem", "lru"))
            ):
                lib = _library_of_import(imports)
            else:
                continue
        if command == "clear" and lib not in {"cache-manager", "keyv"}:
            continue
        if command == "reset" and lib not in {"cache-manager"}:
            continue
        if command.lower() in {
            "add",
            "touch",
            "get_or_set",
            "set_many",
            "delete_many",
            "get_many",
            "iter_keys",
        }:
            continue  # Python-only names
        args = arguments(call)
        if op == "keys" and not args:
            continue  # Map#keys(), not the Redis KEYS command
        key = ctx.node_text(args[0])[:160] if args else ""
        has_ttl: bool | None = None
        uses_default = False
        value = ""
        if op == "set":
            has_ttl = set_has_ttl(ctx, command, args)
            value = ctx.node_text(args[1])[:200] if len(args) >= 2 else ""
            if not has_ttl and lib in {"cache-manager", "keyv"} and command.lower() not in NO_TTL_COMMANDS:
                uses_default = True
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
                client=".".join(p for p in parts[:-1] if p != "()")[:80] or recv,
                function_id=enclosing_function_id(ctx, call),
                loop=enclosing_loop(ctx, call),
                uses_default_ttl=uses_default,
                value=value,
            )
        )


# ----------------------------------------------------------------------------- cached routes


def _nest_cached_routes(ctx: FileContext) -> None:
    if "CacheInterceptor" not in ctx.text and "CacheKey" not in ctx.text and "CacheTTL" not in ctx.text:
        return
    for deco in captures(ctx.language, "(decorator) @d", ctx.root).get("d", []):
        name, args = decorator_call(ctx, deco)
        if name != "UseInterceptors":
            continue
        interceptors = [ctx.node_text(a) for a in args]
        cache_ic = next((i for i in interceptors if "CacheInterceptor" in i), None)
        if cache_ic is None:
            continue
        target = _decorated(deco)
        if target is None:
            continue
        varies: bool | None = False if cache_ic == "CacheInterceptor" else None
        if target.type == "method_definition":
            _emit_nest_method(ctx, target, deco, varies)
        else:
            body = target.child_by_field_name("body")
            for method in body.named_children if body is not None else []:
                if method.type != "method_definition":
                    continue
                names = [decorator_call(ctx, d)[0] for d in decorators_of(ctx, method)]
                if "Get" in names:
                    _emit_nest_method(ctx, method, deco, varies)


def _decorated(deco: ts.Node) -> ts.Node | None:
    node = deco.next_named_sibling
    while node is not None and node.type in {"decorator", "comment"}:
        node = node.next_named_sibling
    if node is not None and node.type in {"method_definition", "class_declaration"}:
        return node
    parent = deco.parent
    if parent is not None and parent.type in {
        "method_definition",
        "class_declaration",
        "abstract_class_declaration",
    }:
        return parent
    if node is not None and node.type == "export_statement":
        return next((c for c in node.named_children if c.type == "class_declaration"), None)
    return None


def _emit_nest_method(ctx: FileContext, method: ts.Node, deco: ts.Node, varies: bool | None) -> None:
    key = ""
    for d in decorators_of(ctx, method):
        name, args = decorator_call(ctx, d)
        if name == "CacheKey" and args:
            key = ctx.node_text(args[0])[:160]
    if key and varies is False:
        varies = bool(KEY_USER_RE.search(key))
    ctx.emit(
        CachedRoute(
            ctx.loc(deco),
            mechanism="nestjs-cache-interceptor",
            route_loc=ctx.loc(method),
            key=key,
            varies_on_user=varies,
            function_id=function_id(ctx, method),
        )
    )


def _apicache_routes(ctx: FileContext) -> None:
    if "apicache" not in ctx.text and "cache(" not in ctx.text:
        return
    appends = re.search(r"appendKey\s*:", ctx.text) is not None
    aliases = {
        m.group(1) for m in re.finditer(r"(?:const|let|var)\s+(\w+)\s*=\s*apicache\.middleware\b", ctx.text)
    }
    for call, parts in iter_calls(ctx):
        is_mw = parts[-2:] == ("apicache", "middleware") or (len(parts) == 1 and parts[0] in aliases)
        if not is_mw:
            continue
        parent = call.parent
        route_call = parent.parent if parent is not None and parent.type == "arguments" else None
        route_loc = None
        handler_fid = None
        if route_call is not None and route_call.type == "call_expression":
            rargs = arguments(route_call)
            route_loc = ctx.loc(route_call)
            if rargs and rargs[-1].type in {"arrow_function", "function_expression", "function"}:
                handler_fid = function_id(ctx, rargs[-1])
        ctx.emit(
            CachedRoute(
                ctx.loc(call),
                mechanism="apicache",
                route_loc=route_loc,
                key="",
                varies_on_user=appends,
                function_id=handler_fid,
            )
        )


@extractor(languages=JS_LANGUAGES, needs=("edis", "ache", "LRU", "eyv", "emo", "tore", "new Map", "Memcache"))
def caching(ctx: FileContext) -> None:
    """Emit CacheClient, InProcessCache, CacheOp and CachedRoute facts for one JS/TS file."""
    imports = _imports(ctx)
    names = _clients(ctx, imports)
    _map_caches(ctx)
    _class_caches(ctx)
    _ops(ctx, names, imports)
    _nest_cached_routes(ctx)
    _apicache_routes(ctx)


def options_text(options: Options) -> str:
    """Options as ``k=v, ...`` for messages."""
    return ", ".join(f"{k}={v}" for k, v in options)
