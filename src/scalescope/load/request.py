"""Turn a :class:`RequestSpec` into wire bytes: pre-encoded once, or rendered from templates.

A request with no runtime variables is encoded once and the same ``bytes`` object is written every
time. Templates (``{{name}}``) are split once into literal and variable parts; constants (``vars``
and values captured during setup) are substituted at compile time, so only data-feeder columns
remain to fill per request.

Encoding rules (the same for constants and per-request values):

* the URL is percent-encoded: literal text keeps URL punctuation (``/?&=`` …) and encodes what
  cannot appear in a URL (spaces, non-ASCII as UTF-8, control characters); a value filled into the
  path also has ``?``, ``#`` and ``%`` encoded, and one filled into the query string also ``&``,
  ``=`` and ``+``, so a value stays one value;
* header values are sent as UTF-8; a value holding CR or LF (header injection) is refused when the
  plan is built, for constants, setup captures and every data-file row alike;
* bodies are UTF-8 and ``Content-Length`` counts their bytes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from urllib.parse import quote

from scalescope.load.config import ConfigError, RequestSpec, Target

__all__ = ["PreparedRequest", "Template", "prepare_requests"]

_VAR_RE = re.compile(r"\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}")
USER_AGENT = "scalescope/0.1"
_PATH_SAFE = "/?&=%:@!$'()*+,;~[]-._"
_PATH_VALUE_SAFE = "/:@!$&'()*,;=~-._"
_QUERY_VALUE_SAFE = "/:@!$'()*,;~-._"
_TOKEN_RE = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")

Escape = Callable[[str], str]


def _raw(value: str) -> str:
    return value


def _path_value(value: str) -> str:
    return quote(value, safe=_PATH_VALUE_SAFE, errors="replace")


def _query_value(value: str) -> str:
    return quote(value, safe=_QUERY_VALUE_SAFE, errors="replace")


def _url_literal(text: str) -> str:
    return quote(text, safe=_PATH_SAFE, errors="replace")


class Template:
    """A string with ``{{variable}}`` holes; ``parts`` alternate literal, variable, literal, ...

    ``escape`` is applied to every value filled in (constants now, runtime values in ``render``);
    with ``url=True`` literal text is percent-encoded too and a hole after a ``?`` is a query value.
    """

    __slots__ = ("_escapes", "parts")

    def __init__(
        self,
        text: str,
        constants: Mapping[str, str],
        runtime: frozenset[str],
        *,
        url: bool = False,
        check: Callable[[str, str], None] | None = None,
    ) -> None:
        pieces = _VAR_RE.split(text)
        in_query = "?" in pieces[0]
        literal: Escape = _url_literal if url else _raw
        parts: list[str] = [literal(pieces[0])]
        escapes: list[Escape] = []
        for i in range(1, len(pieces), 2):
            name, tail = pieces[i], pieces[i + 1]
            escape: Escape = (_query_value if in_query else _path_value) if url else _raw
            if name in constants:
                value = constants[name]
                if check is not None:
                    check(name, value)
                parts[-1] += escape(value) + literal(tail)
            elif name in runtime:
                parts.extend((name, literal(tail)))
                escapes.append(escape)
            else:
                raise ConfigError(f"unknown variable {{{{{name}}}}} in {text!r}")
            in_query = in_query or "?" in tail
        self.parts = tuple(parts)
        self._escapes = tuple(escapes)

    @property
    def is_constant(self) -> bool:
        """True when nothing is left to fill at run time."""
        return len(self.parts) == 1

    @property
    def variables(self) -> tuple[str, ...]:
        """The names still filled per request."""
        return self.parts[1::2]

    def render(self, values: Mapping[str, str]) -> str:
        """Fill the remaining holes from ``values``."""
        parts = self.parts
        if len(parts) == 1:
            return parts[0]
        out = [parts[0]]
        for i in range(1, len(parts), 2):
            out.append(self._escapes[i // 2](values.get(parts[i], "")))
            out.append(parts[i + 1])
        return "".join(out)


def _header_checker(header: str) -> Callable[[str, str], None]:
    def check(variable: str, value: str) -> None:
        if "\r" in value or "\n" in value or "\0" in value:
            raise ConfigError(
                f"header {header!r}: the value of {{{{{variable}}}}} holds a line break or NUL "
                "(header injection); remove it from the data"
            )

    return check


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
        rows: Iterable[Mapping[str, str]] = (),
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
        method = spec.method.upper()
        if not _TOKEN_RE.match(method):
            raise ConfigError(f"request {spec.name!r}: {spec.method!r} is not an HTTP method")
        checkers: dict[str, Callable[[str, str], None]] = {}
        for key, value in headers.values():
            if not _TOKEN_RE.match(key):
                raise ConfigError(f"request {spec.name!r}: {key!r} is not a valid header name")
            if "\r" in value or "\n" in value or "\0" in value:
                raise ConfigError(
                    f"request {spec.name!r}: header {key!r} holds a line break or NUL (header injection)"
                )
            checkers[key] = _header_checker(key)
        # One template for the head: the path part is URL-encoded, header values are checked.
        head = _join(
            [Template(f"{method} ", {}, frozenset())]
            + [Template(path, constants, runtime, url=True)]
            + [Template(" HTTP/1.1\r\n", {}, frozenset())]
            + [
                Template(f"{key}: {value}\r\n", constants, runtime, check=checkers[key])
                for key, value in headers.values()
            ]
        )
        for key, value in headers.values():
            names = _VAR_RE.findall(value)
            for row in rows:
                for name in names:
                    if name in row and name not in constants:
                        checkers[key](name, row[name])
        self._head = head
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
        head = self._head.render(values).encode("utf-8", "replace")
        if self._body is None:
            return head + b"\r\n"
        body = self._body.render(values).encode("utf-8", "replace")
        return head + b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body


def _join(templates: list[Template]) -> Template:
    """Concatenate templates into one (literals merged, holes kept with their escapes)."""
    out = Template("", {}, frozenset())
    parts: list[str] = [""]
    escapes: list[Escape] = []
    for t in templates:
        parts[-1] += t.parts[0]
        parts.extend(t.parts[1:])
        escapes.extend(t._escapes)
    out.parts = tuple(parts)
    out._escapes = tuple(escapes)
    return out


def prepare_requests(
    specs: tuple[RequestSpec, ...],
    target: Target,
    default_headers: tuple[tuple[str, str], ...],
    constants: Mapping[str, str],
    runtime: frozenset[str] = frozenset(),
    rows: Iterable[Mapping[str, str]] = (),
) -> tuple[PreparedRequest, ...]:
    """Prepare every spec; raises :class:`ConfigError` on an unknown template variable or on a
    header value (constant, captured or from any data row) that holds CR or LF."""
    row_list = list(rows)
    return tuple(PreparedRequest(s, target, default_headers, constants, runtime, row_list) for s in specs)
