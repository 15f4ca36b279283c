"""``--instances-cmd`` end to end: the audit starts 2 instances of a local app behind one URL,
measures their capacity next to the one instance of ``--start``, projects larger counts from
the two measured ones, and leaves no process of any instance running."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

import psutil
import pytest

from scalescope.audit.pipeline import run_audit
from scalescope.audit.settings import AuditSettings
from tests.ci import cannot_run_here

HERE = Path(__file__).parent
RUN_TAG = f"scalescope-test-{uuid.uuid4().hex[:12]}"
APP = f"{sys.executable} {HERE / 'target_app.py'} {{port}} {RUN_TAG}"


def _leftovers() -> list[int]:
    out = []
    for p in psutil.process_iter(["cmdline"]):
        try:
            if RUN_TAG in (p.info["cmdline"] or []) and p.status() != psutil.STATUS_ZOMBIE:
                out.append(p.pid)
        except psutil.Error:
            continue
    return out


def test_instances_command_measures_1_and_2_and_projects_beyond(tmp_path: Path) -> None:
    scenario = tmp_path / "items.yaml"
    scenario.write_text("base_url: http://127.0.0.1:1\nrequests:\n  - name: items\n    path: /items\n")
    # each instance serves 2 requests at a time in 20 ms: 100 req/s, whatever the CPU does
    settings = AuditSettings(
        start=APP,
        instances_cmd=f"{APP} {{n}}",  # the third argument: processes sharing the socket
        max_instances=2,
        env=(("WORKERS", "2"), ("SERVICE_S", "0.02")),
        health="health",  # without the slash, as a user may write it
        scenario=scenario,
        think_time_s=1.0,
        budget_s=50.0,  # floors: about 50 s whatever the budget; less would skip the instances
        startup_timeout_s=15.0,
        shutdown_grace_s=3.0,
    )
    report = run_audit(settings)
    data = report.to_dict()
    assert not _leftovers()
    cap = data["capacity"]
    assert cap is not None, data["warnings"]
    if not cap["sustainable_rps"] and cap["limiting"] == "generator":
        # the machine was too busy to deliver even the first step: nothing to scale from
        cannot_run_here(
            "the load generator was the limit on this busy machine: " + cap["summary"],
            "the load generator was the limit on the CI machine",
        )
    plan = {row["instances"]: row for row in data["plan"]}
    assert plan[1]["basis"] == "measured" and plan[2]["basis"] == "measured", (
        data["warnings"],
        data["events"],
    )
    assert plan[1]["rps"] == pytest.approx(cap["sustainable_rps"], abs=0.1)
    # two processes were really serving: more capacity than one, at most twice as much (+ noise)
    assert 1.3 * plan[1]["rps"] <= plan[2]["rps"] <= 2.3 * plan[1]["rps"], data["events"]
    beyond = [row for n, row in plan.items() if n > 2]
    assert beyond and all(row["basis"] == "projected" for row in beyond)
    for row in beyond:
        assert "2 measured instance counts 1 and 2" in row["model"]
        # the fitted contention model: never more than linear from the measured counts
        assert plan[2]["rps"] <= row["rps"] <= row["instances"] * plan[1]["rps"] + 0.1
        assert row["users"] is not None and row["users"] > plan[2]["users"]
    assert any(e.startswith("2 instances: sustained") for e in data["events"]), data["events"]
    trouble = ("did not start", "stopped before", "exited under load", "no sustainable rate")
    assert not any(t in w for w in data["warnings"] for t in trouble), data["warnings"]
