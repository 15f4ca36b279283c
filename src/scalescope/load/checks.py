"""Response checks and setup captures: status, JSON path value, body contains, header values."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from scalescope.load.config import Capture, Check, ConfigError

__all__ = ["CheckOutcome", "capture_values", "json_path_get", "parse_json_path", "run_checks"]

_TOKEN_RE = re.compile(r"\.?([A-Za-z_][\w-]*)|\[(\d+)\]|\[['\"]([^'\"]+)['\"]\]")

CheckOutcome = bool


def parse_json_path(path: str) -> tuple[str | int, ...]:
    """Split ``$.data.items[0].id`` (the ``$.`` is optional) into keys and indexes."""
    text = path.strip()
    if text.startswith("$"):
        text = text[1:]
    parts: list[str | int] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN_RE.match(text, pos)
        if match is None or match.end() == pos:
            raise ConfigError(f"cannot read JSON path {path!r}; use forms like $.data.items[0].id")
        key, index, quoted = match.groups()
        if index is not None:
            parts.append(int(index))
        else:
            parts.append(key if key is not None else quoted)
        pos = match.end()
    return tuple(parts)


def json_path_get(document: object, path: str) -> object:
    """Value at ``path`` in a parsed JSON document; raises ``LookupError`` when absent."""
    node = document
    for part in parse_json_path(path):
        if isinstance(part, int):
            if not isinstance(node, list) or part >= len(node):
                raise LookupError(path)
            node = node[part]
        else:
            if not isinstance(node, dict) or part not in node:
                raise LookupError(path)
            node = node[part]
    return node


def _status_ok(expected: object, status: int) -> bool:
    if isinstance(expected, list | tuple):
        return status in expected
    if isinstance(expected, str) and expected.endswith("xx") and len(expected) == 3:
        return str(status)[0] == expected[0]
    return status == expected


def run_checks(checks: tuple[Check, ...], status: int, body: bytes | None) -> CheckOutcome:
    """True when every check passes on this response."""
    parsed: object = None
    parsed_ok = False
    for check in checks:
        if check.kind == "status":
            if not _status_ok(check.expected, status):
                return False
        elif check.kind == "contains":
            if body is None or str(check.expected).encode() not in body:
                return False
        else:
            if not parsed_ok:
                try:
                    parsed = json.loads(body or b"")
                except ValueError:
                    return False
                parsed_ok = True
            try:
                value = json_path_get(parsed, check.path)
            except LookupError:
                return False
            if check.expected is not None and value != check.expected:
                return False
    return True


def capture_values(
    captures: tuple[Capture, ...], body: bytes | None, headers: Mapping[str, str] | None
) -> dict[str, str]:
    """Extract captured variables; raises ``LookupError`` naming the first capture that found nothing."""
    out: dict[str, str] = {}
    parsed: object = None
    parsed_ok = False
    for cap in captures:
        if cap.source == "header":
            value = (headers or {}).get(cap.expr.lower())
            if value is None:
                raise LookupError(f"header {cap.expr!r} is missing")
            out[cap.variable] = value
            continue
        if not parsed_ok:
            try:
                parsed = json.loads(body or b"")
            except ValueError as exc:
                raise LookupError("the response body is not JSON") from exc
            parsed_ok = True
        try:
            found = json_path_get(parsed, cap.expr)
        except LookupError as exc:
            raise LookupError(f"JSON path {cap.expr!r} is missing") from exc
        out[cap.variable] = found if isinstance(found, str) else json.dumps(found)
    return out
