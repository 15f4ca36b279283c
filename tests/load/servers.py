"""A tiny HTTP/1.1 test server on 127.0.0.1 (run as a subprocess; prints its port on stdout).

Routes: ``/`` 200 "ok"; ``/json`` a JSON object; ``/login`` (POST) returns a token and an
``X-Session`` header; ``/auth`` 200 only with ``Authorization: Bearer t0k3n`` else 401;
``/status/NNN`` answers NNN; ``/close`` answers then closes. ``--freeze S --every P`` blocks the
event loop for S seconds every P seconds (a stop-the-world stall).
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
        self.transport.write(out)


async def _main(args: argparse.Namespace) -> None:
    loop = asyncio.get_running_loop()
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
    try:
        asyncio.run(_main(parser.parse_args()))
    except KeyboardInterrupt:
        sys.exit(0)
