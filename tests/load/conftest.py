"""Fixtures: test servers started on 127.0.0.1 in subprocesses, and a CLI runner."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

SERVER = Path(__file__).with_name("servers.py")


def start_server(*args: str) -> tuple[subprocess.Popen[str], int]:
    """Start ``servers.py`` and return the process and its port."""
    proc = subprocess.Popen([sys.executable, str(SERVER), *args], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    port = int(proc.stdout.readline())
    return proc, port


def stop_server(proc: subprocess.Popen[str]) -> None:
    """Terminate a server started by :func:`start_server`."""
    proc.terminate()
    proc.wait(timeout=5)
    if proc.stdout is not None:
        proc.stdout.close()


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    """Base URL of a plain test server shared by the session."""
    proc, port = start_server()
    yield f"http://127.0.0.1:{port}"
    stop_server(proc)


@pytest.fixture
def run_cli() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run ``scalescope load ...`` in a subprocess."""

    def run(*args: str, timeout: float = 30.0) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "scalescope.cli", "load", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    return run
