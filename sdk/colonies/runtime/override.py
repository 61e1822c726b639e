"""Drift and manual overrides: is this difference a change the runtime did not make, and
does the blueprint's drift policy (``drift.py``) leave it alone?

Echoes of the runtime's own commands never count: a difference is drift only when the
stored status says the device had converged on this very generation (or was already held
or adopted). A difference under a new generation is a spec change, one while the previous
command is still ``Pending`` is that command settling, and one after ``Unavailable`` is a
device that came back in its power-on state: all three are applied whatever the policy.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic import BaseModel

from colonies.runtime.diff import Diff
from colonies.runtime.drift import DriftPolicy, parse_policy, policy_overrides
from colonies.runtime.metrics import RuntimeMetrics
from colonies.runtime.reconciler import Reconciler
from colonies.runtime.resource import Resource
from colonies.runtime.status import (
    Outcome,
    Phase,
    format_time,
    generation_observed,
    stored_condition,
    stored_phase,
)

log = logging.getLogger("colonies.runtime")

_CONVERGED_ONCE = frozenset({Phase.CONVERGED, Phase.HELD, Phase.ADOPTED})


@dataclass(frozen=True)
class Verdict:
    """``drift``: the difference is a change the runtime did not make; ``leave``: the
    outcome to record instead of applying (``None``: apply the spec)."""

    drift: bool
    leave: Outcome | None = None


def is_drift(resource: Resource[BaseModel]) -> bool:
    status = resource.status
    return (
        generation_observed(status) == resource.generation
        and stored_phase(status) in _CONVERGED_ONCE
    )


def override_since(resource: Resource[BaseModel], now: datetime) -> datetime:
    """When the current manual override began: the stored ManualOverride's transition."""
    condition = stored_condition(resource.status, "ManualOverride") or {}
    if condition.get("status") == "True":
        try:
            return datetime.fromisoformat(str(condition.get("lastTransitionTime")))
        except ValueError:
            pass
    return now


class DriftJudge:
    """Applies one reconciler's drift policy, with per-blueprint annotation overrides."""

    def __init__(self, reconciler: type[Reconciler[BaseModel, BaseModel]], metrics: RuntimeMetrics):
        self.policy = parse_policy(reconciler.drift_policy, "drift_policy")
        self.hold_period = reconciler.hold_period
        self.metrics = metrics

    def policy_for(self, resource: Resource[BaseModel]) -> tuple[DriftPolicy, float]:
        """The blueprint's policy and hold period; a bad annotation falls back, loudly."""
        try:
            policy, period = policy_overrides(resource.annotations)
        except ValueError as error:
            log.warning("%s; using the reconciler's %s policy", error, self.policy.value)
            policy, period = None, None
        return policy or self.policy, period or self.hold_period

    def judge(
        self,
        resource: Resource[BaseModel],
        observed: BaseModel,
        diff: Diff,
        source: str,
        now: datetime,
    ) -> Verdict:
        if not is_drift(resource):
            return Verdict(drift=False)
        self.metrics.drift_found(source)
        policy, period = self.policy_for(resource)
        previous = stored_phase(resource.status)
        changed = diff.summary()
        if policy is DriftPolicy.ADOPT:
            if previous is not Phase.ADOPTED:
                self.metrics.drift_adopted()
                log.info("changed outside the runtime (%s): adopted under policy adopt", changed)
            message = f"changed outside the runtime; adopted until the spec changes: {changed}"
            return Verdict(True, Outcome(Phase.ADOPTED, resource.generation, message, observed))
        if policy is DriftPolicy.HOLD:
            until = override_since(resource, now) + timedelta(seconds=period)
            if now < until:
                if previous is not Phase.HELD:
                    self.metrics.drift_held()
                    log.info("changed outside the runtime (%s): held until %s", changed, until)
                message = f"changed outside the runtime; held until {format_time(until)}: {changed}"
                held = Outcome(Phase.HELD, resource.generation, message, observed, until=until)
                return Verdict(True, held)
            log.info("hold over; correcting %s", changed)
        else:
            log.info("changed outside the runtime (%s): correcting", changed)
        return Verdict(drift=True)
