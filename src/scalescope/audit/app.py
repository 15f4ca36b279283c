"""Starting, watching and stopping the app under audit.

The app runs in its own process group (``start_new_session``), so stopping it reaches every
process it forked (a gunicorn master and its workers, ``npm start`` and node). Its output goes
to a log file whose tail the report quotes when something goes wrong. ``stop`` sends SIGTERM to
the group, waits a grace period, then SIGKILLs whatever is left, and always reaps: no process
of the app outlives the audit.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import psutil

__all__ = ["AppError", "AppProcess", "free_port", "http_get_status", "wait_healthy"]


class AppError(RuntimeError):
    """The app could not be started or never became healthy; ``log_tail`` says why."""

    def __init__(self, message: str, log_tail: str = "", exit_code: int | None = None) -> None:
        super().__init__(message)
        self.log_tail = log_tail
        self.exit_code = exit_code


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nothing listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


@dataclass
class StopOutcome:
    signal_sent: str  # SIGTERM | SIGKILL | none (already gone)
    exit_code: int | None
    seconds_to_exit: float
    killed: bool  # SIGKILL was needed: SIGTERM was ignored for the whole grace period


class AppProcess:
    """One running instance of the app (see the module docstring)."""

    def __init__(
        self,
        command: str,
        *,
        cwd: Path,
        port: int,
        env: Mapping[str, str] | None = None,
        log_path: Path,
    ) -> None:
        self.command = command.replace("{port}", str(port))
        self.cwd = cwd
        self.port = port
        self.log_path = log_path
        self._env = {**os.environ, "PORT": str(port), **(env or {})}
        self._proc: subprocess.Popen[bytes] | None = None
        self._log: BinaryIO | None = None
        self.started_at = 0.0

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self._log = log
        try:
            args = shlex.split(self.command)
        except ValueError as exc:
            log.close()
            raise AppError(f"cannot parse the start command: {exc}") from exc
        if not args:
            log.close()
            raise AppError("the start command is empty")
        try:
            self._proc = subprocess.Popen(
                args,
                cwd=self.cwd,
                env=self._env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        except OSError as exc:
            log.close()
            raise AppError(f"cannot start {args[0]!r}: {exc.strerror or exc}") from exc
        self.started_at = time.monotonic()

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def exit_code(self) -> int | None:
        """The exit status if the app has exited (negative = killed by that signal), else None."""
        if self._proc is None:
            return None
        return self._proc.poll()

    def alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def stop(self, grace_s: float = 10.0, sig: int = signal.SIGTERM) -> StopOutcome:
        """SIGTERM (or ``sig``) to the process group, SIGKILL after ``grace_s``; always reaps."""
        proc = self._proc
        if proc is None:
            return StopOutcome("none", None, 0.0, False)
        started = time.monotonic()
        if proc.poll() is not None:
            self._kill_group(signal.SIGKILL)  # children it left behind, if any
            self._close_log()
            return StopOutcome("none", proc.returncode, 0.0, False)
        try:
            descendants = psutil.Process(proc.pid).children(recursive=True)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            descendants = []
        self._kill_group(sig)
        killed = False
        try:
            proc.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            killed = True
            self._kill_group(signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=5.0)
        self._kill_group(signal.SIGKILL)  # workers that outlived their master
        psutil.wait_procs(descendants, timeout=3.0)
        self._close_log()
        return StopOutcome(
            "SIGKILL" if killed else signal.Signals(sig).name,
            proc.returncode,
            time.monotonic() - started,
            killed,
        )

    def _kill_group(self, sig: int) -> None:
        if self._proc is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self._proc.pid, sig)

    def _close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None

    # ------------------------------------------------------------------ logs

    def log_tail(self, lines: int = 30, max_chars: int = 4000) -> str:
        """The last lines the app printed (for error messages and the report)."""
        try:
            data = self.log_path.read_bytes()[-max_chars * 2 :]
        except OSError:
            return ""
        text = data.decode("utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])[-max_chars:]


def http_get_status(url: str, timeout_s: float = 2.0) -> int | None:
    """Status of a GET, or None when nothing answered (refused, reset, timeout)."""
    request = urllib.request.Request(url, headers={"User-Agent": "scalescope-audit"})
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except (urllib.error.URLError, OSError, ValueError):
        return None


def wait_healthy(
    url: str,
    *,
    timeout_s: float,
    app: AppProcess | None = None,
    poll_s: float = 0.2,
    sleep: Callable[[float], None] = time.sleep,
) -> float:
    """Wait until ``url`` answers with a status below 500; returns the seconds it took.

    Raises :class:`AppError` with the log tail when the app exits first or the time runs out.
    """
    started = time.monotonic()
    last: int | None = None
    while True:
        if app is not None and not app.alive():
            code = app.exit_code()
            raise AppError(
                f"the app exited with status {code} before it answered {url}",
                app.log_tail(),
                code,
            )
        last = http_get_status(url, timeout_s=min(2.0, max(timeout_s, 0.1)))
        if last is not None and last < 500:
            return time.monotonic() - started
        if time.monotonic() - started > timeout_s:
            said = f"it answered {last}" if last is not None else "nothing answered"
            raise AppError(
                f"the app did not become healthy within {timeout_s:g} s ({url}: {said})",
                app.log_tail() if app is not None else "",
            )
        sleep(poll_s)
