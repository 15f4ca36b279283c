"""The per-file extraction context, the ``@extractor`` marker and the extractor loader.

A file is decoded and (for code) parsed once; every extractor that applies to its language
receives the same :class:`FileContext` and emits facts into it. Extractors are pure functions
of the file, so files can be processed in any order, in any process.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from operator import attrgetter
from typing import Any

import tree_sitter as ts

from scalescope.model.facts import Fact, Loc, Suppression
from scalescope.model.roles import is_migration_path, is_test_path

CODE_LANGUAGES = frozenset({"javascript", "typescript", "tsx", "python"})
JS_LANGUAGES = ("javascript", "typescript", "tsx")


@cache
def ts_language(language: str) -> ts.Language:
    """The tree-sitter grammar for a scalescope language name (loaded once per process)."""
    if language == "python":
        import tree_sitter_python as grammar

        return ts.Language(grammar.language())
    if language == "javascript":
        import tree_sitter_javascript as js

        return ts.Language(js.language())
    import tree_sitter_typescript as tsg

    return ts.Language(tsg.language_tsx() if language == "tsx" else tsg.language_typescript())


@cache
def ts_parser(language: str) -> ts.Parser:
    return ts.Parser(ts_language(language))


@cache
def ts_query(language: str, source: str) -> ts.Query:
    """A compiled query, cached per process."""
    return ts.Query(ts_language(language), source)


class _CombinedQueries:
    """Runs every query the extractors ask of a file's root as ONE combined query.

    Each tree-sitter query is a full traversal of the tree (about 40% of the parse cost), so ten
    extractors each querying the root would cost four parses. Extractors keep calling
    :func:`captures` with their own query text; the first time a query is seen it is added to
    the per-language union (captures renamed ``q<i>__name``), and from then on a root is
    traversed once and the results are split per query. The cached results hold the root node,
    which keeps its tree alive, so a root id is never reused while cached. A query's captures
    are put in document order when they are first read, not for every query of the union.
    """

    _CAPTURE = re.compile(r"@([A-Za-z_][\w.-]*)")

    def __init__(self) -> None:
        self.known: dict[str, dict[str, int]] = {}
        self.combined: dict[str, ts.Query | None] = {}
        self.root: ts.Node | None = None
        self.results: dict[int, dict[str, list[ts.Node]]] = {}
        self.ordered: set[int] = set()
        self.names: dict[str, tuple[int, str]] = {}  # combined capture name -> (query, capture)

    def _compile(self, language: str) -> ts.Query | None:
        if language not in self.combined:
            parts = [self._CAPTURE.sub(rf"@q{i}__\1", q) for q, i in self.known[language].items()]
            try:
                self.combined[language] = ts.Query(ts_language(language), "\n".join(parts))
            except Exception:  # a query valid alone but not combinable: fall back to singles
                self.combined[language] = None
        return self.combined[language]

    def captures(self, language: str, query: str, root: ts.Node) -> dict[str, list[ts.Node]]:
        known = self.known.setdefault(language, {})
        index = known.get(query)
        if index is None:
            known[query] = len(known)
            self.combined.pop(language, None)
            ts_query(language, query)  # validate now: a bad query raises here, not in the union
            return _in_doc_order(ts.QueryCursor(ts_query(language, query)).captures(root))
        same_root = self.root is not None and self.root.id == root.id and self.root.end_byte == root.end_byte
        if not same_root:
            self.root = root
            self.results = {}
            self.ordered = set()
            combined = self._compile(language)
            if combined is not None:
                names = self.names
                results: dict[int, dict[str, list[ts.Node]]] = {i: {} for i in range(len(known))}
                for name, nodes in ts.QueryCursor(combined).captures(root).items():
                    split = names.get(name)
                    if split is None:
                        qi, _, cap = name.partition("__")
                        split = names[name] = (int(qi[1:]), cap)
                    results[split[0]][split[1]] = nodes
                self.results = results
        if index not in self.results:
            self.results[index] = ts.QueryCursor(ts_query(language, query)).captures(root)
        if index not in self.ordered:
            self.results[index] = _in_doc_order(self.results[index])
            self.ordered.add(index)
        return {name: list(nodes) for name, nodes in self.results[index].items()}


@cache
def _combined() -> _CombinedQueries:
    return _CombinedQueries()


def captures(language: str, query: str, node: ts.Node) -> dict[str, list[ts.Node]]:
    """Run a (cached) query on ``node`` and return its captures by name.

    Queries on a file's root node are answered from one combined traversal per file (see
    :class:`_CombinedQueries`); queries on inner nodes run directly.
    """
    if node.parent is None:
        return _combined().captures(language, query, node)
    return _in_doc_order(ts.QueryCursor(ts_query(language, query)).captures(node))


def _in_doc_order(found: dict[str, list[ts.Node]]) -> dict[str, list[ts.Node]]:
    """Captures in document (pre-)order.

    tree-sitter orders captures by match completion and, for the combined query, by which
    queries joined the union first, so extractors that pair capture lists or take the first
    one would otherwise vary from run to run.
    """
    out = {}
    for name, nodes in found.items():
        if len(nodes) > 1:
            # by (start, -end), stably, as two C-keyed stable sorts: end descending, then start
            nodes = sorted(nodes, key=_END_BYTE, reverse=True)
            nodes.sort(key=_START_BYTE)
        out[name] = nodes
    return out


_START_BYTE = attrgetter("start_byte")
_END_BYTE = attrgetter("end_byte")


@dataclass
class FileContext:
    """One file under extraction: its text, lazily parsed tree and the facts emitted so far."""

    path: str
    language: str
    text: str
    facts: list[Fact] = field(default_factory=list)
    cache: dict[str, Any] = field(default_factory=dict)
    _tree: ts.Tree | None = None
    _source: bytes | None = None
    _lines: list[str] | None = None

    @property
    def source(self) -> bytes:
        if self._source is None:
            self._source = self.text.encode("utf-8")
        return self._source

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = self.text.splitlines()
        return self._lines

    @property
    def tree(self) -> ts.Tree:
        """The tree-sitter tree (code languages only), parsed on first use."""
        if self._tree is None:
            self._tree = ts_parser(self.language).parse(self.source)
        return self._tree

    @property
    def root(self) -> ts.Node:
        return self.tree.root_node

    @cached_property
    def is_migration(self) -> bool:
        """A conventional migration folder, or an alembic revision (a module of a
        ``versions/`` folder that sets ``down_revision``): any other folder named
        ``versions/`` is application code."""
        if is_migration_path(self.path):
            return True
        return "versions/" in self.path and "down_revision" in self.text

    @cached_property
    def is_test(self) -> bool:
        """Test code by location or name (:func:`scalescope.model.roles.is_test_path`): read
        only with ``--include-tests``, and never reported."""
        return is_test_path(self.path)

    @property
    def is_js(self) -> bool:
        return self.language in JS_LANGUAGES

    def emit(self, fact: Fact) -> None:
        self.facts.append(fact)

    def loc(self, node: ts.Node, end: ts.Node | None = None) -> Loc:
        """Location of a node (or from ``node`` to ``end``), 1-based lines."""
        last = end if end is not None else node
        return Loc(self.path, node.start_point[0] + 1, last.end_point[0] + 1)

    def line_loc(self, line: int, end_line: int = 0) -> Loc:
        return Loc(self.path, line, end_line or line)

    def node_text(self, node: ts.Node | None) -> str:
        if node is None:
            return ""
        source = self._source if self._source is not None else self.source  # hot: skip the property
        return source[node.start_byte : node.end_byte].decode("utf-8", errors="replace")

    @cached_property
    def words(self) -> str:
        """The file's distinct whitespace-separated chunks, one per line: a needle without
        whitespace occurs in the text exactly when it occurs here, and this is a third to a half
        of the text (code repeats itself), so prefilters search it instead."""
        return "\n".join(set(self.text.split()))

    def has_any(self, *needles: str) -> bool:
        plain, spaced = split_needles(needles)
        return self.has_needles(plain, spaced)

    def has_needles(self, plain: tuple[str, ...], spaced: tuple[tuple[str, tuple[str, ...]], ...]) -> bool:
        """Whether the text contains one of ``plain`` (needles without whitespace, searched in
        :attr:`words`) or of ``spaced`` (``(needle, its whitespace-separated parts)``: searched
        in the text only when every part is in :attr:`words`)."""
        if plain or spaced:
            words = self.words
            for n in plain:
                if n in words:
                    return True
            for n, parts in spaced:
                for part in parts:
                    if part not in words:
                        break
                else:
                    if n in self.text:
                        return True
        return False


NeedleSplit = tuple[tuple[str, ...], tuple[tuple[str, tuple[str, ...]], ...]]


@cache
def split_needles(needles: tuple[str, ...]) -> NeedleSplit:
    """``needles`` less those containing another (found whenever it is), split into needles
    without whitespace and needles with their whitespace-separated parts (see
    :meth:`FileContext.has_needles`). Whitespace is what ``str.split()`` splits on."""
    unique = tuple(dict.fromkeys(needles))
    kept = [n for n in unique if not any(o != n and o in n for o in unique)]
    plain = tuple(n for n in kept if n.split() == [n])
    return plain, tuple((n, tuple(n.split())) for n in kept if n.split() != [n])


ExtractorFn = Callable[[FileContext], None]


@dataclass(frozen=True, slots=True)
class ExtractorSpec:
    """An extractor with the languages it reads and a cheap prefilter: it only runs on files
    containing at least one of ``needs`` (empty = always). Only extractors that declare
    ``migrations=True`` (schema readers) run on code files in migration folders, which are often
    a fifth of a Django or Knex codebase and never on a request path (SQL/YAML files always run).
    Extractors that declare ``tests=False`` do not run on test files (``--include-tests``): what
    they find there could only be reported in the test file itself, which is never reported."""

    name: str
    languages: frozenset[str]
    needs: tuple[str, ...]
    func: ExtractorFn
    migrations: bool = False
    tests: bool = True
    _plain: tuple[str, ...] = field(init=False, repr=False, compare=False)
    _spaced: tuple[tuple[str, tuple[str, ...]], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        plain, spaced = split_needles(self.needs)
        object.__setattr__(self, "_plain", plain)
        object.__setattr__(self, "_spaced", spaced)

    @property
    def label(self) -> str:
        """The extractor as users read it in a notice: ``the routes express reader (js)``, never
        its module path."""
        parts = self.name.split(".")
        if len(parts) >= 3 and parts[-3] in ("js", "py", "schema", "infra"):
            return f"the {parts[-2].replace('_', ' ')} reader ({parts[-3]})"
        return f"the {parts[-2].replace('_', ' ') if len(parts) >= 2 else self.name} reader"

    def applies(self, ctx: FileContext) -> bool:
        if ctx.language not in self.languages:
            return False
        if not self.migrations and ctx.language in CODE_LANGUAGES and ctx.is_migration:
            return False
        if not self.tests and ctx.is_test:
            return False
        return not self.needs or ctx.has_needles(self._plain, self._spaced)


def applicable(ctx: FileContext) -> list[ExtractorSpec]:
    """The extractors of ``ctx.language`` that apply to the file (:meth:`ExtractorSpec.applies`
    for each, with the per-file tests made once: this runs ~30 times per file)."""
    skip_migration = ctx.language in CODE_LANGUAGES and ctx.is_migration
    is_test = ctx.is_test
    has_needles = ctx.has_needles
    return [
        spec
        for spec in extractors_for(ctx.language)
        if (spec.migrations or not skip_migration)
        and (spec.tests or not is_test)
        and (not spec.needs or has_needles(spec._plain, spec._spaced))
    ]


_MARK = "__scalescope_extractor__"


def extractor(
    *, languages: Sequence[str], needs: Sequence[str] = (), migrations: bool = False, tests: bool = True
) -> Callable[[ExtractorFn], ExtractorFn]:
    """Mark a function as an extractor for ``languages``; the loader finds it by this mark.

    ``needs``: substrings a file must contain for the extractor to run. ``migrations``: also
    run on code files in migration folders (schema extractors only). ``tests=False``: skip test
    files (``--include-tests``), for extractors whose facts in a test file can only lead to
    findings in that file (see "Performance design of the scan" in docs/architecture.md)."""

    def mark(func: ExtractorFn) -> ExtractorFn:
        setattr(func, _MARK, (frozenset(languages), tuple(needs), migrations, tests))
        return func

    return mark


@cache
def load_extractors() -> tuple[ExtractorSpec, ...]:
    """Import every module under ``scalescope.scan.extract`` and collect marked functions."""
    import scalescope.scan.extract as pkg

    specs: list[ExtractorSpec] = []
    for info in sorted(pkgutil.walk_packages(pkg.__path__, pkg.__name__ + "."), key=lambda i: i.name):
        module = importlib.import_module(info.name)
        for attr, value in sorted(vars(module).items()):
            mark = getattr(value, _MARK, None)
            if mark is not None and callable(value) and value.__module__ == module.__name__:
                specs.append(ExtractorSpec(f"{info.name}.{attr}", mark[0], mark[1], value, mark[2], mark[3]))
    return tuple(specs)


@cache
def extractors_for(language: str) -> tuple[ExtractorSpec, ...]:
    """The extractors reading ``language``, in load order (spares a language test per extractor
    per file)."""
    return tuple(spec for spec in load_extractors() if language in spec.languages)


# --------------------------------------------------------------------------- suppressions

_SUPPRESS = re.compile(r"scalescope:\s*ignore(?:\[([^\]]*)\])?[ \t]*([^\n]*)")
_COMMENT_ONLY = re.compile(r"^\s*(#|//|/\*|\*|<!--|--)")


def find_suppressions(ctx: FileContext) -> Iterator[Suppression]:
    """``scalescope: ignore[ID, ID] reason`` in any comment style. A comment alone on its line
    applies to the next non-comment line; a trailing comment applies to its own line."""
    if "scalescope:" not in ctx.text:
        return
    lines = ctx.lines
    for idx, line in enumerate(lines):
        m = _SUPPRESS.search(line)
        if not m:
            continue
        rules = tuple(r.strip().upper() for r in (m.group(1) or "").split(",") if r.strip())
        reason = m.group(2).strip().removesuffix("*/").removesuffix("-->").strip()
        lineno = idx + 1
        if _COMMENT_ONLY.match(line):
            target = lineno + 1
            while target <= len(lines) and (
                not lines[target - 1].strip() or _COMMENT_ONLY.match(lines[target - 1])
            ):
                target += 1
            applies: tuple[int, ...] = (lineno, target)
        else:
            applies = (lineno,)
        yield Suppression(Loc(ctx.path, lineno), rules=rules, reason=reason, applies_to=applies)


# --------------------------------------------------------------------------- running


@dataclass
class FileResult:
    """What one file produced: facts, or a reason it was skipped, plus extractor errors."""

    path: str
    language: str
    lines: int = 0
    facts: list[Fact] = field(default_factory=list)
    skipped: str = ""
    errors: list[str] = field(default_factory=list)


MAX_NESTING_BYTES = 4 * 1024 * 1024


def extract_file(path: str, language: str, text: str) -> FileResult:
    """Run every applicable extractor on one decoded file. Never raises.

    A code file no extractor applies to (most files of a migration folder) is not parsed."""
    result = FileResult(path, language, lines=text.count("\n") + 1)
    ctx = FileContext(path=path, language=language, text=text)
    specs = applicable(ctx)
    if language in CODE_LANGUAGES and specs:
        try:
            root = ctx.root
        except Exception as exc:  # pragma: no cover - tree-sitter is robust; belt and braces
            result.skipped = f"parse failed: {exc}"
            return result
        if root.has_error and _error_ratio(root) > 0.5:
            result.skipped = "syntax errors in most of the file"
            return result
    for spec in specs:
        try:
            spec.func(ctx)
        except RecursionError:
            result.errors.append(f"{spec.label} stopped: nesting too deep")
        except Exception as exc:  # an extractor bug must not lose the whole scan
            result.errors.append(f"{spec.label} failed: {type(exc).__name__}: {exc}")
    ctx.facts.extend(find_suppressions(ctx))
    result.facts = ctx.facts
    return result


def _error_ratio(root: ts.Node) -> float:
    size = max(root.end_byte - root.start_byte, 1)
    bad = 0
    for child in root.children:
        if child.type == "ERROR" or child.is_missing:
            bad += child.end_byte - child.start_byte
    return bad / size
