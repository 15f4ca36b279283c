"""SIGTERM under load: an app that exits at once fails its in-flight requests; one that drains
them does not."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from scalescope.audit.app import AppProcess, free_port, wait_healthy
from scalescope.audit.shutdown import sigterm_under_load

SLOW_SERVER = """
import http.server, os, signal, sys, threading, time
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        time.sleep(0.4)
        body = b"x" * 1000
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
class S(http.server.ThreadingHTTPServer):
    daemon_threads = False  # server_close() waits for requests in progress
server = S(("127.0.0.1", int(sys.argv[1])), H)
if os.environ.get("GRACEFUL"):
    def stop(*_):  # keep accepting briefly (what a preStop delay does), then drain and exit
        threading.Timer(1.0, server.shutdown).start()
    signal.signal(signal.SIGTERM, stop)
server.serve_forever()
server.server_close()
"""


def _run(tmp_path: Path, graceful: bool) -> object:
    (tmp_path / "slow.py").write_text(SLOW_SERVER, encoding="utf-8")
    env = {"GRACEFUL": "1"} if graceful else {}
    app = AppProcess(
        f"{sys.executable} slow.py {{port}}",
        cwd=tmp_path,
        port=free_port(),
        env=env,
        log_path=tmp_path / "app.log",
    )
    app.start()
    try:
        wait_healthy(f"http://127.0.0.1:{app.port}/", timeout_s=20, app=app)
        pid = app.pid
        assert pid is not None
        return sigterm_under_load(
            "127.0.0.1",
            app.port,
            "/",
            send_sigterm=lambda: os.killpg(pid, signal.SIGTERM),
            exit_code=app.exit_code,
            kill=lambda: os.killpg(pid, signal.SIGKILL),
            connections=8,
            warm_s=0.7,
            grace_s=5,
            timeout_s=5,
        )
    finally:
        app.stop(grace_s=2)


def test_abrupt_exit_fails_in_flight_requests(tmp_path: Path) -> None:
    result = _run(tmp_path, graceful=False)
    assert result.in_flight >= 4  # type: ignore[attr-defined]
    assert result.failed == result.in_flight  # type: ignore[attr-defined]
    assert result.exit_seconds is not None and not result.killed  # type: ignore[attr-defined]


def test_graceful_app_completes_in_flight_requests(tmp_path: Path) -> None:
    result = _run(tmp_path, graceful=True)
    assert result.in_flight >= 4  # type: ignore[attr-defined]
    assert result.failed == 0 and result.completed == result.in_flight  # type: ignore[attr-defined]
    assert result.exit_code == 0  # type: ignore[attr-defined]
