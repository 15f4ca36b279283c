"""Probe targets: parse a server URL, show it without secrets, and classify connection errors.

A probe is given a URL such as ``postgresql://app:s3cret@db:5432/shop``. Nothing the probe
prints may carry the password: reports name the server by :attr:`Target.label`
(``postgresql://db:5432/shop``, no user, password or query string), and every error message
from a driver goes through :meth:`Target.scrub` before it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from scalescope.redact import redact

# exit statuses of ``scalescope probe`` (documented in docs/probes.md)
EXIT_OK = 0
EXIT_FAIL_ON = 1
EXIT_USAGE = 2
EXIT_UNREACHABLE = 3
EXIT_AUTH = 4
EXIT_DRIVER_MISSING = 5

_SCHEMES = {
    "postgres": ("postgresql", "postgres"),
    "redis": ("redis", "rediss"),
}
_DEFAULT_PORTS = {"postgres": 5432, "redis": 6379}


class ProbeError(Exception):
    """A probe that cannot run: a plain message and the exit status to end with."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


@dataclass(frozen=True, slots=True)
class Target:
    """A parsed server URL. ``url`` keeps the secret for the driver; nothing else shows it."""

    kind: str  # postgres | redis
    url: str
    host: str
    port: int
    database: str
    password: str

    @property
    def label(self) -> str:
        """The server as reports show it: scheme, host, port and database, nothing secret."""
        scheme = "postgresql" if self.kind == "postgres" else "redis"
        host = f"[{self.host}]" if ":" in self.host else self.host
        db = f"/{self.database}" if self.database else ""
        return f"{scheme}://{host}:{self.port}{db}"

    def scrub(self, text: str) -> str:
        """``text`` (a driver's error message) with the password and URL credentials removed."""
        out = text.replace(self.url, self.label) if self.url else text
        if self.password:
            out = out.replace(self.password, "***")
        return redact(out)


def parse_target(kind: str, url: str) -> Target:
    """Parse ``url`` as a ``kind`` (``postgres`` or ``redis``) server URL.

    Raises :class:`ProbeError` (usage, exit 2) for a URL of the wrong scheme or a bad port; the
    message never repeats the URL's password.
    """
    schemes = _SCHEMES[kind]
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise ProbeError(f"not a valid {kind} URL: {redact(str(exc))}", EXIT_USAGE) from None
    if parts.scheme.lower() not in schemes:
        shown = redact(url)
        if parts.password:
            shown = shown.replace(parts.password, "***")
        raise ProbeError(
            f"not a {kind} URL (expected {' or '.join(s + '://' for s in schemes)}…): {shown}", EXIT_USAGE
        )
    host = parts.hostname or "localhost"
    database = unquote(parts.path.lstrip("/"))
    if kind == "redis" and not database:
        database = "0"
    return Target(
        kind=kind,
        url=url.strip(),
        host=host,
        port=port or _DEFAULT_PORTS[kind],
        database=database,
        password=unquote(parts.password) if parts.password else "",
    )
