"""The real httptools transport against the test server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import socket

import pytest

from scalescope.load.config import Target
from scalescope.load.setup import send_once
from scalescope.load.transport import HttpTransport, OnDone, TransportError


def target_of(url: str) -> Target:
    return Target("http", "127.0.0.1", int(url.rsplit(":", 1)[1]))


def raw(path: str) -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode()


def _resolve_with_status(fut: asyncio.Future[int]) -> OnDone:
    def on_done(status: int, body: bytes | None, headers: dict[str, str] | None, err: str | None) -> None:
        fut.set_result(status)

    return on_done


def _resolve_with_outcome(fut: asyncio.Future[tuple[int, bool, str | None]]) -> OnDone:
    """Resolves to (status, whether a body came back, error kind)."""

    def on_done(status: int, body: bytes | None, headers: dict[str, str] | None, err: str | None) -> None:
        fut.set_result((status, body is not None, err))

    return on_done


def test_response_status_body_headers(server_url: str) -> None:
    async def go() -> tuple[int, bytes | None, dict[str, str] | None]:
        return await send_once(HttpTransport(target_of(server_url), 2.0), raw("/login"), True, 5.0)

    status, body, headers = asyncio.run(go())
    assert status == 200 and body == b'{"token": "t0k3n"}'
    assert headers is not None and headers["x-session"] == "s3ss"


def test_keep_alive_reuses_and_close_is_noticed(server_url: str) -> None:
    async def go() -> list[object]:
        conn = await HttpTransport(target_of(server_url), 2.0).connect()
        out: list[object] = []
        for path in ("/", "/status/503", "/close"):
            fut: asyncio.Future[int] = asyncio.get_running_loop().create_future()
            conn.send(raw(path), False, _resolve_with_status(fut))
            out.append(await fut)
        await asyncio.sleep(0.05)
        out.append(conn.is_open)
        conn.close()
        return out

    assert asyncio.run(go()) == [200, 503, 200, False]


def test_refused_port_is_classified() -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()

    async def go() -> None:
        await HttpTransport(Target("http", "127.0.0.1", port), 2.0).connect()

    with pytest.raises(TransportError) as info:
        asyncio.run(go())
    assert info.value.kind == "connect_refused"
    assert "refused" in str(info.value)


def test_garbage_is_a_protocol_error() -> None:
    async def go() -> str | None:
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await reader.readuntil(b"\r\n\r\n")
            writer.write(b"NOT HTTP AT ALL\r\n\r\n")
            await writer.drain()
            await reader.read()  # until the client gives up on us
            writer.close()
            await writer.wait_closed()

        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        conn = await HttpTransport(Target("http", "127.0.0.1", port), 2.0).connect()
        fut: asyncio.Future[str | None] = asyncio.get_running_loop().create_future()
        conn.send(raw("/"), False, lambda s, b, h, e: fut.set_result(e))
        kind = await fut
        await asyncio.sleep(0.05)
        server.close()
        await server.wait_closed()
        return kind

    assert asyncio.run(go()) == "protocol_error"


def test_lean_and_full_parsers_agree(server_url: str) -> None:
    """Status, errors and keep-alive are the same whichever parser reads a response.

    ``want_body=False`` uses the lean parser (end of message only), ``True`` the full one; the
    parser is switched between requests on one connection, as a mixed scenario does.
    """
    paths = ["/", "/json", "/status/503", "/status/404", "/", "/close"]

    async def go(want: list[bool]) -> list[object]:
        conn = await HttpTransport(target_of(server_url), 2.0).connect()
        out: list[object] = []
        for path, want_body in zip(paths, want, strict=True):
            fut: asyncio.Future[tuple[int, bool, str | None]] = asyncio.get_running_loop().create_future()
            conn.send(raw(path), want_body, _resolve_with_outcome(fut))
            assert conn.busy
            status, got_body, err = await fut
            assert not conn.busy
            assert got_body == want_body
            out.append((status, err))
        await asyncio.sleep(0.05)
        out.append(conn.is_open)
        conn.close()
        return out

    lean = asyncio.run(go([False] * 6))
    full = asyncio.run(go([True] * 6))
    mixed = asyncio.run(go([False, True, False, True, True, False]))
    assert lean == full == mixed
    assert lean == [(200, None), (200, None), (503, None), (404, None), (200, None), (200, None), False]
