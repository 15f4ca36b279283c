"""A tiny HTTP/1.1 test server on 127.0.0.1 (run as a subprocess; prints its port on stdout).

Routes: ``/`` 200 "ok"; ``/json`` a JSON object; ``/login`` (POST) returns a token and an
``X-Session`` header; ``/auth`` 200 only with ``Authorization: Bearer t0k3n`` else 401;
``/status/NNN`` answers NNN; ``/close`` answers then closes. ``--freeze S --every P`` blocks the
event loop for S seconds every P seconds (a stop-the-world stall). ``--capacity R`` makes the server
answer at most R requests per second in all (one queue, one answer every 1/R s): a target of known
capacity.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time

_JSON = json.dumps({"id": 7, "name": "widget", "tags": ["a", "b"]}).encode()


def _response(status: int, body: bytes, extra: str = "", close: bool = False) -> bytes:
    head = f"HTTP/1.1 {status} X\r\nContent-Length: {len(body)}\r\n{extra}"
    if close:
        head += "Connection: close\r\n"
    return (head + "\r\n").encode() + body


class _Capacity:
    """One queue for the whole server, released at ``rate`` answers per second."""

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate
        self.queue: list[tuple[asyncio.Transport, bytes]] = []
        self.next_free = 0.0
        self.armed = False

    def submit(self, transport: asyncio.Transport, out: bytes) -> None:
        self.queue.append((transport, out))
        if not self.armed:
            self.armed = True
            loop = asyncio.get_running_loop()
            loop.call_at(max(loop.time(), self.next_free), self.release)

    def release(self) -> None:
        loop = asyncio.get_running_loop()
        now = loop.time()
        self.next_free = max(self.next_free, now - self.interval)
        while self.queue and self.next_free <= now:
            transport, out = self.queue.pop(0)
            if not transport.is_closing():
                transport.write(out)
            self.next_free += self.interval
        if self.queue:
            loop.call_at(self.next_free, self.release)
        else:
            self.armed = False


CAPACITY: _Capacity | None = None


class _Handler(asyncio.Protocol):
    def __init__(self) -> None:
        self.buf = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.buf += data
        while True:
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buf[:end].decode("latin-1")
            length = 0
            for line in head.split("\r\n")[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            if len(self.buf) < end + 4 + length:
                return
            self.buf = self.buf[end + 4 + length :]
            self.respond(head)

    def respond(self, head: str) -> None:
        assert self.transport is not None
        path = head.split(" ", 2)[1]
        if path == "/json":
            out = _response(200, _JSON, "Content-Type: application/json\r\n")
        elif path == "/login":
            out = _response(200, b'{"token": "t0k3n"}', "X-Session: s3ss\r\n")
        elif path == "/auth":
            ok = "authorization: bearer t0k3n" in head.lower()
            out = _response(200 if ok else 401, b"ok" if ok else b"no")
        elif path.startswith("/status/"):
            out = _response(int(path.rsplit("/", 1)[1]), b"x")
        elif path == "/close":
            self.transport.write(_response(200, b"bye", close=True))
            self.transport.close()
            return
        else:
            out = _response(200, b"ok")
        if CAPACITY is not None:
            CAPACITY.submit(self.transport, out)
            return
        self.transport.write(out)


async def _main(args: argparse.Namespace) -> None:
    global CAPACITY
    loop = asyncio.get_running_loop()
    if args.capacity > 0:
        CAPACITY = _Capacity(args.capacity)
    server = await loop.create_server(_Handler, "127.0.0.1", 0, backlog=1024)
    port = server.sockets[0].getsockname()[1]
    print(port, flush=True)
    if args.freeze > 0:
        t0 = loop.time()

        def freeze(k: int) -> None:
            time.sleep(args.freeze)  # block the whole event loop
            loop.call_at(t0 + (k + 1) * args.every, freeze, k + 1)

        loop.call_at(t0 + args.every, freeze, 1)
    await server.serve_forever()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--freeze", type=float, default=0.0)
    parser.add_argument("--every", type=float, default=1.0)
    parser.add_argument("--capacity", type=float, default=0.0)
    try:
        asyncio.run(_main(parser.parse_args()))
    except KeyboardInterrupt:
        sys.exit(0)
