"""From throughput to users and instances: Little's law and the capacity plan.

Little's law for a closed population of users who each send a request, wait for it, then think
for ``Z`` seconds: ``users = X × (Z + R)``, with ``X`` the throughput (req/s) and ``R`` the mean
response time at that throughput. Without a think time there is no users figure: the report
says so instead of inventing one.

The plan lists, per instance count, the sustainable throughput and the users it holds, each
marked ``measured`` (that many instances were started and loaded) or ``projected`` with the
model used: the USL fitted over measured instance counts when there are three or more;
Amdahl's law (the USL without its coherency term) through the two points when two counts were
measured; else linear scaling from one instance. The last two are upper bounds (two points
cannot show throughput turning down; one point shows no contention at all, and shared
resources such as the database are not in it).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from scalescope.audit.usl import UslError, USLFit, fit_contention, fit_usl

__all__ = ["PlanRow", "UsersEstimate", "capacity_plan", "concurrent_users"]


@dataclass(frozen=True, slots=True)
class UsersEstimate:
    think_time_s: float
    response_time_s: float
    throughput_rps: float
    concurrent_users: int

    def as_dict(self) -> dict[str, float | int]:
        return {
            "think_time_s": self.think_time_s,
            "response_time_s": round(self.response_time_s, 4),
            "throughput_rps": round(self.throughput_rps, 1),
            "concurrent_users": self.concurrent_users,
        }


def concurrent_users(throughput_rps: float, think_time_s: float, response_time_s: float) -> UsersEstimate:
    """Little's law: users a throughput serves when each thinks ``think_time_s`` between requests."""
    users = math.floor(throughput_rps * (think_time_s + response_time_s))
    return UsersEstimate(think_time_s, response_time_s, throughput_rps, users)


@dataclass(frozen=True, slots=True)
class PlanRow:
    instances: int
    rps: float
    users: int | None
    basis: str  # measured | projected
    model: str  # how a projected row was computed ("" for measured rows)
    cost_per_hour: float | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "instances": self.instances,
            "rps": round(self.rps, 1),
            "users": self.users,
            "basis": self.basis,
            "model": self.model,
            "cost_per_hour": None if self.cost_per_hour is None else round(self.cost_per_hour, 2),
        }


def capacity_plan(
    measured: Mapping[int, float],
    *,
    think_time_s: float | None,
    response_time_s: float,
    counts: Sequence[int] = (1, 2, 5, 10),
    target_users: int | None = None,
    price_per_hour: float | None = None,
    max_instances: int = 1000,
) -> tuple[list[PlanRow], USLFit | None]:
    """Rows for ``counts`` (plus the smallest count that holds ``target_users``), measured where
    ``measured`` (instances -> sustainable req/s) has the count, projected elsewhere."""
    if not measured:
        return [], None
    fit: USLFit | None = None
    counts_measured = sorted(measured)
    try:
        if len(measured) >= 3:
            fit = fit_usl(counts_measured, [measured[n] for n in counts_measured])
        elif len(measured) == 2:
            n1, n2 = counts_measured
            fit = fit_contention(n1, measured[n1], n2, measured[n2])
    except UslError:
        fit = None
    base_n = min(measured)
    per_instance = measured[base_n] / base_n

    def projected(n: int) -> tuple[float, str]:
        if fit is not None and fit.points >= 3:
            return fit.throughput(n), (
                f"USL fitted over {len(measured)} measured instance counts "
                f"(σ={fit.sigma:.3f}, κ={fit.kappa:.5f}, R²={fit.r2:.2f})"
            )
        if fit is not None:
            return fit.throughput(n), (
                f"Amdahl's law (USL with κ = 0) through the 2 measured instance counts "
                f"{' and '.join(str(c) for c in counts_measured)} (σ={fit.sigma:.3f}; an upper bound: two "
                "counts cannot show coherency costs, measure 3 or more with --max-instances)"
            )
        return per_instance * n, (
            f"linear from {base_n} measured instance{'s' if base_n > 1 else ''} "
            "(an upper bound: contention on shared resources such as the database is not measured)"
        )

    def row(n: int) -> PlanRow:
        if n in measured:
            rps, basis, model = measured[n], "measured", ""
        else:
            rps, model = projected(n)
            basis = "projected"
        users = (
            concurrent_users(rps, think_time_s, response_time_s).concurrent_users
            if think_time_s is not None
            else None
        )
        cost = price_per_hour * n if price_per_hour is not None else None
        return PlanRow(n, rps, users, basis, model, cost)

    wanted = sorted(set(counts) | set(measured))
    if target_users is not None and think_time_s is not None:
        needed = _instances_for(target_users, think_time_s, response_time_s, row, max_instances)
        if needed is not None:
            wanted = sorted(set(wanted) | {needed})
    return [row(n) for n in wanted], fit


def _instances_for(
    target_users: int,
    think_time_s: float,
    response_time_s: float,
    row: object,
    max_instances: int,
) -> int | None:
    """The smallest instance count whose row holds ``target_users`` (``None`` if none up to the cap,
    for example when the fitted USL peaks below the target)."""
    assert callable(row)
    for n in range(1, max_instances + 1):
        r = row(n)
        if r.users is not None and r.users >= target_users:
            return n
    return None
