"""Starting, health-waiting and stopping an app: every failure ends in a plain error with the
log tail, and no process of the app is left running."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import psutil
import pytest

from scalescope.audit.app import AppError, AppProcess, free_port, http_get_status, wait_healthy
from scalescope.audit.sampler import ProcessSampler

PY = sys.executable

SERVER = """
import http.server, os, signal, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"ok"
        self.send_response(200 if self.path != "/broken" else 503)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
if os.environ.get("IGNORE_TERM"):
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
print("listening on", sys.argv[1], flush=True)
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
"""


def _app(tmp_path: Path, command: str, **env: str) -> AppProcess:
    (tmp_path / "server.py").write_text(SERVER, encoding="utf-8")
    log = tmp_path / "logs" / "app.log"
    return AppProcess(command, cwd=tmp_path, port=free_port(), env=env, log_path=log)


def _gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def test_start_health_sample_and_stop(tmp_path: Path) -> None:
    app = _app(tmp_path, f"{PY} server.py {{port}}")
    app.start()
    try:
        waited = wait_healthy(f"http://127.0.0.1:{app.port}/", timeout_s=20, app=app)
        assert waited >= 0
        sampler = ProcessSampler(app.pid or 0, interval_s=0.05)
        sampler.start()
        t0 = time.monotonic()
        for _ in range(30):
            assert http_get_status(f"http://127.0.0.1:{app.port}/x") == 200
        time.sleep(0.3)
        sampler.stop()
        window = sampler.window(t0, time.monotonic())
        assert window is not None and window.samples >= 2 and window.rss_max > 1
        assert "listening on" in app.log_tail()
    finally:
        outcome = app.stop(grace_s=5)
    assert outcome.signal_sent == "SIGTERM" and not outcome.killed
    assert app.pid is not None and _gone(app.pid)


def test_sigterm_ignored_ends_in_sigkill(tmp_path: Path) -> None:
    app = _app(tmp_path, f"{PY} server.py {{port}}", IGNORE_TERM="1")
    app.start()
    wait_healthy(f"http://127.0.0.1:{app.port}/", timeout_s=20, app=app)
    outcome = app.stop(grace_s=0.5)
    assert outcome.killed and outcome.signal_sent == "SIGKILL"
    assert app.pid is not None and _gone(app.pid)


def test_children_of_the_app_are_stopped_too(tmp_path: Path) -> None:
    app = _app(tmp_path, f"sh -c '{PY} server.py {{port}} & wait'")
    app.start()
    wait_healthy(f"http://127.0.0.1:{app.port}/", timeout_s=20, app=app)
    assert app.pid is not None
    children = [p.pid for p in psutil.Process(app.pid).children(recursive=True)]
    assert children
    app.stop(grace_s=5)
    assert all(_gone(pid) for pid in children)


def test_app_that_exits_at_start(tmp_path: Path) -> None:
    app = _app(tmp_path, f"{PY} -c \"import sys; print('missing DATABASE_URL'); sys.exit(3)\"")
    app.start()
    with pytest.raises(AppError) as info:
        wait_healthy(f"http://127.0.0.1:{app.port}/", timeout_s=20, app=app)
    assert "exited with status 3" in str(info.value)
    assert "missing DATABASE_URL" in info.value.log_tail
    app.stop()


def test_never_healthy(tmp_path: Path) -> None:
    app = _app(tmp_path, f"{PY} server.py {{port}}")
    app.start()
    try:
        with pytest.raises(AppError) as info:
            wait_healthy(f"http://127.0.0.1:{app.port}/broken", timeout_s=1.5, app=app)
        assert "did not become healthy within 1.5 s" in str(info.value) and "answered 503" in str(info.value)
    finally:
        app.stop(grace_s=5)


def test_command_that_cannot_start(tmp_path: Path) -> None:
    app = _app(tmp_path, "/nonexistent/bin/app --port {port}")
    with pytest.raises(AppError, match="cannot start '/nonexistent/bin/app'"):
        app.start()
    with pytest.raises(AppError, match="cannot parse"):
        _app(tmp_path, "python 'unclosed").start()
