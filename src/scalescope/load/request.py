"""Turn a :class:`RequestSpec` into wire bytes: pre-encoded once, or rendered from templates.

A request with no runtime variables is encoded once and the same ``bytes`` object is written every
time. Templates (``{{name}}``) are split once into literal and variable parts; constants (``vars``
and values captured during setup) are substituted at compile time, so only data-feeder columns
remain to fill per request. Values are inserted as-is (no escaping).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import quote

from scalescope.load.config import ConfigError, RequestSpec, Target

__all__ = ["PreparedRequest", "Template", "prepare_requests"]

_VAR_RE = re.compile(r"\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}")
USER_AGENT = "scalescope/0.1"


class Template:
    """A string with ``{{variable}}`` holes; ``parts`` alternate literal, variable, literal, ..."""

    __slots__ = ("parts",)

    def __init__(self, text: str, constants: Mapping[str, str], runtime: frozenset[str]) -> None:
        pieces = _VAR_RE.split(text)
        parts: list[str] = [pieces[0]]
        for i in range(1, len(pieces), 2):
            name, literal = pieces[i], pieces[i + 1]
            if name in constants:
                parts[-1] += constants[name] + literal
            elif name in runtime:
                parts.extend((name, literal))
            else:
                raise ConfigError(f"unknown variable {{{{{name}}}}} in {text!r}")
        self.parts = tuple(parts)

    @property
    def is_constant(self) -> bool:
        """True when nothing is left to fill at run time."""
        return len(self.parts) == 1

    def render(self, values: Mapping[str, str]) -> str:
        """Fill the remaining holes from ``values``."""
        parts = self.parts
        if len(parts) == 1:
            return parts[0]
        out = [parts[0]]
        for i in range(1, len(parts), 2):
            out.append(values.get(parts[i], ""))
            out.append(parts[i + 1])
        return "".join(out)


class PreparedRequest:
    """One request kind ready to send: ``encode(row)`` returns the full HTTP/1.1 request bytes."""

    __slots__ = ("_body", "_constant", "_head", "name", "spec", "want_body", "weight")

    def __init__(
        self,
        spec: RequestSpec,
        target: Target,
        default_headers: tuple[tuple[str, str], ...],
        constants: Mapping[str, str],
        runtime: frozenset[str],
    ) -> None:
        self.spec = spec
        self.name = spec.name
        self.weight = spec.weight
        self.want_body = bool(spec.captures) or any(c.kind != "status" for c in spec.checks)
        headers: dict[str, tuple[str, str]] = {"host": ("Host", target.authority)}
        headers["user-agent"] = ("User-Agent", USER_AGENT)
        for key, value in (*default_headers, *spec.headers):
            headers[key.lower()] = (key, value)
        headers.pop("content-length", None)
        path = target.base_path + spec.path if target.base_path else spec.path
        lines = [f"{spec.method.upper()} {quote(path, safe=_PATH_SAFE)} HTTP/1.1"]
        lines.extend(f"{key}: {value}" for key, value in headers.values())
        self._head = Template("\r\n".join(lines) + "\r\n", constants, runtime)
        self._body = Template(spec.body, constants, runtime) if spec.body is not None else None
        self._constant: bytes | None = None
        if self._head.is_constant and (self._body is None or self._body.is_constant):
            self._constant = self.encode({})

    @property
    def constant(self) -> bytes | None:
        """The request bytes when nothing is filled per request (the common case), else None."""
        return self._constant

    def encode(self, values: Mapping[str, str]) -> bytes:
        """The request bytes, with feeder ``values`` filled in where the templates need them."""
        if self._constant is not None:
            return self._constant
        head = self._head.render(values)
        if self._body is None:
            return (head + "\r\n").encode("latin-1")
        body = self._body.render(values).encode("utf-8")
        return (head + f"Content-Length: {len(body)}\r\n\r\n").encode("latin-1") + body


_PATH_SAFE = "/?&=%:@!$'()*+,;~{}[]-._"


def prepare_requests(
    specs: tuple[RequestSpec, ...],
    target: Target,
    default_headers: tuple[tuple[str, str], ...],
    constants: Mapping[str, str],
    runtime: frozenset[str] = frozenset(),
) -> tuple[PreparedRequest, ...]:
    """Prepare every spec; raises :class:`ConfigError` on an unknown template variable."""
    return tuple(PreparedRequest(s, target, default_headers, constants, runtime) for s in specs)
