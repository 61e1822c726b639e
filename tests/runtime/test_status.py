"""Status building: conditions keep their transition time, unchanged outcomes need no write."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import BaseModel

from colonies.runtime import Change, Diff, Phase
from colonies.runtime.status import (
    Outcome,
    build_status,
    format_time,
    generation_observed,
    needs_write,
    observed_fields,
    stamp,
    stored_phase,
)

T0 = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
T1 = T0 + timedelta(minutes=5)


class Status(BaseModel):
    power: bool = False


def conditions(status: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {c["type"]: c for c in status["conditions"]}


def test_applied_status_has_observed_fields_generation_and_ready_true() -> None:
    applied = Diff((Change("power", True, False),))
    status = build_status(
        Outcome(Phase.CONVERGED, 3, "in sync", Status(power=True), applied), None, T0
    )
    assert status["power"] is True
    assert status["observedGeneration"] == 3
    assert "lastError" not in status
    truth = {name: c["status"] for name, c in conditions(status).items()}
    assert truth == {
        "Ready": "True",
        "Reconciling": "False",
        "Degraded": "False",
        "Failed": "False",
        "Drifted": "False",
        "ManualOverride": "False",
    }
    assert all(c["lastTransitionTime"] == format_time(T0) for c in conditions(status).values())
    assert stored_phase(status) is Phase.CONVERGED
    assert generation_observed(status) == 3


def test_same_outcome_later_needs_no_write_and_keeps_times() -> None:
    first = stamp(build_status(Outcome(Phase.CONVERGED, 1, "ok", Status(power=True)), None, T0), T0)
    again = build_status(Outcome(Phase.CONVERGED, 1, "ok", Status(power=True)), first, T1)
    assert not needs_write(again, first)
    assert again["lastReconcileTime"] == first["lastReconcileTime"]


def test_flipped_condition_gets_a_new_transition_time_others_keep_theirs() -> None:
    first = build_status(Outcome(Phase.CONVERGED, 1, "ok", Status(power=True)), None, T0)
    failed = build_status(Outcome(Phase.PERMANENT_ERROR, 2, "broken"), first, T1)
    times = {name: c["lastTransitionTime"] for name, c in conditions(failed).items()}
    assert times["Ready"] == format_time(T1)
    assert times["Failed"] == format_time(T1)
    assert times["Reconciling"] == format_time(T0)
    assert failed["lastError"] == "broken"
    assert failed["power"] is True, "observed fields survive an outcome without observation"
    assert needs_write(failed, first)


def test_invalid_spec_sets_failed_with_its_reason() -> None:
    status = build_status(Outcome(Phase.INVALID_SPEC, 4, "invalid spec: x"), None, T0)
    failed = conditions(status)["Failed"]
    assert failed["status"] == "True"
    assert failed["reason"] == "InvalidSpec"
    assert stored_phase(status) is Phase.INVALID_SPEC
    assert Phase.INVALID_SPEC.is_terminal


def test_helpers_tolerate_foreign_statuses() -> None:
    foreign = {"observedGeneration": True, "conditions": [{"type": "Ready", "reason": "Other"}]}
    assert generation_observed(foreign) is None
    assert stored_phase(foreign) is None
    assert stored_phase(None) is None
    assert observed_fields({"power": 1, "observedGeneration": 2, "lastError": "x"}) == {"power": 1}
