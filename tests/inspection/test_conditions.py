"""Conditions read as kubectl wait reads them: only for the current generation, terminal
failures recognised at once, names compared case-insensitively."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from colonies.inspection.conditions import FAILED, Verdict, WantedCondition, read_condition
from colonies.models import Blueprint, BlueprintMetadata
from colonies.runtime.status import CONDITION_TYPES, Outcome, Phase, build_status

READY = WantedCondition()


def blueprint(generation: int, status: dict[str, Any] | None) -> Blueprint:
    return Blueprint(
        kind="Lamp", metadata=BlueprintMetadata(name="desk", generation=generation), status=status
    )


def runtime_status(phase: Phase, generation: int, message: str = "") -> dict[str, Any]:
    """A status exactly as the runtime writes it."""
    outcome = Outcome(phase=phase, generation=generation, message=message)
    return build_status(outcome, None, datetime(2026, 1, 2, tzinfo=UTC))


def test_ready_of_an_older_generation_does_not_count() -> None:
    stale = read_condition(blueprint(3, runtime_status(Phase.CONVERGED, 2)), READY)
    assert stale.verdict is Verdict.PENDING
    assert stale.seen == "observedGeneration 2, generation 3"
    current = read_condition(blueprint(3, runtime_status(Phase.CONVERGED, 3)), READY)
    assert current.verdict is Verdict.MET


def test_a_condition_s_own_observed_generation_wins_over_the_status() -> None:
    status = runtime_status(Phase.CONVERGED, 3)
    status["conditions"][0]["observedGeneration"] = 2
    assert read_condition(blueprint(3, status), READY).verdict is Verdict.PENDING


def test_terminal_failures_of_the_current_generation_end_the_wait_with_their_message() -> None:
    for phase in (Phase.PERMANENT_ERROR, Phase.INVALID_SPEC):
        status = runtime_status(phase, 4, "brightness 250 is out of range")
        reading = read_condition(blueprint(4, status), READY)
        assert reading.verdict is Verdict.FAILED
        assert reading.seen == f"{phase.value}: brightness 250 is out of range"
    old_failure = runtime_status(Phase.PERMANENT_ERROR, 3, "boom")
    assert read_condition(blueprint(4, old_failure), READY).verdict is Verdict.PENDING
    retrying = runtime_status(Phase.TEMPORARY_ERROR, 4, "bulb does not answer")
    pending = read_condition(blueprint(4, retrying), READY)
    assert pending.verdict is Verdict.PENDING
    assert pending.seen == "Ready=False (TemporaryError: bulb does not answer)"


def test_names_and_values_compare_case_insensitively() -> None:
    status = runtime_status(Phase.PENDING, 1)
    wanted = WantedCondition.parse("reconciling=TRUE")
    assert read_condition(blueprint(1, status), wanted).verdict is Verdict.MET
    assert read_condition(blueprint(1, None), READY).seen == "no status yet, generation 1"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ready", WantedCondition("Ready", "True")),
        ("Failed=false", WantedCondition("Failed", "false")),
    ],
)
def test_wanted_condition_parses_type_and_optional_status(
    text: str, expected: WantedCondition
) -> None:
    assert WantedCondition.parse(text) == expected


@pytest.mark.parametrize("text", ["", "=True", "Ready="])
def test_a_malformed_wanted_condition_names_the_expected_form(text: str) -> None:
    with pytest.raises(ValueError, match="TYPE or TYPE=STATUS"):
        WantedCondition.parse(text)


def test_a_status_that_records_no_generation_is_taken_as_it_is() -> None:
    """As kubectl: without any observedGeneration the condition counts."""
    status = {"conditions": [{"type": "Ready", "status": "True"}]}
    assert read_condition(blueprint(5, status), READY).verdict is Verdict.MET
    failed = {"conditions": [{"type": "Failed", "status": "True", "message": "no such device"}]}
    assert read_condition(blueprint(5, failed), READY).seen == "no such device"


def test_the_failed_condition_is_one_the_runtime_writes() -> None:
    assert FAILED in CONDITION_TYPES
