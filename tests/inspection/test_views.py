"""How blueprints are summarised: health words, grouping and the history timeline."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from colonies.inspection.compare import FieldState
from colonies.inspection.views import (
    BlueprintView,
    Health,
    Overview,
    blueprint_view,
    group_blueprints,
    history_views,
    process_view,
)
from colonies.models import Blueprint, BlueprintHistory, BlueprintMetadata, Log, Process


def make(
    name: str = "lamp",
    *,
    kind: str = "HomeDevice",
    location: str = "",
    generation: int = 2,
    labels: dict[str, str] | None = None,
    spec: dict[str, Any] | None = None,
    status: dict[str, Any] | None = None,
) -> BlueprintView:
    metadata = BlueprintMetadata(
        name=name, location_name=location, generation=generation, labels=labels or {}
    )
    blueprint = Blueprint(
        kind=kind, metadata=metadata, spec={"power": True} if spec is None else spec, status=status
    )
    return blueprint_view(blueprint)


def condition(kind: str, status: str, reason: str = "") -> dict[str, str]:
    return {
        "type": kind,
        "status": status,
        "reason": reason,
        "message": "",
        "lastTransitionTime": "",
    }


def test_health_words_cover_each_stage_of_a_reconcile() -> None:
    assert make(status=None).health is Health.PENDING
    assert make(status={"power": True, "observedGeneration": 1}).health is Health.RECONCILING
    assert make(status={"power": False, "observedGeneration": 2}).health is Health.DRIFT
    assert make(status={"power": True, "observedGeneration": 2}).health is Health.READY
    degraded = {
        "power": True,
        "observedGeneration": 2,
        "conditions": [condition("Degraded", "True")],
    }
    assert make(status=degraded).health is Health.DEGRADED
    failed = {"observedGeneration": 2, "conditions": [condition("Failed", "True", "InvalidSpec")]}
    assert make(status=failed).health is Health.FAILED


def test_bookkeeping_fields_are_facts_not_compared_fields() -> None:
    view = make(
        status={
            "power": True,
            "observedGeneration": 2,
            "lastReconcileTime": "2026-01-02T03:04:05Z",
            "lastError": "timeout talking to the bulb",
            "conditions": [condition("Ready", "True", "Converged")],
        }
    )
    assert [f.path for f in view.fields] == ["power"]
    assert view.last_reconcile_time == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert view.last_error == "timeout talking to the bulb"
    assert [(c.type, c.reason, c.is_true) for c in view.conditions] == [
        ("Ready", "Converged", True)
    ]


def test_unexpected_status_shapes_do_not_break_the_summary() -> None:
    view = make(status={"observedGeneration": "two", "conditions": {"Ready": True}})
    assert view.observed_generation is None
    assert view.conditions == []
    assert view.health is Health.RECONCILING


def test_groups_by_kind_location_then_room_label_sorted_by_name() -> None:
    views = [
        make("b", location="Kitchen"),
        make("a", location="kitchen"),
        make("c"),
        make("d", kind="Alarm"),
        make("e", labels={"room": "hall"}),
        make("f", labels={"room": "attic"}),
    ]
    groups = group_blueprints(views)
    assert [
        (g.kind, g.location, g.label_value, [b.name for b in g.blueprints]) for g in groups
    ] == [
        ("Alarm", "", "", ["d"]),
        ("HomeDevice", "", "attic", ["f"]),
        ("HomeDevice", "", "hall", ["e"]),
        ("HomeDevice", "", "", ["c"]),
        ("HomeDevice", "kitchen", "", ["a", "b"]),
    ]
    overview = Overview("home", groups)
    assert overview.health_counts[Health.PENDING] == 6


def test_history_entries_show_what_changed_since_the_previous_revision() -> None:
    def revision(generation: int, spec: dict[str, Any]) -> BlueprintHistory:
        change = "create" if generation == 0 else "update"
        return BlueprintHistory(generation=generation, change_type=change, spec=spec)

    entries = history_views(
        [
            revision(2, {"power": True, "brightness": 80}),
            revision(1, {"power": True, "brightness": 50}),
            revision(0, {"power": False}),
        ]
    )
    assert [(c.path, c.right, c.left) for c in entries[0].changes] == [("brightness", 50, 80)]
    assert {(c.path, c.state) for c in entries[1].changes} == {
        ("power", FieldState.DIFFERENT),
        ("brightness", FieldState.LEFT_ONLY),
    }
    assert [(c.path, c.state) for c in entries[2].changes] == [("power", FieldState.LEFT_ONLY)]


def test_times_are_kept_as_utc_datetimes_and_garbled_ones_dropped() -> None:
    view = make(status={"power": True, "lastReconcileTime": "2026-01-02T03:04:05.123456Z"})
    assert view.last_reconcile_time == datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=UTC)
    assert make(status={"lastReconcileTime": "yesterday"}).last_reconcile_time is None


def test_a_card_shows_spec_fields_and_set_status_fields_only() -> None:
    """A blind's status carries every field of the device model, mostly null: only the
    spec's fields and the status fields with a value matter."""
    status = {"position": 40, "brightness": None, "hvac_mode": None, "reachable": True}
    view = make(spec={"position": 40, "tilt": None}, status=status)
    assert [f.path for f in view.fields] == ["position", "tilt", "reachable"]


def test_process_view_marks_forced_reconciles_and_orders_logs() -> None:
    process = Process.from_wire(
        {
            "processid": "p" * 64,
            "state": 3,
            "submissiontime": "2026-01-02T03:04:05.5Z",
            "endtime": "0001-01-01T00:00:00Z",
            "spec": {"funcname": "reconcile", "kwargs": {"blueprintName": "lamp", "force": True}},
            "errors": ["bulb unreachable"],
        }
    )
    logs = [
        Log(message="second", timestamp=2_000_000_000, executor_name="r"),
        Log(message="first", timestamp=1_000_000_000, executor_name="r"),
    ]
    view = process_view(process, logs)
    assert (view.state, view.forced, view.ended) == ("FAILED", True, None)
    assert view.submitted == datetime(2026, 1, 2, 3, 4, 5, 500000, tzinfo=UTC)
    assert [line.message for line in view.logs] == ["first", "second"]
    assert view.logs[0].timestamp == datetime(1970, 1, 1, 0, 0, 1, tzinfo=UTC)
