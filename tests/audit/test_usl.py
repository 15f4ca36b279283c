"""The USL fit recovers the coefficients of synthetic curves."""

from __future__ import annotations

import math
import random

import pytest

from scalescope.audit.usl import UslError, fit_usl, usl_throughput


@pytest.mark.parametrize(
    ("sigma", "kappa", "lam"),
    [(0.05, 0.001, 1000.0), (0.2, 0.0, 250.0), (0.02, 0.0005, 80.0), (0.0, 0.0, 50.0)],
)
def test_recovers_coefficients(sigma: float, kappa: float, lam: float) -> None:
    ns = [1, 2, 4, 8, 16, 32, 64]
    xs = [usl_throughput(n, sigma, kappa, lam) for n in ns]
    fit = fit_usl(ns, xs)
    assert fit.sigma == pytest.approx(sigma, abs=0.005)
    assert fit.kappa == pytest.approx(kappa, abs=5e-5)
    assert fit.lam == pytest.approx(lam, rel=0.02)
    assert fit.r2 > 0.999
    if kappa > 0:
        assert fit.peak_concurrency == pytest.approx(math.sqrt((1 - sigma) / kappa), rel=0.1)


def test_noisy_points_still_fit() -> None:
    rng = random.Random(7)
    ns = [1, 2, 4, 6, 8, 12, 16, 24, 32, 48]
    xs = [usl_throughput(n, 0.1, 0.002, 500.0) * rng.uniform(0.97, 1.03) for n in ns]
    fit = fit_usl(ns, xs)
    assert fit.sigma == pytest.approx(0.1, abs=0.04)
    assert fit.kappa == pytest.approx(0.002, abs=0.001)
    assert 0.9 < fit.r2 <= 1.0
    assert fit.peak_rps is not None and fit.peak_rps == pytest.approx(max(xs), rel=0.1)


def test_without_first_point_lambda_is_still_found() -> None:
    ns = [4, 8, 16, 32]
    xs = [usl_throughput(n, 0.05, 0.0, 100.0) for n in ns]
    fit = fit_usl(ns, xs)
    assert fit.lam == pytest.approx(100.0, rel=0.05)
    assert fit.peak_concurrency is None and fit.peak_rps == pytest.approx(100.0 / fit.sigma, rel=0.01)


def test_too_few_points() -> None:
    with pytest.raises(UslError):
        fit_usl([1, 2], [10.0, 19.0])
    with pytest.raises(UslError):
        fit_usl([1, 1, 2, 0], [10.0, 11.0, 19.0, 5.0])


@pytest.mark.parametrize(("n1", "n2", "sigma"), [(1, 2, 0.1), (1, 3, 0.3), (2, 4, 0.05), (1, 2, 0.0)])
def test_contention_through_two_points(n1: int, n2: int, sigma: float) -> None:
    from scalescope.audit.usl import fit_contention

    x1, x2 = usl_throughput(n1, sigma, 0.0, 120.0), usl_throughput(n2, sigma, 0.0, 120.0)
    fit = fit_contention(n1, x1, n2, x2)
    assert fit.sigma == pytest.approx(sigma, abs=1e-9) and fit.kappa == 0.0
    assert fit.lam == pytest.approx(120.0) and fit.points == 2
    assert fit.throughput(n2) == pytest.approx(x2)


def test_contention_superlinear_noise_is_linear() -> None:
    from scalescope.audit.usl import fit_contention

    fit = fit_contention(1, 100.0, 2, 210.0)  # more than twice: noise, not negative contention
    assert fit.sigma == 0.0 and fit.throughput(10) == pytest.approx(1000.0)
    with pytest.raises(UslError):
        fit_contention(2, 100.0, 2, 150.0)
