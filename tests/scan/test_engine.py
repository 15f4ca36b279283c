"""The scan pipeline's plumbing: facts survive the trip back from worker processes unchanged,
and the scan leaves the garbage collector as it found it."""

from __future__ import annotations

import dataclasses
import gc
import pickle
from pathlib import Path

import pytest

import scalescope.model.facts as facts_module
from scalescope.scan.config import ScanConfig
from scalescope.scan.discover import discover
from scalescope.scan.engine import _dumps, _field_values, extract_all, scan

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize("example", ["node-shop", "fastapi-billing"])
def test_compact_pickle_round_trips_extracted_facts(example: str) -> None:
    candidates, _ = discover(EXAMPLES / example)
    results = extract_all(candidates, jobs=1)
    assert any(r.facts for r in results)
    back = pickle.loads(_dumps(results))
    assert back == results
    for before, after in zip(results, back, strict=True):
        assert [type(f) for f in after.facts] == [type(f) for f in before.facts]


def test_every_fact_type_uses_the_constructor_reduction() -> None:
    classes = [v for v in vars(facts_module).values() if isinstance(v, type) and dataclasses.is_dataclass(v)]
    assert len(classes) > 10
    for cls in classes:
        assert _field_values(cls) is not None, cls.__name__
    loc = facts_module.Loc("a.py", 3, 1)  # __post_init__ raises end_line; rebuilding keeps it
    assert pickle.loads(_dumps([loc])) == [loc]  # type: ignore[list-item]


def test_scan_restores_the_garbage_collector() -> None:
    assert gc.isenabled()
    scan(EXAMPLES / "node-shop", ScanConfig(), jobs=1)
    assert gc.isenabled()
    gc.disable()
    try:
        scan(EXAMPLES / "node-shop", ScanConfig(), jobs=1)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_query_extractors_skip_test_files_but_the_call_graph_reads_them() -> None:
    from scalescope.model.facts import DataAccess, Function, Import
    from scalescope.scan.extract.base import extract_file

    text = (
        "from shop.models import Order\n\n\n"
        "def recent(user):\n"
        "    return list(Order.objects.filter(user=user)[:5])\n"
    )
    app = {type(f) for f in extract_file("shop/views.py", "python", text).facts}
    test = {type(f) for f in extract_file("shop/tests/test_views.py", "python", text).facts}
    assert {DataAccess, Function, Import} <= app
    assert DataAccess not in test and {Function, Import} <= test


def test_parallel_extraction_returns_what_one_process_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parent and a forked worker share the work (above the parallel threshold): every file
    is extracted once, and the results come in the order of the earlier pool's batches."""
    from scalescope.scan import engine
    from scalescope.scan.engine import PARALLEL_THRESHOLD, _batch_order, _chunks

    monkeypatch.setattr(engine, "LEAST_UNIT_BYTES", 512)  # many small units: both processes claim

    for i in range(PARALLEL_THRESHOLD + 40):
        body = "".join(f"def f{j}(x):\n    return g{j}(x).h(x)\n\n" for j in range(i % 7 + 1))
        (tmp_path / f"m{i}.py").write_text(f"import os\n\n{body}")
    candidates, _ = discover(tmp_path)
    chunks = _chunks(candidates, 2)
    assert len(chunks) > 5
    assert sorted(i for chunk in chunks for i in chunk) == list(range(len(candidates)))
    alone = extract_all(candidates, jobs=1)
    shared = extract_all(candidates, jobs=2)
    order = _batch_order(candidates, 2)
    assert [r.path for r in shared] == [candidates[i].path for i in order]
    assert sorted(shared, key=lambda r: r.path) == sorted(alone, key=lambda r: r.path)
