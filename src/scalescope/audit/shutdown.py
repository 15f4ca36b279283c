"""SIGTERM under load: what happens to the requests in flight when the app is told to stop.

Orchestrators (Kubernetes, ECS, systemd, a deploy script) stop an instance with SIGTERM, then
SIGKILL after a grace period. An app that exits at once on SIGTERM fails every request it was
serving at that moment: each deploy and each scale-in shows up as errors. This probe keeps
``connections`` clients sending requests (one request per connection, so each one's fate is
unambiguous), sends SIGTERM to the app's process group while requests are in flight, and counts
what happened to those: completed (a full response), failed (reset, or closed before a full
response, or a 5xx). Requests sent after the signal are counted apart: refusing them is
correct behaviour during a shutdown.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["ShutdownResult", "sigterm_under_load"]


@dataclass(frozen=True, slots=True)
class ShutdownResult:
    in_flight: int  # requests sent before SIGTERM and not finished when it was sent
    completed: int  # of those, answered in full
    failed: int  # of those, reset / cut off / 5xx
    after_signal_sent: int
    after_signal_refused: int
    exit_seconds: float | None  # from SIGTERM to the process exiting; None = it did not exit
    killed: bool  # SIGKILL was needed after the grace period
    exit_code: int | None

    def as_dict(self) -> dict[str, object]:
        return {
            "in_flight": self.in_flight,
            "completed": self.completed,
            "failed": self.failed,
            "after_signal_sent": self.after_signal_sent,
            "after_signal_refused": self.after_signal_refused,
            "exit_seconds": None if self.exit_seconds is None else round(self.exit_seconds, 2),
            "killed": self.killed,
            "exit_code": self.exit_code,
        }


@dataclass
class _Request:
    start: float
    end: float = 0.0
    ok: bool = False


async def _one(host: str, port: int, path: str, timeout_s: float) -> bool:
    """One GET on a fresh connection: True when a full non-5xx response arrived."""
    writer = None
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout_s)
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n"
            "User-Agent: scalescope-audit\r\n\r\n".encode("ascii")
        )
        await writer.drain()
        data = await asyncio.wait_for(reader.read(-1), timeout_s)
    except (TimeoutError, OSError, asyncio.IncompleteReadError):
        return False
    finally:
        if writer is not None:
            writer.close()
            with contextlib.suppress(OSError, asyncio.TimeoutError):
                await asyncio.wait_for(writer.wait_closed(), 1.0)
    head, sep, body = data.partition(b"\r\n\r\n")
    if not sep or not head.startswith(b"HTTP/1."):
        return False
    try:
        status = int(head.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return False
    headers = {
        k.strip().lower(): v.strip() for k, _, v in (line.partition(b":") for line in head.split(b"\r\n")[1:])
    }
    length = headers.get(b"content-length")
    if length is not None and length.isdigit() and len(body) < int(length):
        return False  # cut off mid-body
    if headers.get(b"transfer-encoding", b"").lower() == b"chunked" and not body.endswith(b"0\r\n\r\n"):
        return False
    return status < 500


def sigterm_under_load(
    host: str,
    port: int,
    path: str,
    *,
    send_sigterm: Callable[[], None],
    exit_code: Callable[[], int | None],
    kill: Callable[[], None],
    connections: int = 16,
    warm_s: float = 1.0,
    grace_s: float = 10.0,
    timeout_s: float = 10.0,
) -> ShutdownResult:
    """Run the probe (see the module docstring). ``send_sigterm`` signals the app's group,
    ``exit_code`` polls it, ``kill`` SIGKILLs it when the grace period runs out."""
    return asyncio.run(
        _probe(host, port, path, send_sigterm, exit_code, kill, connections, warm_s, grace_s, timeout_s)
    )


async def _probe(
    host: str,
    port: int,
    path: str,
    send_sigterm: Callable[[], None],
    exit_code: Callable[[], int | None],
    kill: Callable[[], None],
    connections: int,
    warm_s: float,
    grace_s: float,
    timeout_s: float,
) -> ShutdownResult:
    requests: list[_Request] = []
    stop_at = [float("inf")]

    async def client() -> None:
        while time.monotonic() < stop_at[0]:
            req = _Request(time.monotonic())
            requests.append(req)
            req.ok = await _one(host, port, path, timeout_s)
            req.end = time.monotonic()
            if not req.ok and time.monotonic() > signal_at[0]:
                await asyncio.sleep(0.05)  # the app is going away: don't spin on refusals

    signal_at = [float("inf")]
    tasks = [asyncio.create_task(client()) for _ in range(connections)]
    await asyncio.sleep(warm_s)
    signal_at[0] = time.monotonic()
    send_sigterm()
    exited_at: float | None = None
    killed = False
    deadline = signal_at[0] + grace_s
    while time.monotonic() < deadline:
        if exit_code() is not None:
            exited_at = time.monotonic()
            break
        await asyncio.sleep(0.05)
    if exited_at is None:
        killed = True
        kill()
        for _ in range(100):
            if exit_code() is not None:
                break
            await asyncio.sleep(0.05)
    stop_at[0] = time.monotonic()
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), timeout_s + 2)
    for task in tasks:
        task.cancel()
    t_sig = signal_at[0]
    in_flight = [r for r in requests if r.start < t_sig and (r.end == 0.0 or r.end > t_sig)]
    after = [r for r in requests if r.start >= t_sig]
    return ShutdownResult(
        in_flight=len(in_flight),
        completed=sum(1 for r in in_flight if r.ok),
        failed=sum(1 for r in in_flight if not r.ok),
        after_signal_sent=len(after),
        after_signal_refused=sum(1 for r in after if not r.ok),
        exit_seconds=None if exited_at is None else exited_at - t_sig,
        killed=killed,
        exit_code=exit_code(),
    )
