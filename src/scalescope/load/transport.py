"""How bytes reach the target: a small transport protocol, the real one, and an in-memory mock.

The hot path is callback-based, not coroutine-based: a connection is an ``asyncio.Protocol`` fed
by ``httptools``; when a response completes it calls ``on_done`` directly, and the worker writes the
next request from inside that callback. No future, task or timer is created per request, and no
clock is read here: the worker stamps each request once and finds timeouts by a periodic sweep over
connections that are ``busy``.

httptools only calls the callbacks its protocol object has, and each call costs a Python frame plus
new ``bytes`` objects. So a connection keeps two parsers: a lean one that only reports the end of a
message (status and keep-alive are read from the parser), used when nobody looks at the response,
and a full one with ``on_header``/``on_body``, used for requests that need the body or headers
(checks, captures). The parser is picked per request in :meth:`Connection.send`.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
from collections.abc import Callable
from typing import Protocol, cast

import httptools

from scalescope.load.config import Target

__all__ = [
    "CLIENT_ERROR",
    "CONNECT_ERROR",
    "CONNECT_REFUSED",
    "ERROR_KINDS",
    "PROTOCOL",
    "RESET",
    "TIMEOUT",
    "Connection",
    "HttpTransport",
    "MockResponse",
    "MockTransport",
    "OnDone",
    "Transport",
    "TransportError",
]

CONNECT_REFUSED = "connect_refused"
CONNECT_ERROR = "connect_error"
TIMEOUT = "timeout"
RESET = "reset"
PROTOCOL = "protocol_error"
HTTP_4XX = "http_4xx"
HTTP_5XX = "http_5xx"
CHECK_FAILED = "check_failed"
CLIENT_ERROR = "client_error"
"""The generator itself failed on a request (building it, writing it, or handling its response)."""
ERROR_KINDS = (
    CONNECT_REFUSED, CONNECT_ERROR, TIMEOUT, RESET, PROTOCOL, HTTP_4XX, HTTP_5XX, CHECK_FAILED, CLIENT_ERROR
)  # fmt: skip
"""Every error kind a run can report, in display order."""

OnDone = Callable[[int, bytes | None, dict[str, str] | None, str | None], None]
"""``on_done(status, body, headers, error_kind)``; body/headers only when asked for."""


class TransportError(Exception):
    """Connecting failed; ``kind`` is one of the error kinds and the message is plain words."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class Connection(Protocol):
    """One keep-alive connection carrying one request at a time."""

    @property
    def busy(self) -> bool:
        """True while a request is in flight (from ``send`` until ``on_done`` fires)."""

    @property
    def is_open(self) -> bool:
        """False once the peer or we closed it; the worker then reconnects (a plain attribute)."""

    def send(self, data: bytes, want_body: bool, on_done: OnDone) -> None:
        """Write a full request; ``on_done`` fires exactly once with the response or an error kind."""

    def abort(self, kind: str) -> None:
        """Fail the in-flight request with ``kind`` (e.g. timeout) and close."""

    def close(self) -> None:
        """Close without reporting anything."""


class Transport(Protocol):
    """Opens connections to the target; ``received_bytes`` counts every byte its connections read."""

    received_bytes: int

    async def connect(self) -> Connection:
        """Open a connection or raise :class:`TransportError`."""


class _LeanCallbacks:
    """What the lean parser may call: only the end of a message."""

    __slots__ = ("on_message_complete",)

    def __init__(self, conn: _HttpConnection) -> None:
        self.on_message_complete = conn.on_message_complete


class _FullCallbacks:
    """What the full parser may call: headers, body chunks and the end of a message."""

    __slots__ = ("on_body", "on_header", "on_message_complete")

    def __init__(self, conn: _HttpConnection) -> None:
        self.on_header = conn.on_header
        self.on_body = conn.on_body
        self.on_message_complete = conn.on_message_complete


def _not_connected(data: bytes) -> None:
    raise RuntimeError("send() before the connection was made")


class _HttpConnection(asyncio.Protocol):
    """httptools-driven HTTP/1.1 client protocol."""

    def __init__(self, owner: HttpTransport | None = None) -> None:
        self._owner = owner if owner is not None else HttpTransport.detached()
        self._transport: asyncio.Transport | None = None
        self._write: Callable[[bytes], object] = _not_connected
        self._lean = httptools.HttpResponseParser(_LeanCallbacks(self))
        self._full: httptools.HttpResponseParser | None = None
        self._parser = self._lean
        self._feed = self._lean.feed_data
        self._on_done: OnDone | None = None
        self._want_body = False
        self._body: list[bytes] = []
        self._headers: dict[str, str] | None = None
        self.is_open = False

    @property
    def busy(self) -> bool:
        return self._on_done is not None

    # asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        tr = self._transport = cast(asyncio.Transport, transport)  # uvloop's are not subclasses
        self._write = tr.write
        sock = tr.get_extra_info("socket")
        if sock is not None:  # uvloop and asyncio already set it; be sure, small requests must not wait
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.is_open = True

    def data_received(self, data: bytes) -> None:
        self._owner.received_bytes += len(data)
        try:
            self._feed(data)
        except httptools.HttpParserUpgrade:  # pragma: no cover - we never ask to upgrade
            self._fail(PROTOCOL)
        except httptools.HttpParserError:
            self._fail(PROTOCOL)
        except Exception:  # raised by a callback: fail the request, never lose it silently
            self._fail(CLIENT_ERROR)

    def connection_lost(self, exc: Exception | None) -> None:
        self.is_open = False
        if self._on_done is not None:
            self._finish(0, RESET)

    # httptools callbacks (on_header/on_body: full parser only)
    def on_header(self, name: bytes, value: bytes) -> None:
        if self._headers is not None:
            self._headers[name.decode("latin-1").lower()] = value.decode("latin-1")

    def on_body(self, body: bytes) -> None:
        if self._want_body:
            self._body.append(body)

    def on_message_complete(self) -> None:
        parser = self._parser
        if not parser.should_keep_alive():
            self.is_open = False
            if self._transport is not None:
                self._transport.close()
        on_done = self._on_done
        if on_done is None:
            return
        self._on_done = None
        if self._want_body:
            self._finish_body(on_done, parser.get_status_code())
        else:
            on_done(parser.get_status_code(), None, None, None)

    # Connection
    def send(self, data: bytes, want_body: bool, on_done: OnDone) -> None:
        self._on_done = on_done
        if want_body is not self._want_body:
            self._use_parser(want_body)
        if want_body:
            self._body = []
            self._headers = {}
        self._write(data)

    def _use_parser(self, full: bool) -> None:
        """Switch parsers between messages (one request at a time, so none is half-parsed)."""
        self._want_body = full
        if full:
            if self._full is None:
                self._full = httptools.HttpResponseParser(_FullCallbacks(self))
            self._parser = self._full
        else:
            self._parser = self._lean
        self._feed = self._parser.feed_data

    def _finish_body(self, on_done: OnDone, status: int) -> None:
        body = b"".join(self._body)
        headers = self._headers
        self._body = []
        self._headers = None
        on_done(status, body, headers, None)

    def _finish(self, status: int, error: str | None) -> None:
        on_done = self._on_done
        self._on_done = None
        if on_done is None:
            return
        if self._want_body and error is None:
            self._finish_body(on_done, status)
        else:
            on_done(status, None, None, error)

    def _fail(self, kind: str) -> None:
        self.is_open = False
        if self._transport is not None:
            self._transport.abort()
        self._finish(0, kind)

    def abort(self, kind: str) -> None:
        self._fail(kind)

    def close(self) -> None:
        self.is_open = False
        self._on_done = None
        if self._transport is not None:
            self._transport.close()


class HttpTransport:
    """Real HTTP/1.1 (optionally TLS) connections to ``target``."""

    def __init__(self, target: Target, connect_timeout_s: float) -> None:
        self._target = target
        self._timeout = connect_timeout_s
        self.received_bytes = 0
        self._ssl: ssl.SSLContext | None = None
        if target.scheme == "https":
            ctx = ssl.create_default_context()
            if not target.verify_tls:
                ctx.check_hostname = False
                ctx.verify_mode = ssl.CERT_NONE
            self._ssl = ctx

    @classmethod
    def detached(cls) -> HttpTransport:
        """A transport object that only counts bytes (for a connection made by hand)."""
        return cls(Target("http", "127.0.0.1", 80), 1.0)

    async def connect(self) -> Connection:
        loop = asyncio.get_running_loop()
        target = self._target
        try:
            async with asyncio.timeout(self._timeout):
                _, protocol = await loop.create_connection(
                    lambda: _HttpConnection(self),
                    target.host,
                    target.port,
                    ssl=self._ssl,
                    server_hostname=target.host if self._ssl else None,
                )
        except ConnectionRefusedError as exc:
            raise TransportError(CONNECT_REFUSED, f"connection refused by {target.authority}") from exc
        except TimeoutError as exc:
            raise TransportError(
                TIMEOUT, f"no connection to {target.authority} within {self._timeout:g}s"
            ) from exc
        except socket.gaierror as exc:
            raise TransportError(CONNECT_ERROR, f"cannot resolve host {target.host!r}") from exc
        except ssl.SSLError as exc:
            raise TransportError(
                CONNECT_ERROR, f"TLS handshake with {target.authority} failed: {exc}"
            ) from exc
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise TransportError(CONNECT_ERROR, f"cannot connect to {target.authority}: {reason}") from exc
        assert isinstance(protocol, _HttpConnection)
        return protocol


class MockResponse:
    """What :class:`MockTransport`'s handler returns: a status, body and headers, or an error kind."""

    __slots__ = ("body", "error", "headers", "status")

    def __init__(
        self,
        status: int = 200,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
        error: str | None = None,
    ) -> None:
        self.status = status
        self.body = body
        self.headers = headers or {}
        self.error = error


class _MockConnection:
    def __init__(self, owner: MockTransport) -> None:
        self._owner = owner
        self.is_open = True
        self._handle: asyncio.Handle | None = None
        self._on_done: OnDone | None = None

    @property
    def busy(self) -> bool:
        return self._on_done is not None

    def send(self, data: bytes, want_body: bool, on_done: OnDone) -> None:
        response = self._owner.handler(data)
        self._owner.received_bytes += len(response.body)
        loop = asyncio.get_running_loop()
        self._on_done = on_done

        def complete() -> None:
            self._handle = None
            self._on_done = None
            if response.error is not None:
                self.is_open = False
                on_done(0, None, None, response.error)
            elif want_body:
                on_done(response.status, response.body, dict(response.headers), None)
            else:
                on_done(response.status, None, None, None)

        if self._owner.delay_s > 0:
            self._handle = loop.call_later(self._owner.delay_s, complete)
        else:
            self._handle = loop.call_soon(complete)

    def abort(self, kind: str) -> None:
        on_done = self._on_done
        self.close()
        if on_done is not None:
            on_done(0, None, None, kind)

    def close(self) -> None:
        self.is_open = False
        self._on_done = None
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None


class MockTransport:
    """In-memory transport: ``handler(raw_request) -> MockResponse``, answered on the next loop turn.

    ``refuse=True`` makes every connect fail as refused. ``connects`` counts connections opened.
    """

    def __init__(
        self, handler: Callable[[bytes], MockResponse], delay_s: float = 0.0, refuse: bool = False
    ) -> None:
        self.handler = handler
        self.delay_s = delay_s
        self.refuse = refuse
        self.connects = 0
        self.received_bytes = 0

    async def connect(self) -> Connection:
        if self.refuse:
            raise TransportError(CONNECT_REFUSED, "connection refused by mock")
        self.connects += 1
        return _MockConnection(self)
