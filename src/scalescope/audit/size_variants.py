"""Which response sizes an endpoint serves: the variants SC-DB-102 measures (``audit/datasize.py``).

For each GET endpoint of the traffic mix the audit asks the app itself for the same endpoint
at other sizes, using only what the app exposes, one parameter at a time:

- a page-size parameter the app's OpenAPI document declares for the route (``limit``,
  ``per_page``, ``page_size``, ``size``, ``take``…) at 1, 5, 20, 50, 100, 200, 500 (within its
  declared ``maximum``); without a document, a conventional one the app is seen to honour on a
  list endpoint (``?limit=2`` answers 2 items where the plain request answered more);
- a filter parameter the document declares, at its ``enum`` values, else at the values the
  app's own responses carry under that name (``/products?category=books`` for each category
  the product list shows);
- a path parameter, at the values the app's responses carry for it (``/users/{id}/orders``
  for each user id).

Each variant is fetched once (2xx only); variants whose bodies are within 5% of each other in
size count as one size. An endpoint with at least :data:`MIN_SIZES` sizes spanning at least
:data:`MIN_SIZE_RATIO` x is worth measuring; at most :data:`MAX_VARIANTS` sizes, spread evenly
in log size, are kept. Pure functions of their inputs: the HTTP ``fetch`` is injected.
"""

from __future__ import annotations

import json
import math
import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from scalescope.audit.traffic import params_of, route_shape

__all__ = [
    "MIN_SIZES",
    "Fetch",
    "QueryParam",
    "Variant",
    "collect_values",
    "discover",
    "http_fetch",
    "items_of",
    "openapi_params",
    "template_for",
]

MIN_SIZES = 3
MIN_SIZE_RATIO = 2.0
#: sizes closer than this (relative) are one size
SAME_SIZE = 0.05
MAX_VARIANTS = 6
MAX_VALUES = 8
PAGE_SIZES = (1, 5, 20, 50, 100, 200, 500)
#: page-size parameter names, compared without case, ``_`` or ``-``
PAGE_SIZE_NAMES = frozenset(
    {"limit", "perpage", "pagesize", "size", "take", "count", "first", "top", "maxresults", "pagelimit"}
)
#: tried on a list endpoint the OpenAPI document does not describe, in this order
CONVENTIONAL_PAGE_SIZES = ("limit", "per_page", "page_size", "pageSize", "size", "take")
_BRACES = re.compile(r"\{[^}]*\}")

#: ``(path) -> (status, body, seconds)``; status ``None`` when nothing answered
Fetch = Callable[[str], tuple[int | None, bytes, float]]


@dataclass(frozen=True, slots=True)
class QueryParam:
    """A query parameter the OpenAPI document declares for a GET operation."""

    name: str
    type: str = ""  # integer | number | string | boolean | "" (unknown)
    enum: tuple[str, ...] = ()
    maximum: float | None = None
    minimum: float | None = None

    @property
    def page_size(self) -> bool:
        return self.type in {"integer", "number", ""} and _norm(self.name) in PAGE_SIZE_NAMES


@dataclass(frozen=True, slots=True)
class Variant:
    """One size of an endpoint: a path the app answered 2xx, fetched once."""

    path: str
    bytes: int
    items: int | None  # entries of the JSON list it returned, when it returned one
    seconds: float  # the one fetch's wall time (sizes the measurement run)


def _norm(name: str) -> str:
    return name.lower().replace("_", "").replace("-", "")


def _schema_type(schema: Any) -> tuple[str, tuple[str, ...], float | None, float | None]:
    """(type, enum, maximum, minimum) of a parameter schema; ``anyOf``/``oneOf`` with ``null``
    (an optional parameter in OpenAPI 3.1) reads as its other branch."""
    if not isinstance(schema, Mapping):
        return "", (), None, None
    for key in ("anyOf", "oneOf"):
        branches = schema.get(key)
        if isinstance(branches, list):
            real = [b for b in branches if isinstance(b, Mapping) and b.get("type") != "null"]
            if len(real) == 1:
                return _schema_type(real[0])
    kind = schema.get("type")
    kind = kind if isinstance(kind, str) else ""
    enum = schema.get("enum")
    values = (
        tuple(str(v) for v in enum if isinstance(v, str | int) and not isinstance(v, bool))
        if isinstance(enum, list)
        else ()
    )
    maximum = schema.get("maximum")
    minimum = schema.get("minimum")
    return (
        kind,
        values,
        float(maximum) if isinstance(maximum, int | float) and not isinstance(maximum, bool) else None,
        float(minimum) if isinstance(minimum, int | float) and not isinstance(minimum, bool) else None,
    )


def _resolve(doc: Mapping[str, Any], item: Any) -> Any:
    ref = item.get("$ref") if isinstance(item, Mapping) else None
    if not isinstance(ref, str) or not ref.startswith("#/"):
        return item
    node: Any = doc
    for part in ref[2:].split("/"):
        node = node.get(part) if isinstance(node, Mapping) else None
    return node


def openapi_params(doc: Mapping[str, Any]) -> dict[str, list[QueryParam]]:
    """Query parameters of each GET operation of an OpenAPI 3 / Swagger 2 document, by path."""
    out: dict[str, list[QueryParam]] = {}
    paths = doc.get("paths")
    if not isinstance(paths, Mapping):
        return out
    for path, ops in paths.items():
        if (
            not isinstance(path, str)
            or not isinstance(ops, Mapping)
            or not isinstance(ops.get("get"), Mapping)
        ):
            continue
        declared = [*(ops.get("parameters") or []), *(ops["get"].get("parameters") or [])]
        params: dict[str, QueryParam] = {}
        for raw in declared:
            item = _resolve(doc, raw)
            if (
                not isinstance(item, Mapping)
                or item.get("in") != "query"
                or not isinstance(item.get("name"), str)
            ):
                continue
            kind, enum, maximum, minimum = _schema_type(item.get("schema", item))  # Swagger 2: inline
            params[item["name"]] = QueryParam(item["name"], kind, enum, maximum, minimum)
        out[path] = list(params.values())
    return out


def _json(body: bytes) -> Any:
    if body[:1] not in (b"{", b"["):
        return None
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None


def items_of(body: bytes) -> int | None:
    """Entries of the list a JSON response returns: the top-level array, or the longest array
    directly inside a top-level object (``{"items": [...], "total": 120}``)."""
    data = _json(body)
    if isinstance(data, list):
        return len(data)
    if isinstance(data, Mapping):
        lists = [len(v) for v in data.values() if isinstance(v, list)]
        return max(lists) if lists else None
    return None


def collect_values(bodies: Iterable[bytes], out: dict[str, list[str]] | None = None) -> dict[str, list[str]]:
    """Distinct scalar values by key (first :data:`MAX_VALUES` of each) in JSON responses."""
    values: dict[str, list[str]] = out if out is not None else {}

    def walk(node: Any, depth: int) -> None:
        if depth > 4:
            return
        if isinstance(node, Mapping):
            for key, value in node.items():
                if isinstance(value, str | int) and not isinstance(value, bool):
                    text = str(value)
                    seen = values.setdefault(str(key), [])
                    if 0 < len(text) <= 200 and text not in seen and len(seen) < MAX_VALUES:
                        seen.append(text)
                elif isinstance(value, dict | list):
                    walk(value, depth + 1)
        elif isinstance(node, list):
            for item in node[:5000]:
                walk(item, depth + 1)

    for body in bodies:
        walk(_json(body), 0)
    return values


def _with_query(path: str, name: str, value: object) -> str:
    return f"{path}{'&' if '?' in path else '?'}{urlencode({name: str(value)})}"


def _values_for_key(name: str, values: Mapping[str, list[str]]) -> list[str]:
    if name in values:
        return values[name]
    lower = name.lower()
    return next((v for k, v in values.items() if k.lower() == lower), [])


def _page_sizes(param: QueryParam) -> list[int]:
    top = param.maximum if param.maximum is not None else max(PAGE_SIZES)
    low = param.minimum if param.minimum is not None else 1
    return [n for n in PAGE_SIZES if low <= n <= top]


def _candidates(
    template: str, path: str, params: Sequence[QueryParam] | None, values: Mapping[str, list[str]]
) -> list[tuple[str, list[str]]]:
    """(what is varied, paths) for each parameter that can change the response size."""
    out: list[tuple[str, list[str]]] = []
    for param in params or ():
        if param.page_size:
            out.append(
                (f"page size ?{param.name}=", [_with_query(path, param.name, n) for n in _page_sizes(param)])
            )
            continue
        choices = list(param.enum) or _values_for_key(param.name, values)
        if choices:
            out.append(
                (
                    f"query parameter {param.name}",
                    [_with_query(path, param.name, v) for v in choices[:MAX_VALUES]],
                )
            )
    written = params_of(template)
    concrete = path.split("?", 1)[0].split("/")
    shape = route_shape(template).split("/")
    for name in written:
        # the segment of ``path`` that fills this parameter: same position as in the template
        slots = [i for i, part in enumerate(shape) if part == "{}"]
        index = written.index(name)
        if index >= len(slots) or len(concrete) != len(shape):
            continue
        pos = slots[index]
        # productId, product_id -> the ids the lists returned, as the traffic mix fills them
        key_values = _values_for_key(name, values) or (
            values.get("id", []) if name.lower().endswith("id") else []
        )
        if not key_values:
            continue
        paths = []
        for value in key_values[:MAX_VALUES]:
            parts = list(concrete)
            parts[pos] = quote(value, safe="")
            paths.append("/".join(parts))
        out.append((f"path parameter {name}", paths))
    return out


def discover(
    template: str,
    path: str,
    params: Sequence[QueryParam] | None,
    values: Mapping[str, list[str]],
    fetch: Fetch,
    base: Variant | None = None,
) -> tuple[str, list[Variant]]:
    """The sizes of one endpoint the app serves: (what was varied, variants by size), empty when
    nothing the app exposes changes its size enough (see the module docstring).

    ``params`` are the query parameters the OpenAPI document declares for ``template`` (``None``
    without a document: then a conventional page-size parameter is tried on a list endpoint);
    ``base`` is ``path`` already fetched."""
    if base is None:
        status, body, seconds = fetch(path)
        if status is None or not 200 <= status < 300:
            return "", []
        base = Variant(path, len(body), items_of(body), seconds)
    candidates = _candidates(template, path, params, values)
    if params is None and (base.items or 0) > 2:
        for name in CONVENTIONAL_PAGE_SIZES:
            status, body, _ = fetch(_with_query(path, name, 2))
            if status is not None and 200 <= status < 300 and items_of(body) == 2:
                candidates.insert(
                    0, (f"page size ?{name}=", [_with_query(path, name, n) for n in PAGE_SIZES])
                )
                break
    for varied, paths in candidates:
        found = [base]
        for each in paths:
            status, body, seconds = fetch(each)
            if status is not None and 200 <= status < 300:
                found.append(Variant(each, len(body), items_of(body), seconds))
        sizes = _distinct(found)
        if len(sizes) >= MIN_SIZES and sizes[-1].bytes >= MIN_SIZE_RATIO * max(sizes[0].bytes, 1):
            return varied, _spread(sizes, MAX_VARIANTS)
    return "", []


def _distinct(variants: Sequence[Variant]) -> list[Variant]:
    """One variant per size (sizes within :data:`SAME_SIZE` of each other are one), smallest first."""
    out: list[Variant] = []
    for v in sorted(variants, key=lambda v: v.bytes):
        if out and v.bytes <= out[-1].bytes * (1 + SAME_SIZE):
            continue
        out.append(v)
    return out


def _spread(sizes: Sequence[Variant], most: int) -> list[Variant]:
    """At most ``most`` sizes, the smallest and largest among them, spaced evenly in log size."""
    if len(sizes) <= most:
        return list(sizes)
    logs = [math.log(max(v.bytes, 1)) for v in sizes]
    picked: list[Variant] = []
    for i in range(most):
        goal = logs[0] + (logs[-1] - logs[0]) * i / (most - 1)
        best = min((v for v in sizes if v not in picked), key=lambda v: abs(math.log(max(v.bytes, 1)) - goal))
        picked.append(best)
    return sorted(picked, key=lambda v: v.bytes)


def http_fetch(base_url: str, timeout_s: float = 5.0) -> Fetch:
    """A :data:`Fetch` against the running app."""

    def fetch(path: str) -> tuple[int | None, bytes, float]:
        request = urllib.request.Request(
            base_url + path, headers={"Accept": "application/json", "User-Agent": "scalescope-audit"}
        )
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=timeout_s) as response:
                body = response.read(20_000_000)
                return int(response.status), body, time.monotonic() - started
        except urllib.error.HTTPError as exc:
            return int(exc.code), b"", time.monotonic() - started
        except (urllib.error.URLError, OSError, ValueError):
            return None, b"", time.monotonic() - started

    return fetch


def template_for(path: str, templates: Iterable[str]) -> str | None:
    """The OpenAPI path template a concrete path is an instance of (``/items/7`` -> ``/items/{id}``)."""
    bare = path.split("?", 1)[0].rstrip("/") or "/"
    for template in templates:
        pattern = (
            "^" + "[^/]+".join(re.escape(part) for part in _BRACES.split(template.rstrip("/") or "/")) + "$"
        )
        if re.match(pattern, bare):
            return template
    return None
