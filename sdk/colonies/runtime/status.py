"""The status document the runtime writes: observed fields, generation, conditions, error.

Kubernetes conventions: ``observedGeneration`` says which spec the status describes;
conditions (Ready, Reconciling, Degraded, Failed, Drifted, ManualOverride) carry a reason,
a message and the time their truth value last flipped; a true ManualOverride's
``lastTransitionTime`` is when the override began and, under ``hold``, its ``until`` says
when the spec is applied again. A status is written only when it differs from the stored
one, ignoring ``lastReconcileTime``: a converged resync costs no write.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from colonies.runtime.diff import Diff
from colonies.runtime.reconciler import RESERVED_STATUS_FIELDS

CONDITION_TYPES = ("Ready", "Reconciling", "Degraded", "Failed", "Drifted", "ManualOverride")


class Phase(StrEnum):
    """How a reconcile ended; used as the conditions' ``reason``."""

    CONVERGED = "Converged"
    """The device matches the spec (it already did, or was just changed to)."""
    PENDING = "Pending"
    """The device was changed but does not report the desired state yet."""
    TEMPORARY_ERROR = "TemporaryError"
    """Retries ran out; the next trigger or resync tries again."""
    PERMANENT_ERROR = "PermanentError"
    """The reconciler gave up until the spec changes."""
    INVALID_SPEC = "InvalidSpec"
    """The spec does not validate against the reconciler's spec model."""
    HELD = "Held"
    """Drift under ``hold``: left alone until the condition's ``until``, then corrected."""
    ADOPTED = "Adopted"
    """Drift under ``adopt``: left as the person set it until the spec changes."""
    UNAVAILABLE = "Unavailable"
    """The device is away: nothing was observed or sent; reconciled when it returns."""

    @property
    def is_error(self) -> bool:
        return self in (Phase.TEMPORARY_ERROR, Phase.PERMANENT_ERROR, Phase.INVALID_SPEC)

    @property
    def is_terminal(self) -> bool:
        """Retrying the same generation cannot help."""
        return self in (Phase.PERMANENT_ERROR, Phase.INVALID_SPEC)


# (Ready, Reconciling, Degraded, Failed, Drifted, ManualOverride) per phase.
_TRUTH: dict[Phase, tuple[bool, bool, bool, bool, bool, bool]] = {
    Phase.CONVERGED: (True, False, False, False, False, False),
    Phase.PENDING: (False, True, False, False, False, False),
    Phase.TEMPORARY_ERROR: (False, True, True, False, False, False),
    Phase.PERMANENT_ERROR: (False, False, True, True, False, False),
    Phase.INVALID_SPEC: (False, False, False, True, False, False),
    Phase.HELD: (False, False, False, False, True, True),
    Phase.ADOPTED: (False, False, False, False, True, True),
    Phase.UNAVAILABLE: (False, False, True, False, False, False),
}


@dataclass(frozen=True)
class Outcome:
    """The result of one reconcile of one blueprint generation.

    ``observed`` is the device status afterwards (``None`` when it could not be read);
    ``applied`` the changes that were sent to the device; ``residual`` what still differs;
    ``until`` when a ``hold`` ends.
    Whether something was applied is not part of the stored status, so the first resync
    after a change finds an identical status and writes nothing.
    """

    phase: Phase
    generation: int
    message: str = ""
    observed: BaseModel | None = None
    applied: Diff = field(default_factory=Diff)
    residual: Diff = field(default_factory=Diff)
    until: datetime | None = None

    @property
    def error(self) -> str | None:
        return self.message if self.phase.is_error else None


def format_time(moment: datetime) -> str:
    """RFC 3339, UTC, whole seconds: stable enough to compare, precise enough to read."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def build_conditions(
    phase: Phase,
    message: str,
    previous: list[dict[str, Any]] | None,
    now: datetime,
    until: datetime | None = None,
) -> list[dict[str, Any]]:
    """The conditions for ``phase``, keeping ``lastTransitionTime`` when a truth value did
    not change (so an unchanged outcome yields an identical list); ``until`` goes on a true
    ManualOverride."""
    before = {item.get("type"): item for item in previous or [] if isinstance(item, dict)}
    conditions = []
    for condition_type, truth in zip(CONDITION_TYPES, _TRUTH[phase], strict=True):
        status = "True" if truth else "False"
        old = before.get(condition_type)
        if old is not None and old.get("status") == status and old.get("lastTransitionTime"):
            since = str(old["lastTransitionTime"])
        else:
            since = format_time(now)
        condition = {
            "type": condition_type,
            "status": status,
            "reason": phase.value,
            "message": message,
            "lastTransitionTime": since,
        }
        if condition_type == "ManualOverride" and truth and until is not None:
            condition["until"] = format_time(until)
        conditions.append(condition)
    return conditions


def observed_fields(status: dict[str, Any] | None) -> dict[str, Any]:
    """The device fields of a stored status, without the runtime's own keys."""
    return {k: v for k, v in (status or {}).items() if k not in RESERVED_STATUS_FIELDS}


def build_status(
    outcome: Outcome, previous: dict[str, Any] | None, now: datetime
) -> dict[str, Any]:
    """The status to store after ``outcome``; when nothing could be observed the previously
    observed fields are kept. ``lastReconcileTime`` is carried over; see :func:`stamp`."""
    if outcome.observed is not None:
        fields = outcome.observed.model_dump(mode="json", by_alias=True)
    else:
        fields = observed_fields(previous)
    status: dict[str, Any] = {
        **fields,
        "observedGeneration": outcome.generation,
        "conditions": build_conditions(
            outcome.phase, outcome.message, (previous or {}).get("conditions"), now, outcome.until
        ),
    }
    if previous and "lastReconcileTime" in previous:
        status["lastReconcileTime"] = previous["lastReconcileTime"]
    if outcome.error is not None:
        status["lastError"] = outcome.error
    return status


def needs_write(new: dict[str, Any], previous: dict[str, Any] | None) -> bool:
    """Whether ``new`` says anything the stored status does not (timestamps aside)."""

    def comparable(status: dict[str, Any] | None) -> dict[str, Any]:
        return {k: v for k, v in (status or {}).items() if k != "lastReconcileTime"}

    return previous is None or comparable(new) != comparable(previous)


def stamp(status: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The status with ``lastReconcileTime`` set: the time of the last reconcile that changed it."""
    return {**status, "lastReconcileTime": format_time(now)}


def generation_observed(status: dict[str, Any] | None) -> int | None:
    """``observedGeneration`` of a stored status, if it has a sane one."""
    value = (status or {}).get("observedGeneration")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def stored_condition(status: dict[str, Any] | None, condition_type: str) -> dict[str, Any] | None:
    """The stored condition of ``condition_type``, if the status has one."""
    for item in (status or {}).get("conditions") or []:
        if isinstance(item, dict) and item.get("type") == condition_type:
            return item
    return None


def stored_phase(status: dict[str, Any] | None) -> Phase | None:
    """The phase the stored status was written for (read back from the Ready condition)."""
    reason = (stored_condition(status, "Ready") or {}).get("reason")
    return next((phase for phase in Phase if phase.value == reason), None)
