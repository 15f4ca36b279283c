"""Little's law and the capacity plan: measured rows stay measured, others say their model."""

from __future__ import annotations

import pytest

from scalescope.audit.plan import capacity_plan, concurrent_users
from scalescope.audit.usl import usl_throughput


def test_littles_law() -> None:
    est = concurrent_users(throughput_rps=200, think_time_s=5.0, response_time_s=0.05)
    assert est.concurrent_users == 1010


def test_plan_from_one_instance_is_linear_and_labelled() -> None:
    rows, fit = capacity_plan({1: 400.0}, think_time_s=9.9, response_time_s=0.1, price_per_hour=0.5)
    assert fit is None
    by_n = {r.instances: r for r in rows}
    assert by_n[1].basis == "measured" and by_n[1].users == 4000 and by_n[1].model == ""
    assert by_n[5].basis == "projected" and by_n[5].rps == pytest.approx(2000)
    assert "upper bound" in by_n[5].model
    assert by_n[10].cost_per_hour == pytest.approx(5.0)


def test_plan_uses_usl_over_measured_instances_and_finds_the_target() -> None:
    measured = {n: usl_throughput(n, 0.1, 0.01, 300.0) for n in (1, 2, 3, 4)}
    rows, fit = capacity_plan(measured, think_time_s=1.0, response_time_s=0.0, target_users=700)
    assert fit is not None and fit.kappa == pytest.approx(0.01, abs=0.003)
    by_n = {r.instances: r for r in rows}
    assert all(by_n[n].basis == "measured" for n in (1, 2, 3, 4))
    assert by_n[10].basis == "projected" and "USL" in by_n[10].model
    # retrograde: 10 instances hold fewer users than the peak; the target is met at the smallest n
    needed = min(r.instances for r in rows if r.users is not None and r.users >= 700)
    assert needed in by_n and by_n[needed].users is not None


def test_no_think_time_no_users() -> None:
    rows, _ = capacity_plan({1: 100.0}, think_time_s=None, response_time_s=0.1)
    assert all(r.users is None for r in rows)


def test_plan_from_two_measured_counts_uses_their_contention() -> None:
    rows, fit = capacity_plan({1: 100.0, 2: 160.0}, think_time_s=None, response_time_s=0.0)
    assert fit is not None and fit.sigma == pytest.approx(0.25) and fit.kappa == 0.0
    by_n = {r.instances: r for r in rows}
    assert by_n[1].basis == by_n[2].basis == "measured" and by_n[2].rps == 160.0
    # X(n) = 100 n / (1 + 0.25 (n - 1)): 5 instances hold 250 req/s, not the linear 500
    assert by_n[5].basis == "projected" and by_n[5].rps == pytest.approx(250.0)
    assert "2 measured instance counts 1 and 2" in by_n[5].model and "upper bound" in by_n[5].model
