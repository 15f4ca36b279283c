"""End to end: the CLI in a subprocess against test servers on 127.0.0.1 (each run <= ~2 s)."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.load.conftest import start_server, stop_server

Run = Callable[..., subprocess.CompletedProcess[str]]


def test_json_result_shape(server_url: str, run_cli: Run) -> None:
    proc = run_cli(f"{server_url}/", "-d", "1s", "-c", "4", "--workers", "2", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["schema_version"] == 1
    summary = result["summary"]
    for key in ("requests", "duration_s", "rps", "errors", "latency_ms"):
        assert key in summary
    assert set(summary["latency_ms"]) >= {"p50", "p90", "p95", "p99", "p999", "max"}
    assert summary["requests"] > 50 and summary["errors"] == {}
    assert result["config"]["workers"] == 2
    assert list(result["by_name"]) == ["GET /"]
    assert result["series"] and {"second", "requests", "latency_ms", "histogram"} <= set(result["series"][0])
    assert sum(p["requests"] for p in result["series"]) == summary["requests"]


def test_terminal_output_and_thresholds_set_exit_status(server_url: str, run_cli: Run) -> None:
    ok = run_cli(f"{server_url}/", "-n", "200", "-c", "2", "--workers", "1", "--threshold", "p99 < 5s")
    assert ok.returncode == 0, ok.stderr
    assert "p99 ms" in ok.stdout and "✓ p99 < 5,000 ms  actual " in ok.stdout
    bad = run_cli(
        f"{server_url}/status/500", "-n", "50", "-c", "2", "--workers", "1", "--threshold", "error_rate < 1%"
    )
    assert bad.returncode == 1
    assert "http 5xx: 50" in bad.stdout and "✗" in bad.stdout


def test_unreachable_target_is_plain_fast_and_exits_1(run_cli: Run) -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    started = time.monotonic()
    proc = run_cli(f"http://127.0.0.1:{port}/", "-d", "5s")
    assert time.monotonic() - started < 5
    assert proc.returncode == 1
    assert "Cannot reach http://127.0.0.1:" in proc.stderr and "refused" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_usage_errors_exit_2(run_cli: Run, tmp_path: Path) -> None:
    assert run_cli("http://127.0.0.1:1/", "-d", "soon").returncode == 2
    bad = tmp_path / "bad.yaml"
    bad.write_text("base_url: http://127.0.0.1:1\nrequests: [{path: nope}]\n")
    proc = run_cli(str(bad))
    assert proc.returncode == 2 and "start with /" in proc.stderr and "Traceback" not in proc.stderr


def test_scenario_with_setup_capture_checks_and_data(server_url: str, run_cli: Run, tmp_path: Path) -> None:
    (tmp_path / "ids.json").write_text(json.dumps([{"code": "404"}, {"code": "200"}]))
    (tmp_path / "s.yaml").write_text(
        f"""
base_url: {server_url}
connections: 2
workers: 1
requests_limit: 200
data: ids.json
setup:
  - name: login
    method: POST
    path: /login
    json: {{user: a}}
    capture: {{token: {{json: $.token}}}}
requests:
  - name: auth
    path: /auth
    headers: {{Authorization: "Bearer {{{{token}}}}"}}
    checks: [{{status: 200}}, {{contains: ok}}]
  - name: status
    path: /status/{{{{code}}}}
thresholds: ["p95[auth] < 5s"]
max_error_rate: 100%                    # the 404s are deliberate
"""
    )
    out = tmp_path / "r.json"
    proc = run_cli(str(tmp_path / "s.yaml"), "--output", str(out))
    assert proc.returncode == 0, proc.stderr + proc.stdout
    result = json.loads(out.read_text())
    assert result["captured"] == ["token"]
    assert result["by_name"]["auth"]["errors"] == {}
    status = result["by_name"]["status"]
    # Data rows alternate 404 and 200, so about half of this name's requests are 4xx.
    assert 0.3 < status["errors"]["http_4xx"] / status["requests"] < 0.7
    assert status["status_codes"]["404"] == status["errors"]["http_4xx"]
    assert status["status_codes"]["200"] + status["status_codes"]["404"] == status["requests"]
    assert result["summary"]["requests"] == 200


def test_sigint_keeps_the_partial_result(server_url: str, tmp_path: Path) -> None:
    out = tmp_path / "partial.json"
    proc = subprocess.Popen(
        [sys.executable, "-m", "scalescope.cli", "load", f"{server_url}/", "-d", "60s", "-c", "2",
         "--workers", "2", "--output", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    time.sleep(1.8)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=15)
    assert proc.returncode == 130, stderr  # non-zero: the run did not complete
    assert "Traceback" not in stderr
    assert "interrupted" in stdout
    result = json.loads(out.read_text())
    assert result["interrupted"] is True
    assert result["summary"]["requests"] > 0
    assert result["summary"]["duration_s"] < 10


def _p99(result: dict[str, object]) -> float:
    summary = result["summary"]
    assert isinstance(summary, dict)
    return float(summary["latency_ms"]["p99"])


def test_stall_is_charged_to_every_delayed_request_in_the_open_model(run_cli: Run) -> None:
    """A server that freezes for F = 200 ms every P = 1 s.

    Open model at a constant rate R: requests are due uniformly in time, so a fraction F/P of them
    fall inside a freeze, and one due u seconds into the freeze waits F - u. Latency from the
    intended send time therefore exceeds x (0 < x < F) for a fraction (F - x)/P of all requests,
    and the p99 is x = F - 0.01 P = 190 ms (the run covers whole periods, so this does not depend
    on the phase). A closed loop with 2 connections sees only 2 slow requests per freeze.
    """
    freeze, period = 0.2, 1.0
    expected_ms = (freeze - 0.01 * period) * 1000.0
    server, port = start_server("--freeze", str(freeze), "--every", str(period))
    try:
        url = f"http://127.0.0.1:{port}/"
        open_run = run_cli(
            url, "--rate", "400", "-d", "2s", "-c", "100", "--workers", "1", "--format", "json"
        )
        closed_run = run_cli(url, "-c", "2", "-d", "2s", "--workers", "1", "--format", "json")
    finally:
        stop_server(server)
    assert open_run.returncode == 0, open_run.stderr
    open_result = json.loads(open_run.stdout)
    closed_result = json.loads(closed_run.stdout)
    assert open_result["summary"]["dropped"] == 0
    assert abs(_p99(open_result) - expected_ms) < 50, _p99(open_result)
    assert _p99(closed_result) < _p99(open_result) / 2


def test_all_5xx_without_thresholds_fails_loudly_unless_the_budget_is_raised(
    server_url: str, run_cli: Run
) -> None:
    bad = run_cli(f"{server_url}/status/500", "-n", "50", "-c", "2", "--workers", "1")
    assert bad.returncode == 1
    assert "warning: error budget exceeded: 100% of requests failed" in bad.stdout
    assert "status codes: 500: 50" in bad.stdout
    allowed = run_cli(
        f"{server_url}/status/500", "-n", "50", "-c", "2", "--workers", "1", "--max-error-rate", "100%"
    )
    assert allowed.returncode == 0, allowed.stdout


def test_output_creates_folders_and_json_to_a_file_prints_one_line(
    server_url: str, run_cli: Run, tmp_path: Path
) -> None:
    out = tmp_path / "new" / "deeper" / "r.json"
    proc = run_cli(
        f"{server_url}/", "-n", "50", "-c", "2", "--workers", "1", "--format", "json", "-o", str(out)
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(out.read_text())["summary"]["requests"] == 50
    assert proc.stdout.count("\n") == 1 and "50 requests" in proc.stdout and str(out) in proc.stdout


def test_duration_with_stages_is_a_usage_error(run_cli: Run, tmp_path: Path) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        "base_url: http://127.0.0.1:1\nmodel: open\n"
        "stages: [{duration: 5s, target: 10}]\nrequests: [{path: /}]\n"
    )
    proc = run_cli(str(scenario), "-d", "1s")
    assert proc.returncode == 2 and "stages" in proc.stderr and "Traceback" not in proc.stderr


def test_a_killed_worker_ends_the_run_with_a_partial_result(server_url: str, tmp_path: Path) -> None:
    import psutil

    out = tmp_path / "r.json"
    proc = subprocess.Popen(
        [sys.executable, "-m", "scalescope.cli", "load", f"{server_url}/", "-d", "60s", "-c", "2",
         "--workers", "2", "--format", "json", "--output", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        children: list[psutil.Process] = []
        for _ in range(100):  # until both workers run (bounded)
            children = [
                c
                for c in psutil.Process(proc.pid).children()
                if "resource_tracker" not in " ".join(c.cmdline())
            ]
            if len(children) >= 2:
                break
            time.sleep(0.1)
        time.sleep(1.5)
        victim = max(children, key=lambda c: c.pid)
        victim.send_signal(signal.SIGKILL)
        _, stderr = proc.communicate(timeout=20)  # not the run's 60 s
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 1, stderr
    result = json.loads(out.read_text())
    assert len(result["lost_workers"]) == 1
    assert any("died during the run, killed by SIGKILL after sending" in w for w in result["warnings"])
    assert result["summary"]["requests"] > 0
