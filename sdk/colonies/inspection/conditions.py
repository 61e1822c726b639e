"""A blueprint's conditions read the way ``kubectl wait`` reads them, on the runtime's conventions.

:mod:`colonies.runtime.status` writes the status: ``observedGeneration`` says which spec it
describes, and the phase of the last reconcile sets the Ready, Reconciling, Degraded and Failed
conditions. Here they are read back, once, for ``get``, ``describe``, ``wait``, the dashboard and
the test runner:

- a condition counts only once the generation it was observed for (its own
  ``observedGeneration``, else the status's) has reached ``metadata.generation``, so a wait
  right after a spec change cannot pass on the previous generation's Ready (a status that
  records no generation at all is taken as it is, as kubectl does);
- a terminal failure of the current generation (condition ``Failed`` true: phase
  PermanentError or InvalidSpec) ends a wait at once, since retrying the same generation
  cannot help. Statuses written by other reconcilers are read with the same rules.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from colonies.models import Blueprint
from colonies.runtime.status import generation_observed, stored_phase

FAILED = "Failed"
"""The condition (one of :data:`CONDITION_TYPES`) that is true exactly when the runtime gave
up on the current generation."""


@dataclass(frozen=True)
class Condition:
    """One Kubernetes-style condition of a status."""

    type: str
    status: str
    reason: str
    message: str
    last_transition_time: datetime | None
    observed_generation: int | None = None

    @property
    def is_true(self) -> bool:
        return self.status.lower() == "true"


def parse_time(value: Any) -> datetime | None:
    """An RFC 3339 time from a status (naive times are UTC); ``None`` when absent or garbled."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def parse_conditions(status: Mapping[str, Any] | None) -> list[Condition]:
    """The conditions of a status; anything not shaped like one is skipped."""
    raw = (status or {}).get("conditions")
    if not isinstance(raw, list):
        return []
    return [
        Condition(
            type=str(item.get("type", "")),
            status=str(item.get("status", "")),
            reason=str(item.get("reason", "")),
            message=str(item.get("message", "")),
            last_transition_time=parse_time(item.get("lastTransitionTime")),
            observed_generation=generation_observed(dict(item)),
        )
        for item in raw
        if isinstance(item, Mapping)
    ]


def find_condition(conditions: Sequence[Condition], condition_type: str) -> Condition | None:
    """The condition of that type; types compare case-insensitively, as in kubectl."""
    wanted = condition_type.lower()
    return next((c for c in conditions if c.type.lower() == wanted), None)


def observed_for(condition: Condition | None, status: Mapping[str, Any] | None) -> int | None:
    """The generation a condition describes: its own ``observedGeneration``, else the status's."""
    if condition is not None and condition.observed_generation is not None:
        return condition.observed_generation
    return generation_observed(dict(status or {}))


def terminal_failure(blueprint: Blueprint) -> str | None:
    """Why the current generation failed for good, or ``None`` if it did not."""
    status = blueprint.status
    conditions = parse_conditions(status)
    failed = find_condition(conditions, FAILED)
    phase = stored_phase(status)
    if not ((failed is not None and failed.is_true) or (phase is not None and phase.is_terminal)):
        return None
    observed = observed_for(failed, status)
    if observed is not None and observed < blueprint.metadata.generation:
        return None
    reason = failed.reason if failed is not None else str(phase)
    message = failed.message if failed is not None and failed.message else ""
    message = message or str((status or {}).get("lastError") or "")
    return ": ".join(part for part in (reason, message) if part) or FAILED


@dataclass(frozen=True)
class WantedCondition:
    """What ``wait --for condition=TYPE[=STATUS]`` waits for (STATUS defaults to True)."""

    type: str = "Ready"
    status: str = "True"

    @classmethod
    def parse(cls, text: str) -> WantedCondition:
        """``Ready`` or ``Ready=False``; raises ``ValueError`` naming the expected form."""
        condition_type, _, status = text.partition("=")
        if not condition_type.strip() or (_ and not status.strip()):
            raise ValueError(f"expected TYPE or TYPE=STATUS, got {text!r}")
        return cls(condition_type.strip(), status.strip() or "True")

    def __str__(self) -> str:
        return f"{self.type}={self.status}"


class Verdict(enum.Enum):
    MET = "met"
    PENDING = "pending"
    FAILED = "failed"


@dataclass(frozen=True)
class Reading:
    """Where a blueprint stands against a wanted condition, with what was seen, for people."""

    verdict: Verdict
    seen: str


def read_condition(blueprint: Blueprint, wanted: WantedCondition) -> Reading:
    """Judge ``blueprint`` against ``wanted`` with the rules in the module docstring."""
    generation = blueprint.metadata.generation
    condition = find_condition(parse_conditions(blueprint.status), wanted.type)
    observed = observed_for(condition, blueprint.status)
    current = observed is None or observed >= generation
    if current and condition is not None and condition.status.lower() == wanted.status.lower():
        return Reading(Verdict.MET, f"{condition.type}={condition.status}")
    failure = terminal_failure(blueprint)
    if failure is not None:
        return Reading(Verdict.FAILED, failure)
    if not blueprint.status:
        return Reading(Verdict.PENDING, f"no status yet, generation {generation}")
    if not current:
        return Reading(Verdict.PENDING, f"observedGeneration {observed}, generation {generation}")
    if condition is None:
        return Reading(Verdict.PENDING, f"no {wanted.type} condition")
    detail = f" ({condition.reason}: {condition.message})" if condition.reason else ""
    return Reading(Verdict.PENDING, f"{condition.type}={condition.status}{detail}")
