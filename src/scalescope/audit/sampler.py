"""CPU and memory of the app's process tree, sampled in the background with psutil.

A sample sums CPU (percent of one core, so a 2-worker app can show up to 200 %) and RSS over
the root process and all its descendants at that moment; children that come and go are
picked up at the next sample. ``window(start, end)`` summarises the samples of one load step,
so every step of the report says how busy the app was and which resource saturated.
"""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass

import psutil

__all__ = ["ProcessSampler", "Sample", "WindowStats"]


@dataclass(frozen=True, slots=True)
class Sample:
    t: float  # monotonic seconds
    cpu_percent: float
    rss_mib: float
    processes: int


@dataclass(frozen=True, slots=True)
class WindowStats:
    samples: int
    cpu_mean: float
    cpu_max: float
    rss_start: float
    rss_end: float
    rss_max: float

    @property
    def rss_growth_mib(self) -> float:
        return self.rss_end - self.rss_start


class ProcessSampler:
    """Samples ``pid`` and its descendants every ``interval_s`` until stopped."""

    def __init__(self, pid: int, interval_s: float = 0.5) -> None:
        self.pid = pid
        self.interval_s = interval_s
        self.samples: list[Sample] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._procs: dict[int, psutil.Process] = {}
        self.cores = psutil.cpu_count() or 1

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="scalescope-sampler", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5.0)

    def _tree(self) -> list[psutil.Process]:
        try:
            root = self._procs.get(self.pid) or psutil.Process(self.pid)
            found = [root, *root.children(recursive=True)]
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            return []
        alive: dict[int, psutil.Process] = {}
        for proc in found:
            # keep the Process objects: cpu_percent() measures since the previous call on the same object
            alive[proc.pid] = self._procs.get(proc.pid, proc)
        self._procs = alive
        return list(alive.values())

    def sample_once(self) -> Sample | None:
        procs = self._tree()
        if not procs:
            return None
        cpu = 0.0
        rss = 0
        count = 0
        for proc in procs:
            with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                cpu += proc.cpu_percent(interval=None)
                rss += proc.memory_info().rss
                count += 1
        sample = Sample(time.monotonic(), cpu, rss / (1024 * 1024), count)
        self.samples.append(sample)
        return sample

    def _run(self) -> None:
        self.sample_once()  # primes cpu_percent
        while not self._stop.wait(self.interval_s):
            self.sample_once()

    def window(self, start: float, end: float) -> WindowStats | None:
        """Summary of the samples taken between ``start`` and ``end`` (monotonic seconds); the
        first sample of the process is skipped for CPU (psutil's first reading is 0)."""
        inside = [s for s in self.samples[1:] if start <= s.t <= end]
        if not inside:
            return None
        cpus = [s.cpu_percent for s in inside]
        return WindowStats(
            samples=len(inside),
            cpu_mean=sum(cpus) / len(cpus),
            cpu_max=max(cpus),
            rss_start=inside[0].rss_mib,
            rss_end=inside[-1].rss_mib,
            rss_max=max(s.rss_mib for s in inside),
        )
