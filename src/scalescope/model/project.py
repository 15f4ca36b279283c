"""ProjectModel: every fact of a scanned repository, indexed for rules.

Built once per scan from the per-file facts (in any order) and then read-only. Cross-file
knowledge lives here: resolving a route's handler to a function in another file, walking a
light call graph (name-based, receiver-aware) to tell which routes reach a function, and joining
queries to the schema.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TypeVar

from scalescope.model.facts import (
    Call,
    DbClient,
    Fact,
    Function,
    Import,
    IndexDef,
    Route,
    Service,
    StackItem,
    Table,
    WorkerProcesses,
)

F = TypeVar("F", bound=Fact)

# Call names too generic to follow across files without a receiver match.
_GENERIC = frozenset(
    {"get", "set", "find", "all", "then", "map", "filter", "push", "use", "call", "apply", "bind",
     "send", "json", "log", "error", "run", "exec", "query", "create", "update", "delete", "save",
     "handle", "next", "resolve", "reject", "emit", "on", "init", "close", "open", "read", "write",
     "__init__", "list", "keys", "values", "items", "append", "add", "remove", "pop", "len", "str",
     "int", "dict", "print", "super", "format", "join", "split", "strip", "replace", "render"}
)

MAX_CALL_DEPTH = 5

_INFRA_IMAGE = re.compile(
    r"(^|/)(postgres|postgis|mysql|mariadb|redis|valkey|keydb|mongo|rabbitmq|nats|kafka|zookeeper|"
    r"memcached|elasticsearch|opensearch|minio|localstack|mailhog|mailpit|nginx|traefik|haproxy|"
    r"envoy|caddy|pgbouncer|clickhouse|cassandra|prometheus|grafana|jaeger|otel|adminer|pgadmin)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file that was read and parsed: relative path, language and line count."""

    path: str
    language: str
    lines: int


@dataclass
class ProjectModel:
    """All facts of one project plus derived cross-file indexes."""

    root: Path
    files: tuple[SourceFile, ...] = ()
    facts: tuple[Fact, ...] = ()
    _by_type: dict[type, list[Fact]] = field(default_factory=dict, repr=False)
    _lines: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        by_type: dict[type, list[Fact]] = defaultdict(list)
        for fact in self.facts:
            by_type[type(fact)].append(fact)
        self._by_type = dict(by_type)

    # ------------------------------------------------------------------ access

    def all(self, kind: type[F]) -> Sequence[F]:
        """Every fact of exactly this type, in file order."""
        return self._by_type.get(kind, [])  # type: ignore[return-value]

    def has_stack(self, *names: str) -> bool:
        """True when any of these framework/library names is part of the stack."""
        return any(item.name in names for item in self.all(StackItem))

    @cached_property
    def stack(self) -> dict[str, list[str]]:
        """``{kind: sorted names}`` summarising frameworks, ORMs, caches, queues..."""
        out: dict[str, set[str]] = defaultdict(set)
        for item in self.all(StackItem):
            out[item.kind].add(item.name)
        return {kind: sorted(names) for kind, names in sorted(out.items())}

    @cached_property
    def ecosystems(self) -> frozenset[str]:
        langs = {f.language for f in self.files}
        eco = set()
        if langs & {"javascript", "typescript", "tsx"}:
            eco.add("node")
        if "python" in langs:
            eco.add("python")
        return frozenset(eco)

    # ------------------------------------------------------------------ source text

    def source_lines(self, path: str) -> list[str]:
        """Lines of a scanned file (cached; empty when it cannot be read now)."""
        if path not in self._lines:
            try:
                text = (self.root / path).read_text(encoding="utf-8", errors="replace")
            except OSError:
                text = ""
            self._lines[path] = text.splitlines()
        return self._lines[path]

    def line_text(self, path: str, line: int) -> str:
        lines = self.source_lines(path)
        return lines[line - 1] if 0 < line <= len(lines) else ""

    # ------------------------------------------------------------------ functions & call graph

    @cached_property
    def functions(self) -> dict[str, Function]:
        return {f.id: f for f in self.all(Function)}

    @cached_property
    def _functions_by_name(self) -> dict[str, list[Function]]:
        out: dict[str, list[Function]] = defaultdict(list)
        for fn in self.all(Function):
            if fn.name:
                out[fn.name].append(fn)
        return out

    @cached_property
    def _imports_by_file(self) -> dict[str, dict[str, Import]]:
        out: dict[str, dict[str, Import]] = defaultdict(dict)
        for imp in self.all(Import):
            out[imp.loc.file][imp.local] = imp
        return out

    def resolve_call(self, caller_file: str, call: Call) -> list[Function]:
        """Functions a call may reach: same file first, then a unique or receiver-matched one."""
        candidates = self._functions_by_name.get(call.name, [])
        if not candidates:
            return []
        same = [f for f in candidates if f.loc.file == caller_file]
        if same:
            return same
        if call.receiver:
            hint = call.receiver.lower().lstrip("_")
            matched = [f for f in candidates if f.class_name and f.class_name.lower() == hint]
            if matched:
                return matched
            matched = [
                f for f in candidates if f.class_name and hint and f.class_name.lower().startswith(hint)
            ]
            if matched:
                return matched
        imp = self._imports_by_file.get(caller_file, {}).get(call.receiver or call.name)
        if imp is not None:
            stem = imp.module.rsplit("/", 1)[-1].rsplit(".", 1)[-1]
            matched = [f for f in candidates if Path(f.loc.file).stem == stem]
            if matched:
                return matched
        if call.name in _GENERIC:
            return []
        return candidates if len(candidates) == 1 else []

    def resolve_handler(self, route: Route) -> Function | None:
        """The function handling a route, in the same file or across files."""
        if route.handler_id:
            return self.functions.get(route.handler_id)
        if not route.handler_name:
            return None
        parts = route.handler_name.split(".")
        call = Call(parts[-1], parts[-2] if len(parts) > 1 else "")
        found = self.resolve_call(route.loc.file, call)
        return found[0] if found else None

    @cached_property
    def _callees(self) -> dict[str, tuple[str, ...]]:
        out: dict[str, tuple[str, ...]] = {}
        for fn in self.all(Function):
            ids: list[str] = []
            for call in fn.calls:
                ids.extend(f.id for f in self.resolve_call(fn.loc.file, call) if f.id != fn.id)
            out[fn.id] = tuple(dict.fromkeys(ids))
        return out

    @cached_property
    def route_reach(self) -> dict[str, tuple[Route, ...]]:
        """``function id -> routes whose handler reaches it`` within :data:`MAX_CALL_DEPTH` calls."""
        reach: dict[str, list[Route]] = defaultdict(list)
        for route in self.all(Route):
            handler = self.resolve_handler(route)
            if handler is None:
                continue
            seen = {handler.id}
            frontier = [handler.id]
            for _ in range(MAX_CALL_DEPTH + 1):
                nxt: list[str] = []
                for fid in frontier:
                    reach[fid].append(route)
                    for callee in self._callees.get(fid, ()):
                        if callee not in seen:
                            seen.add(callee)
                            nxt.append(callee)
                frontier = nxt
            # nested functions (callbacks, inline closures) inside a reached function
        return {k: tuple(v) for k, v in reach.items()}

    def routes_reaching(self, function_id: str | None) -> tuple[Route, ...]:
        """Routes whose handler (transitively) calls ``function_id``, including enclosing
        functions of a nested callback (``id`` prefix match on the enclosing function)."""
        if function_id is None:
            return ()
        direct = self.route_reach.get(function_id)
        if direct:
            return direct
        parent = self.enclosing_function(function_id)
        while parent is not None:
            found = self.route_reach.get(parent.id)
            if found:
                return found
            parent = self.enclosing_function(parent.id)
        return ()

    @cached_property
    def _functions_by_file(self) -> dict[str, list[Function]]:
        out: dict[str, list[Function]] = defaultdict(list)
        for fn in self.all(Function):
            out[fn.loc.file].append(fn)
        return out

    def enclosing_function(self, function_id: str) -> Function | None:
        """The innermost function strictly containing ``function_id``'s function."""
        fn = self.functions.get(function_id)
        if fn is None:
            return None
        best: Function | None = None
        for other in self._functions_by_file.get(fn.loc.file, ()):
            if other.id == fn.id:
                continue
            if other.loc.line <= fn.loc.line and other.loc.end_line >= fn.loc.end_line and (
                best is None or other.loc.line >= best.loc.line
            ):
                best = other
        return best

    # ------------------------------------------------------------------ schema

    @cached_property
    def tables(self) -> dict[str, list[Table]]:
        """Tables keyed by lower-cased table name and model name."""
        out: dict[str, list[Table]] = defaultdict(list)
        for table in self.all(Table):
            for key in {table.name.lower(), table.model.lower()} - {""}:
                out[key].append(table)
        return out

    def find_tables(self, model_or_table: str | None) -> list[Table]:
        if not model_or_table:
            return []
        key = model_or_table.lower()
        found = self.tables.get(key) or self.tables.get(key.rstrip("s")) or self.tables.get(key + "s")
        return list(found or [])

    def indexed_prefixes(self, table: Table) -> set[str]:
        """Columns that lead some index of the table (usable by a filter on that column alone),
        by both field and database name, lower-cased."""
        out: set[str] = set()
        by_db = {c.db_name.lower(): c.name.lower() for c in table.columns if c.db_name}
        for col in table.columns:
            if col.primary_key or col.unique or col.indexed:
                out.add(col.name.lower())
                if col.db_name:
                    out.add(col.db_name.lower())
        for idx in table.indexes:
            if idx.columns:
                first = idx.columns[0].lower()
                out.add(first)
                if first in by_db:
                    out.add(by_db[first])
        for extra in self.all(IndexDef):
            if extra.table.lower() in {table.name.lower(), table.model.lower()} and extra.columns:
                first = extra.columns[0].lower()
                out.add(first)
                if first in by_db:
                    out.add(by_db[first])
        return out

    # ------------------------------------------------------------------ deployment

    @cached_property
    def app_services(self) -> list[Service]:
        """Deployable services that run the application (not its database, cache, broker...)."""
        return [s for s in self.all(Service) if not _INFRA_IMAGE.search(s.image or "")]

    @cached_property
    def instance_count(self) -> int | None:
        """Most app processes the deployment files declare (replicas x processes), if any.

        Replicas come from app services only (a 3-node Redis is not 3 app instances); processes
        per instance from gunicorn/uvicorn/PM2/cluster settings (a dynamic count such as
        ``-i max`` counts as at least 2).
        """
        replicas = [max(s.replicas or 0, s.autoscale_max or 0) for s in self.app_services]
        procs = [w.count or 0 for w in self.all(WorkerProcesses)]
        best = max([*replicas, 0])
        workers = max([*procs, 0])
        dynamic = any(w.count is None for w in self.all(WorkerProcesses))
        if best == 0 and workers == 0 and not dynamic:
            return None
        return max(best, 1) * max(workers, 2 if dynamic else 1)

    def db_clients(self, *libraries: str) -> list[DbClient]:
        return [c for c in self.all(DbClient) if not libraries or c.library in libraries]


def build_model(root: Path, files: Iterable[SourceFile], facts: Iterable[Fact]) -> ProjectModel:
    """Assemble a model; facts are sorted by location for deterministic rule output."""
    ordered = sorted(facts, key=lambda f: (f.loc.file, f.loc.line, f.loc.end_line, type(f).__name__))
    return ProjectModel(root=root, files=tuple(sorted(files, key=lambda f: f.path)), facts=tuple(ordered))
