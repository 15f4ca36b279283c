"""Before the run: check the target answers, then run the scenario's setup requests once.

Setup runs in the parent, once; captured values (e.g. a login token) become plain variables in the
config, so workers receive constants and pre-encode requests that use them.
"""

from __future__ import annotations

import asyncio

from scalescope.load.checks import capture_values, run_checks
from scalescope.load.config import LoadConfig
from scalescope.load.request import PreparedRequest
from scalescope.load.transport import HttpTransport, Transport, TransportError

__all__ = ["SetupError", "probe", "run_setup", "send_once"]


class SetupError(RuntimeError):
    """The setup phase failed; the message says which request and why, in plain words."""


async def send_once(
    transport: Transport, data: bytes, want_body: bool, timeout_s: float
) -> tuple[int, bytes | None, dict[str, str] | None]:
    """Send one request on a fresh connection and wait for the response (not for the hot path)."""
    conn = await transport.connect()
    loop = asyncio.get_running_loop()
    done: asyncio.Future[tuple[int, bytes | None, dict[str, str] | None]] = loop.create_future()

    def on_done(status: int, body: bytes | None, headers: dict[str, str] | None, err: str | None) -> None:
        if done.done():
            return
        if err is not None:
            done.set_exception(TransportError(err, f"request failed: {err.replace('_', ' ')}"))
        else:
            done.set_result((status, body, headers))

    try:
        conn.send(data, want_body, on_done)
        async with asyncio.timeout(timeout_s):
            return await done
    except TimeoutError as exc:
        raise TransportError("timeout", f"no response within {timeout_s:g}s") from exc
    finally:
        conn.close()


async def probe(config: LoadConfig, transport: Transport | None = None) -> None:
    """Open one connection to the target; raises :class:`TransportError` with a plain message."""
    transport = transport or HttpTransport(config.target, config.connect_timeout_s)
    conn = await transport.connect()
    conn.close()


async def run_setup(config: LoadConfig, transport: Transport | None = None) -> dict[str, str]:
    """Run setup requests in order; return the variables they captured."""
    transport = transport or HttpTransport(config.target, config.connect_timeout_s)
    values = dict(config.variables)
    captured: dict[str, str] = {}
    for spec in config.setup:
        request = PreparedRequest(spec, config.target, config.default_headers, values, frozenset())
        try:
            status, body, headers = await send_once(
                transport, request.encode({}), want_body=True, timeout_s=config.timeout_s
            )
        except TransportError as exc:
            raise SetupError(f"setup request {spec.name!r}: {exc}") from exc
        if spec.checks:
            if not run_checks(spec.checks, status, body):
                raise SetupError(f"setup request {spec.name!r}: a check failed (HTTP {status})")
        elif status >= 400:
            raise SetupError(f"setup request {spec.name!r} answered HTTP {status}")
        try:
            got = capture_values(spec.captures, body, headers)
        except LookupError as exc:
            raise SetupError(f"setup request {spec.name!r}: cannot capture: {exc}") from exc
        values.update(got)
        captured.update(got)
    return captured
