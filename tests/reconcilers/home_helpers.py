"""Shared by the home reconciler's end-to-end suites."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from colonies.models import Blueprint
from colonies.runtime import RetryPolicy
from colonies_home.backends.base import DeviceBackend
from colonies_home.backends.registry import HomeBackends
from colonies_home.blueprints import example_blueprints
from colonies_home.model import BackendKind
from colonies_home.reconciler import HomeDeviceReconciler
from colonies_home.safety import ActuationGuard, SafetyLimits
from colonies_home.settings import HomeSettings


class QuickHomeReconciler(HomeDeviceReconciler):
    """The same reconciler with retries short enough for a test to see them run out."""

    retry = RetryPolicy(attempts=2, initial_delay=0.05, max_delay=0.1, jitter=0.0)


def examples_of_the_test_kind(backend: BackendKind, colony: str) -> list[Blueprint]:
    """The example blueprints, retargeted to the kind :class:`QuickHomeReconciler` serves."""
    return [
        blueprint.model_copy(update={"kind": QuickHomeReconciler.kind})
        for blueprint in example_blueprints(backend, colony)
    ]


def reconciler_for(*backends: DeviceBackend) -> QuickHomeReconciler:
    registry = HomeBackends(HomeSettings(), backends={b.kind: b for b in backends})
    return QuickHomeReconciler(registry, ActuationGuard(SafetyLimits(min_interval=0.05)))


def condition(blueprint: Blueprint, kind: str) -> dict[str, Any]:
    conditions = (blueprint.status or {}).get("conditions") or []
    return next(item for item in conditions if item["type"] == kind)


def is_true(kind: str) -> Callable[[Blueprint], bool]:
    def check(blueprint: Blueprint) -> bool:
        conditions = (blueprint.status or {}).get("conditions") or []
        return any(c["type"] == kind and c["status"] == "True" for c in conditions)

    return check
