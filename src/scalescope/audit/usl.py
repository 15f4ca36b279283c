"""The Universal Scalability Law (Gunther): throughput as a function of concurrency.

    X(N) = λ·N / (1 + σ·(N − 1) + κ·N·(N − 1))

λ is the throughput of one unit of concurrency with no contention, σ the contention
(serialisation: the share of work that queues for one resource), κ the coherency cost (the
crosstalk that makes throughput *fall* past a peak). With κ > 0 throughput peaks at
N* = sqrt((1 − σ) / κ); with κ = 0 it rises to the asymptote λ/σ (Amdahl).

The fit is a bounded non-linear least squares (scipy) over measured (N, X) points, with
σ, κ ≥ 0; goodness of fit is R² on throughput. Pure functions, no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["USLFit", "UslError", "fit_contention", "fit_usl", "usl_throughput"]


class UslError(ValueError):
    """Too few or degenerate points to fit; the message says why."""


@dataclass(frozen=True, slots=True)
class USLFit:
    """Fitted coefficients and what follows from them."""

    sigma: float
    kappa: float
    lam: float
    r2: float
    points: int
    #: concurrency at peak throughput; ``None`` when κ = 0 (no retrograde region)
    peak_concurrency: float | None
    #: throughput at ``peak_concurrency``, or the asymptote λ/σ when κ = 0 (``None`` if σ = 0 too)
    peak_rps: float | None

    def throughput(self, n: float) -> float:
        return usl_throughput(n, self.sigma, self.kappa, self.lam)

    def as_dict(self) -> dict[str, float | int | None]:
        return {
            "sigma": round(self.sigma, 6),
            "kappa": round(self.kappa, 8),
            "lambda": round(self.lam, 3),
            "r2": round(self.r2, 4),
            "points": self.points,
            "peak_concurrency": None if self.peak_concurrency is None else round(self.peak_concurrency, 1),
            "peak_rps": None if self.peak_rps is None else round(self.peak_rps, 1),
        }


def usl_throughput(n: float, sigma: float, kappa: float, lam: float) -> float:
    """X(N) for the given coefficients."""
    return lam * n / (1.0 + sigma * (n - 1.0) + kappa * n * (n - 1.0))


def fit_contention(n1: float, x1: float, n2: float, x2: float) -> USLFit:
    """Amdahl's law (the USL with κ = 0) through two measured points, solved exactly: σ from
    how much of the throughput per unit the larger count keeps, λ from the smaller point.

    Two points cannot separate contention from coherency (three unknowns), so κ is 0 and the
    curve never turns down: an upper bound past the measured counts. A larger count that kept
    all of its throughput per unit (or more, measurement noise) gives σ = 0, linear scaling."""
    if not (0 < n1 < n2) or x1 <= 0 or x2 <= 0:
        raise UslError("a contention fit needs two distinct positive counts with positive throughput")
    kept = (x2 / n2) / (x1 / n1)  # throughput per unit at n2 relative to n1
    sigma = 0.0 if kept >= 1.0 else min(1.0, (1.0 - kept) / (kept * (n2 - 1.0) - (n1 - 1.0)))
    lam = x1 * (1.0 + sigma * (n1 - 1.0)) / n1
    return USLFit(sigma, 0.0, lam, 1.0, 2, None, lam / sigma if sigma > 1e-12 else None)


def fit_usl(concurrency: Sequence[float], throughput: Sequence[float]) -> USLFit:
    """Fit σ, κ, λ to measured points (at least 3 distinct concurrency levels)."""
    import numpy as np
    from scipy.optimize import least_squares

    pairs = [(float(n), float(x)) for n, x in zip(concurrency, throughput, strict=True) if n > 0 and x > 0]
    if len({n for n, _ in pairs}) < 3:
        raise UslError("a USL fit needs throughput at 3 or more distinct concurrency levels")
    n_arr = np.array([n for n, _ in pairs])
    x_arr = np.array([x for _, x in pairs])
    # λ starts from the best per-unit throughput seen at the lowest concurrency
    low = n_arr.min()
    lam0 = float(max(x_arr[n_arr == low]) / low)
    scale = float(x_arr.max())

    def residuals(params: np.ndarray) -> np.ndarray:
        sigma, kappa, lam = params
        model = lam * n_arr / (1.0 + sigma * (n_arr - 1.0) + kappa * n_arr * (n_arr - 1.0))
        result: np.ndarray = (model - x_arr) / scale
        return result

    best = None
    for sigma0, kappa0 in ((0.05, 1e-4), (0.3, 1e-3), (0.01, 1e-6), (0.8, 0.0)):
        sol = least_squares(
            residuals,
            x0=[sigma0, kappa0, lam0],
            bounds=([0.0, 0.0, 1e-12], [1.0, 10.0, max(lam0 * 10.0, 1e-9)]),
            method="trf",
            x_scale=[0.1, 1e-3, lam0],
            max_nfev=2000,
        )
        if best is None or sol.cost < best.cost:
            best = sol
    assert best is not None
    sigma, kappa, lam = (float(v) for v in best.x)
    predicted = lam * n_arr / (1.0 + sigma * (n_arr - 1.0) + kappa * n_arr * (n_arr - 1.0))
    ss_res = float(np.sum((x_arr - predicted) ** 2))
    ss_tot = float(np.sum((x_arr - x_arr.mean()) ** 2))
    r2 = 1.0 - ss_res / ss_tot if ss_tot > 0 else (1.0 if ss_res == 0 else 0.0)
    peak_n: float | None
    peak_x: float | None
    if kappa > 1e-12 and sigma < 1.0:
        peak_n = math.sqrt((1.0 - sigma) / kappa)
        peak_x = usl_throughput(peak_n, sigma, kappa, lam)
    else:
        peak_n = None
        peak_x = lam / sigma if sigma > 1e-12 else None
    return USLFit(sigma, kappa, lam, r2, len(pairs), peak_n, peak_x)
