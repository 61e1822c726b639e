"""Shared by the home reconciler's end-to-end suites."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from colonies.models import Blueprint
from colonies.runtime import RetryPolicy
from colonies.runtime.drift import HOLD_PERIOD_ANNOTATION, POLICY_ANNOTATION
from colonies.testing.runner import ReconcilerRunner
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


async def add_device(
    runner: ReconcilerRunner,
    name: str,
    spec: dict[str, Any],
    *,
    policy: str | None = None,
    hold_period: float | None = None,
) -> Blueprint:
    """Add blueprint ``name``, with a drift policy (and hold period) annotation when given."""
    annotations = {}
    if policy is not None:
        annotations[POLICY_ANNOTATION] = policy
    if hold_period is not None:
        annotations[HOLD_PERIOD_ANNOTATION] = f"{hold_period:g}"
    blueprint = Blueprint.model_validate(
        {
            "kind": runner.kind,
            "metadata": {
                "name": name,
                "colonyname": runner.colony_name,
                "annotations": annotations,
            },
            "spec": spec,
        }
    )
    return await runner.client.add_blueprint(blueprint)


def has_reason(kind: str, reason: str) -> Callable[[Blueprint], bool]:
    """Condition ``kind`` is True with ``reason``."""

    def check(blueprint: Blueprint) -> bool:
        conditions = (blueprint.status or {}).get("conditions") or []
        return any(
            c["type"] == kind and c["status"] == "True" and c.get("reason") == reason
            for c in conditions
        )

    return check
