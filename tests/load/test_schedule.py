from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scalescope.load.config import Stage
from scalescope.load.schedule import RateSchedule, intended_time, level_at


def test_constant_rate_matches_wrk2_formula() -> None:
    sched = RateSchedule.constant(100.0, 2.0)
    for n in (0, 1, 57, 199):
        assert sched.send_time(n) == pytest.approx(intended_time(0.0, 100.0, n))
    assert sched.send_time(200) is None
    assert sched.total == pytest.approx(200.0)


def test_ramp_follows_quadratic_cumulative_count() -> None:
    # 0 -> 100 rps over 10 s: N(t) = 5 t^2, so request n is due at sqrt(n / 5).
    sched = RateSchedule.from_stages((Stage(10.0, 100.0),))
    assert sched.total == pytest.approx(500.0)
    for n in (1, 20, 125, 499):
        assert sched.send_time(n) == pytest.approx((n / 5.0) ** 0.5)


def test_stages_ramp_hold_down() -> None:
    stages = (Stage(2.0, 100.0), Stage(3.0, 100.0), Stage(2.0, 0.0))
    sched = RateSchedule.from_stages(stages)
    assert sched.duration == pytest.approx(7.0)
    assert sched.total == pytest.approx(100 + 300 + 100)
    assert sched.rate_at(1.0) == pytest.approx(50.0)
    assert sched.rate_at(4.0) == pytest.approx(100.0)
    assert sched.rate_at(6.0) == pytest.approx(50.0)
    # The 100th request (0-based) starts the hold stage.
    assert sched.send_time(100) == pytest.approx(2.0)


@given(st.lists(st.tuples(st.floats(0.1, 5.0), st.floats(0.0, 500.0)), min_size=1, max_size=4))
def test_send_times_are_monotonic_and_within_schedule(raw: list[tuple[float, float]]) -> None:
    sched = RateSchedule.from_stages(tuple(Stage(d, t) for d, t in raw))
    last = -1.0
    n = 0
    while (t := sched.send_time(n)) is not None and n < 3000:
        assert t >= last - 1e-9
        assert 0.0 <= t <= sched.duration + 1e-9
        last = t
        n += 1


def test_workers_striding_reproduces_the_global_schedule() -> None:
    sched = RateSchedule.constant(1000.0, 1.0)
    workers = 3
    merged = sorted(
        t for k in range(workers) for j in range(1000) if (t := sched.send_time(k + j * workers)) is not None
    )
    assert merged == [sched.send_time(n) for n in range(1000)]


def test_level_at_interpolates_virtual_users() -> None:
    stages = (Stage(10.0, 50.0), Stage(10.0, 50.0), Stage(5.0, 0.0))
    assert level_at(stages, 0.0) == 0.0
    assert level_at(stages, 5.0) == pytest.approx(25.0)
    assert level_at(stages, 15.0) == pytest.approx(50.0)
    assert level_at(stages, 22.5) == pytest.approx(25.0)
    assert level_at(stages, 99.0) == 0.0
