"""The scan pipeline: discover -> decode/parse/extract (parallel) -> model -> rules -> report."""

from __future__ import annotations

import dataclasses
import gc
import io
import operator
import os
import pickle
import re
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from scalescope.model.facts import Fact, Suppression
from scalescope.model.project import ProjectModel, SourceFile, build_model
from scalescope.redact import redact
from scalescope.report.model import CONFIDENCES, Finding, Notice, ScanReport, SkippedFile
from scalescope.scan.calibration import calibrate
from scalescope.scan.config import ScanConfig
from scalescope.scan.discover import Candidate, decode, discover
from scalescope.scan.extract.base import FileResult, extract_file, load_extractors
from scalescope.scan.grouping import Place, cause_key, cause_loc, group, identity
from scalescope.scan.reach import with_reach
from scalescope.scan.rules._liveness import apply_role
from scalescope.scan.rules.base import Hit, Rule, RuleContext, all_rules

PARALLEL_THRESHOLD = 150
LEAST_UNIT_BYTES = 65536  # the smallest unit of work a process claims (see _chunks)
EXCERPT_LINES = 6
EXCERPT_CHARS = 400

Progress = Callable[[int, int], None]
_MODULE_PATH = re.compile(r"\bscalescope(?:\.\w+)+")


def public_text(message: str) -> str:
    """A notice as users read it: internal module paths an exception text may carry
    (``scalescope.scan.extract.js.routes.extract``, a repr naming a class) cut to their last
    part."""
    return _MODULE_PATH.sub(lambda m: m.group(0).rsplit(".", 1)[-1], message)


def _process(candidate: Candidate) -> FileResult:
    try:
        with open(candidate.abspath, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        return FileResult(candidate.path, candidate.language, skipped=f"unreadable: {exc.strerror or exc}")
    text, reason = decode(data, candidate.language)
    if text is None:
        return FileResult(candidate.path, candidate.language, skipped=reason)
    return extract_file(candidate.path, candidate.language, text)


def _field_values(cls: type) -> Callable[[Any], tuple[Any, ...]] | None:
    """For a dataclass whose fields are all constructor arguments: a C-level getter of its
    field values in constructor order (``None`` for any other type)."""
    if not dataclasses.is_dataclass(cls):
        return None
    fields = dataclasses.fields(cls)
    if not fields or not all(f.init for f in fields):
        return None
    get = operator.attrgetter(*(f.name for f in fields))
    if len(fields) == 1:
        return lambda obj: (get(obj),)
    return get


class _CompactPickler(pickle.Pickler):
    """Pickles dataclasses (facts, locations, file results) as ``cls(*field values)``.

    The default for frozen slotted dataclasses goes through Python ``__getstate__`` /
    ``__setstate__`` per object, which made shipping a large tree's facts back from the
    workers about a quarter of the scan's CPU time; this halves it. Rebuilding through the
    constructor re-runs ``__post_init__``, so fact normalisation must be idempotent (it is:
    ``Loc`` only raises ``end_line`` to ``line``).
    """

    def __init__(self, file: io.BytesIO) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._getters: dict[type, Callable[[Any], tuple[Any, ...]] | None] = {}

    def reducer_override(self, obj: Any) -> Any:
        cls = type(obj)
        if cls not in self._getters:
            self._getters[cls] = _field_values(cls)
        values = self._getters[cls]
        if values is None:
            return NotImplemented
        return cls, values(obj)


def _dumps(results: list[FileResult]) -> bytes:
    buf = io.BytesIO()
    _CompactPickler(buf).dump(results)
    return buf.getvalue()


def _process_batch(batch: Sequence[Candidate]) -> bytes:
    """Extract a batch in a worker; the results travel back as one compact pickle."""
    return _dumps([_process(c) for c in batch])


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the scan's lifetime.

    A scan allocates hundreds of thousands of small, long-lived objects (tree-sitter nodes,
    facts, calls) and almost no reference cycles; with the collector on, its repeated passes
    over the growing heap cost 10-20% of the CPU time. Forked workers inherit the pause. On
    resuming, the survivors move to the oldest generation (``freeze`` + ``unfreeze`` splices
    lists, no pass over them), or the first collection would walk them all at once.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def _workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def extract_all(
    candidates: Sequence[Candidate], jobs: int | None = None, progress: Progress | None = None
) -> list[FileResult]:
    """Extract facts from every candidate, across processes for larger trees. In parallel the
    results come in :func:`_batch_order` (what decides the order of extractor-error notices)."""
    total = len(candidates)
    jobs = jobs or _workers()
    if total < PARALLEL_THRESHOLD or jobs <= 1:
        out = []
        for i, c in enumerate(candidates):
            out.append(_process(c))
            if progress:
                progress(i + 1, total)
        return out
    import multiprocessing as mp

    if "fork" in mp.get_all_start_methods():
        try:
            folder = tempfile.mkdtemp(prefix="scalescope-scan-")
        except OSError:  # no writable temporary folder: the pool below needs none
            pass
        else:
            return _extract_forked(candidates, jobs, progress, folder)
    # no fork (Windows): a pool of spawned workers, big files first in balanced batches
    ordered = sorted(candidates, key=lambda c: -c.size)
    nbatches = min(total, jobs * 8)
    results: list[FileResult] = []
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for payload in pool.map(_process_batch, [ordered[b::nbatches] for b in range(nbatches)]):
            results.extend(pickle.loads(payload))
            if progress:
                progress(len(results), total)
    return results


def _batch_order(candidates: Sequence[Candidate], jobs: int) -> list[int]:
    """The order parallel results are returned in: by size, largest first, dealt round-robin
    into ``jobs * 8`` batches, batch after batch (how the earlier process pool cut the work;
    kept so that reports stay byte-identical across this change)."""
    ordered = sorted(range(len(candidates)), key=lambda i: -candidates[i].size)
    nbatches = min(len(candidates), jobs * 8)
    return [i for b in range(nbatches) for i in ordered[b::nbatches]]


def _chunks(candidates: Sequence[Candidate], processes: int) -> list[list[int]]:
    """Indices of ``candidates`` cut into work units, biggest files first: each unit takes a
    share of the bytes still to do (a third of a process's share, at least 64 KB), so the
    units shrink towards the end and the processes, each claiming the next unit when it is
    free, finish close together."""
    ordered = sorted(range(len(candidates)), key=lambda i: -candidates[i].size)
    left = sum(max(c.size, 1) for c in candidates)
    chunks: list[list[int]] = []
    chunk: list[int] = []
    budget = 0
    for i in ordered:
        if not chunk:
            budget = max(left // (processes * 3), LEAST_UNIT_BYTES)
        size = max(candidates[i].size, 1)
        chunk.append(i)
        budget -= size
        left -= size
        if budget <= 0:
            chunks.append(chunk)
            chunk = []
    if chunk:
        chunks.append(chunk)
    return chunks


def _extract_forked(
    candidates: Sequence[Candidate], jobs: int, progress: Progress | None, folder: str
) -> list[FileResult]:
    """``jobs - 1`` forked workers and this process claim work units from a shared counter.

    The parent extracts too: it would otherwise sit idle while the workers run (on 2 cores one
    worker, not two, competes with it), and its own results need no pickling. A worker writes
    each unit's results as one compact pickle to a file of a private temporary folder and
    sends the unit's number through its pipe (a few bytes: it never waits for the parent,
    which reads the pipes and loads the results between its own units). A unit a worker did
    not send back (a worker that died) is extracted by the parent. ``folder`` (removed here) is
    the temporary folder of the units."""
    import multiprocessing as mp
    import shutil
    from multiprocessing.connection import wait

    ctx = mp.get_context("fork")
    chunks = _chunks(candidates, jobs)
    counter = ctx.Value("i", 0)

    def claim() -> int:
        with counter.get_lock():
            index: int = counter.value
            counter.value = index + 1
        return index

    load_extractors()  # import once here; forked workers inherit the loaded modules
    workers = []
    try:
        pipes = []
        for _ in range(jobs - 1):
            recv, send = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_worker, args=(candidates, chunks, claim, send, folder))
            proc.start()
            send.close()
            workers.append(proc)
            pipes.append(recv)
        by_chunk: dict[int, list[FileResult]] = {}
        total = len(candidates)
        done = 0

        def load_sent(block: bool) -> None:
            nonlocal done
            while pipes:
                ready = wait(pipes, timeout=None if block else 0)
                if not ready:
                    return
                for pipe in ready:
                    try:
                        index = int.from_bytes(pipe.recv_bytes(), "little")  # type: ignore[union-attr]
                    except EOFError:
                        pipes.remove(pipe)  # type: ignore[arg-type]
                        continue
                    unit = os.path.join(folder, str(index))
                    with open(unit, "rb") as fh:
                        by_chunk[index] = pickle.loads(fh.read())
                    os.unlink(unit)
                    done += len(by_chunk[index])
                    if progress:
                        progress(done, total)

        while (index := claim()) < len(chunks):
            by_chunk[index] = [_process(candidates[i]) for i in chunks[index]]
            done += len(by_chunk[index])
            if progress:
                progress(done, total)
            load_sent(block=False)
        load_sent(block=True)
    finally:
        with counter.get_lock():  # on an error here, the workers stop after their current unit
            counter.value = len(chunks)
        for proc in workers:
            proc.join()
        shutil.rmtree(folder, ignore_errors=True)
    by_index: list[FileResult | None] = [None] * total
    for index, chunk in enumerate(chunks):
        results = by_chunk.get(index)
        if results is None:  # its worker died: extract it here
            results = [_process(candidates[i]) for i in chunk]
        for i, result in zip(chunk, results, strict=True):
            by_index[i] = result
    return [r for r in (by_index[i] for i in _batch_order(candidates, jobs)) if r is not None]


def _worker(
    candidates: Sequence[Candidate], chunks: list[list[int]], claim: Callable[[], int], send: Any, folder: str
) -> None:
    """A forked worker (its arguments are the parent's, inherited, not pickled): extract the
    units it claims, each written to ``folder`` and announced as soon as it is done. It stops
    when the parent is gone (killed: nobody would read the results)."""
    parent = os.getppid()
    while os.getppid() == parent and (index := claim()) < len(chunks):
        payload = _dumps([_process(candidates[i]) for i in chunks[index]])
        try:
            with open(os.path.join(folder, str(index)), "wb") as fh:
                fh.write(payload)
            send.send_bytes(index.to_bytes(4, "little"))
        except OSError:  # the parent removed the folder or closed the pipe: it stopped
            break
    send.close()


def build_project(
    root: Path, config: ScanConfig, progress: Progress | None = None, jobs: int | None = None
) -> tuple[ProjectModel, list[SkippedFile], list[Notice]]:
    """Discover and extract: the project model plus what was skipped and extractor errors."""
    stats: dict[str, int] = {}
    references: list[str] = []
    candidates, skipped_paths = discover(
        root, exclude=config.exclude, include_tests=config.include_tests, stats=stats, references=references
    )
    results = extract_all(candidates, jobs=jobs, progress=progress)
    skipped = [SkippedFile(s.file, s.reason) for s in skipped_paths]
    notices: list[Notice] = []
    files: list[SourceFile] = []
    facts: list[Fact] = []
    for r in results:
        if r.skipped:
            skipped.append(SkippedFile(r.path, r.skipped))
            continue
        files.append(SourceFile(r.path, r.language, r.lines))
        facts.extend(r.facts)
        notices.extend(Notice(r.path, 0, public_text(f"extractor error: {e}")) for e in r.errors)
    if stats.get("tests_excluded"):
        notices.append(
            Notice("", 0, f"{stats['tests_excluded']} test files not scanned (--include-tests scans them)")
        )
    model = build_model(root, files, facts, references)
    skipped.sort(key=lambda s: s.file)
    return model, skipped, notices


def _excerpt(model: ProjectModel, file: str, line: int, end_line: int) -> str:
    lines = model.source_lines(file)
    if not lines or line < 1:
        return ""
    end = min(max(end_line, line), line + EXCERPT_LINES - 1, len(lines))
    chunk = lines[line - 1 : end]
    indent = min((len(x) - len(x.lstrip()) for x in chunk if x.strip()), default=0)
    text = "\n".join(x[indent:].rstrip() for x in chunk)
    if len(text) > EXCERPT_CHARS:
        text = text[:EXCERPT_CHARS].rstrip() + " …"
    return redact(text)


def run_rules(
    model: ProjectModel, config: ScanConfig, rules: Iterable[type[Rule]] | None = None
) -> tuple[list[Place], list[Notice]]:
    """Run rules over the model; apply config severities; one :class:`Place` per distinct hit
    (grouped by cause and suppressed by :func:`scalescope.scan.grouping.group`)."""
    selected = list(rules if rules is not None else all_rules())
    ctx = RuleContext(options={"instances": config.instances})
    places: list[Place] = []
    notices: list[Notice] = []
    disabled = {d.lower() for d in config.disable}
    for rule_cls in selected:
        meta = rule_cls.meta
        if meta.id in config.disable or meta.name in disabled:
            continue
        if config.enable_only and meta.id not in config.enable_only:
            continue
        try:
            hits: list[Hit] = list(rule_cls().check(model, ctx))
        except Exception as exc:  # a rule bug must not lose the other rules' findings
            notices.append(Notice("", 0, public_text(f"rule {meta.id} failed: {type(exc).__name__}: {exc}")))
            continue
        unique: dict[tuple[str, int, str], Hit] = {}
        for h in hits:
            placed = apply_role(model, h)  # outside production: low confidence with the reason, or none
            if placed is not None and config.calibrated:
                placed = calibrate(meta.id, placed, meta.confidence)  # the rule's measured ceiling
            if placed is not None:
                unique.setdefault((placed.loc.file, placed.loc.line, placed.message), placed)
        for h in unique.values():
            excerpt = _excerpt(model, h.loc.file, h.loc.line, h.loc.end_line)
            where = cause_loc(h)
            if where is not None and where != h.loc:
                cause_text = _excerpt(model, where.file, where.line, where.end_line)
            else:
                cause_text = excerpt
            places.append(
                Place(
                    meta=meta,
                    hit=h,
                    severity=config.severity.get(meta.id) or h.severity or meta.severity,
                    confidence=h.confidence or meta.confidence,
                    excerpt=excerpt,
                    key=cause_key(meta.id, h),
                    identity=identity(h, cause_text),
                )
            )
    return places, notices


def findings_of(
    model: ProjectModel, config: ScanConfig, rules: Iterable[type[Rule]] | None = None
) -> list[Finding]:
    """The findings of ``rules`` on ``model``, grouped by cause, before suppressions."""
    places, _ = run_rules(model, config, rules)
    return group(places).findings


def key_files(findings: Sequence[Finding]) -> tuple[str, ...]:
    """The files with the most findings (at most 15), most first."""
    counts = Counter(f.file for f in findings)
    return tuple(f for f, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:15])


def hide_below(findings: Sequence[Finding], min_confidence: str) -> tuple[list[Finding], Notice | None]:
    """``findings`` at ``min_confidence`` or above, and the notice counting the others
    (``None`` when none was hidden). The scan and the probe cross-check share it."""
    floor = CONFIDENCES.index(min_confidence)
    kept = [f for f in findings if CONFIDENCES.index(f.confidence) <= floor]
    hidden = len(findings) - len(kept)
    if not hidden:
        return kept, None
    return kept, Notice("", 0, f"{hidden} lower-confidence findings hidden (--min-confidence low shows them)")


def scan(
    root: Path,
    config: ScanConfig | None = None,
    rules: Iterable[type[Rule]] | None = None,
    progress: Progress | None = None,
    jobs: int | None = None,
) -> ScanReport:
    """Scan ``root`` and return the report (the one entry point the CLI uses)."""
    return scan_project(root, config, rules, progress, jobs)[0]


def scan_project(
    root: Path,
    config: ScanConfig | None = None,
    rules: Iterable[type[Rule]] | None = None,
    progress: Progress | None = None,
    jobs: int | None = None,
) -> tuple[ScanReport, ProjectModel]:
    """Scan ``root``: the report and the project model behind it (the audit reads the routes)."""
    config = config or ScanConfig()
    started = time.perf_counter()
    with _gc_paused():
        model, skipped, notices = build_project(root, config, progress=progress, jobs=jobs)
        selected = list(rules) if rules is not None else list(all_rules())
        places, rule_notices = run_rules(model, config, selected)
        grouped = group(places, model.all(Suppression))
        findings = with_reach(model, grouped.findings)
    suppressed, sup_notices = grouped.suppressed, grouped.notices
    findings, hidden = hide_below(findings, config.min_confidence)
    if hidden is not None:
        sup_notices.append(hidden)
    instances = config.instances or model.instance_count
    report = ScanReport(
        root=root.name or root.resolve().name or str(root),
        stack=model.stack,
        findings=tuple(findings),
        skipped=tuple(skipped),
        rules=tuple(r.info() for r in selected),
        files_scanned=len(model.files),
        lines_scanned=sum(f.lines for f in model.files),
        suppressed=suppressed,
        notices=tuple(notices + rule_notices + sup_notices),
        key_files=key_files(findings),
        instances=instances,
        duration_s=round(time.perf_counter() - started, 3),
    )
    return report, model


def with_duration(report: ScanReport, seconds: float | None) -> ScanReport:
    return replace(report, duration_s=seconds)
