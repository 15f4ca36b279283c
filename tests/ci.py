"""One rule for tests that cannot run on this machine: CI must run every test.

With ``CI=true`` a missing service (PostgreSQL, Redis, Chromium) or a machine too busy to measure is
a failure; elsewhere (a developer's busy laptop) the test is skipped with the reason.
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest

CI = os.environ.get("CI", "").lower() == "true"


def cannot_run_here(reason: str, ci_reason: str | None = None) -> NoReturn:
    """Fail under ``CI=true`` (with ``ci_reason`` when given), else skip with ``reason``."""
    if CI:
        pytest.fail(ci_reason or f"{reason} (CI=true: this test must run)")
    pytest.skip(reason)
