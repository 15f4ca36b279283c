"""The HTTP load engine behind ``scalescope load``.

Importing this package defines names only. The public surface is small: build a
:class:`LoadConfig` (directly or from a scenario), :func:`run_load` it, turn the outcome into the
JSON result with :func:`build_result`.
"""

from __future__ import annotations

from scalescope.load.config import LoadConfig, Model, RequestSpec, Stage, Target, WorkerPlan
from scalescope.load.result import SCHEMA_VERSION, build_result
from scalescope.load.runner import RunOutcome, TargetUnreachable, run_load
from scalescope.load.scenario import load_scenario

__all__ = [
    "SCHEMA_VERSION",
    "LoadConfig",
    "Model",
    "RequestSpec",
    "RunOutcome",
    "Stage",
    "Target",
    "TargetUnreachable",
    "WorkerPlan",
    "build_result",
    "load_scenario",
    "run_load",
]
