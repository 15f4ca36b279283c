"""The traffic mix of an audit: which requests, in what proportion.

A scenario file, when given, is the mix. Otherwise the mix is derived from the app itself:
the GET routes the scan found (and the paths of the OpenAPI document the app serves, when it
serves one), with path parameters filled from values the app returns (``/products/:id`` gets an
``id`` from the JSON of ``/products``). Every candidate is tried once; only requests that answer
2xx/3xx enter the mix, and the others are listed with their status so the report says what was
left out and why. Nothing is invented: a route whose parameter no response supplies is skipped.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from scalescope.load.config import RequestSpec

__all__ = [
    "Candidate",
    "TrafficMix",
    "build_mix",
    "fetch_openapi",
    "fill_path",
    "openapi_candidates",
    "route_candidates",
    "route_shape",
]

OPENAPI_PATHS = ("/openapi.json", "/docs/openapi.json", "/api/openapi.json", "/swagger.json", "/v3/api-docs")
_PARAM = re.compile(r":(\w+)\??|\{(\w+)(?::[^}]*)?\}|<(?:\w+:)?(\w+)>|\[(?:\.\.\.)?(\w+)\]")
_SKIP_PATH = re.compile(r"\*|\(|\||\\")
_UNSAFE_WORDS = re.compile(
    r"(^|/)(logout|signout|sign-out|delete|remove|reset|shutdown|admin/)", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class Candidate:
    method: str
    path: str  # as written, with parameters
    source: str  # "scan file:line" or "openapi"


@dataclass
class TrafficMix:
    requests: list[RequestSpec] = field(default_factory=list)
    #: (method path, reason) of candidates left out
    skipped: list[tuple[str, str]] = field(default_factory=list)
    source: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "source": self.source,
            "requests": [
                {"name": r.name, "method": r.method, "path": r.path, "weight": r.weight}
                for r in self.requests
            ],
            "skipped": [{"request": what, "reason": why} for what, why in self.skipped],
        }


def route_shape(path: str) -> str:
    """``/a/:id``, ``/a/{id}`` and ``/a/<int:id>`` are one route: ``/a/{}``."""
    return _PARAM.sub("{}", path.rstrip("/") or "/")


def params_of(path: str) -> list[str]:
    return [next(g for g in m.groups() if g) for m in _PARAM.finditer(path)]


def fill_path(path: str, values: dict[str, str]) -> str | None:
    """``path`` with each parameter replaced by a known value (``None`` if one is unknown)."""
    missing = False

    def sub(match: re.Match[str]) -> str:
        nonlocal missing
        name = next(g for g in match.groups() if g)
        value = value_for(name, values)
        if value is None:
            missing = True
            return match.group(0)
        return quote(str(value), safe="")

    filled = _PARAM.sub(sub, path)
    return None if missing else filled


def value_for(name: str, values: dict[str, str]) -> str | None:
    if name in values:
        return values[name]
    lower = name.lower()
    for key, value in values.items():
        if key.lower() == lower:
            return value
    if lower.endswith("id") and "id" in values:  # productId, product_id -> the id the list returned
        return values["id"]
    if lower in {"slug", "key", "name", "uuid"} and lower in {k.lower() for k in values}:
        return next(v for k, v in values.items() if k.lower() == lower)
    return None


def _collect_values(document: Any, out: dict[str, str], depth: int = 0) -> None:
    """Scalar values by key from a JSON document (first one wins), a few levels deep."""
    if depth > 4:
        return
    if isinstance(document, dict):
        for key, value in document.items():
            if isinstance(value, str | int) and not isinstance(value, bool) and str(key) not in out:
                text = str(value)
                if 0 < len(text) <= 200:
                    out[str(key)] = text
        for value in document.values():
            if isinstance(value, dict | list):
                _collect_values(value, out, depth + 1)
    elif isinstance(document, list):
        for item in document[:3]:
            _collect_values(item, out, depth + 1)


def route_candidates(routes: Iterable[tuple[str, str, str]]) -> list[Candidate]:
    """GET routes the scan found, as (method, path, where) triples; one per distinct path."""
    seen: set[str] = set()
    out: list[Candidate] = []
    for method, path, where in routes:
        if method.upper() not in {"GET", "ANY"} or not path.startswith("/") or _SKIP_PATH.search(path):
            continue
        shape = route_shape(path)
        if _UNSAFE_WORDS.search(path) or shape in seen:
            continue
        seen.add(shape)
        out.append(Candidate("GET", path, where))
    return out


def _get(base_url: str, path: str, timeout_s: float) -> tuple[int | None, Any]:
    request = urllib.request.Request(
        base_url + path, headers={"Accept": "application/json", "User-Agent": "scalescope-audit"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            status = int(response.status)
            body = response.read(2_000_000)
            ctype = response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        return int(exc.code), None
    except (urllib.error.URLError, OSError, ValueError):
        return None, None
    data: Any = None
    if "json" in ctype or body[:1] in (b"{", b"["):
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            data = None
    return status, data


def fetch_openapi(base_url: str, timeout_s: float = 3.0) -> tuple[str, dict[str, Any]] | None:
    """The OpenAPI/Swagger document the app serves (where, and the document), if it serves one."""
    for path in OPENAPI_PATHS:
        status, doc = _get(base_url, path, timeout_s)
        if status == 200 and isinstance(doc, dict) and isinstance(doc.get("paths"), dict):
            return path, doc
    return None


def openapi_candidates(
    base_url: str, timeout_s: float = 3.0, document: tuple[str, dict[str, Any]] | None = None
) -> list[Candidate]:
    """GET operations of the OpenAPI/Swagger document the app serves (``document``, else fetched)."""
    found = document if document is not None else fetch_openapi(base_url, timeout_s)
    if found is None:
        return []
    path, doc = found
    out = []
    for api_path, ops in doc["paths"].items():
        if isinstance(ops, dict) and "get" in ops and isinstance(api_path, str):
            out.append(Candidate("GET", api_path, f"openapi {path}"))
    return route_candidates((c.method, c.path, c.source) for c in out)


def build_mix(
    base_url: str, candidates: Sequence[Candidate], *, max_requests: int = 12, timeout_s: float = 5.0
) -> TrafficMix:
    """Try each candidate once and keep the ones that answer 2xx/3xx (see the module docstring)."""
    mix = TrafficMix(
        source="routes found by the scan"
        + (
            " and the app's OpenAPI document"
            if any(c.source.startswith("openapi") for c in candidates)
            else ""
        )
    )
    values: dict[str, str] = {}
    plain = [c for c in candidates if not params_of(c.path)]
    with_params = [c for c in candidates if params_of(c.path)]
    chosen: list[tuple[str, str]] = []
    for cand in plain:
        status, data = _get(base_url, cand.path, timeout_s)
        if status is None or status >= 400:
            mix.skipped.append((f"GET {cand.path}", f"answered {status}" if status else "no answer"))
            continue
        _collect_values(data, values)
        chosen.append((cand.path, cand.path))
    for cand in with_params:
        filled = fill_path(cand.path, values)
        if filled is None:
            mix.skipped.append((f"GET {cand.path}", "no value for its parameters in the app's responses"))
            continue
        status, data = _get(base_url, filled, timeout_s)
        if status is None or status >= 400:
            mix.skipped.append((f"GET {filled}", f"answered {status}" if status else "no answer"))
            continue
        chosen.append((cand.path, filled))
    for written, path in chosen[:max_requests]:
        mix.requests.append(RequestSpec(name=f"GET {written}", method="GET", path=path))
    for written, _ in chosen[max_requests:]:
        mix.skipped.append((f"GET {written}", f"beyond the first {max_requests} endpoints"))
    return mix
