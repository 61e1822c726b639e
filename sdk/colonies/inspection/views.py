"""What people see of a blueprint, independent of any UI: desired next to observed, conditions,
health, history and the processes that reconciled it.

The dashboard renders these as HTML, ``colonies-sdk get``/``describe`` as tables. Built from the
client's models and kept free of I/O (:mod:`colonies.inspection.reader` fetches), so it can be
tested with hand-made data. Times stay ``datetime`` (UTC) so each UI shows them in its
viewer's time zone."""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from colonies.inspection.compare import FieldPair, FieldState, compare_documents
from colonies.inspection.conditions import (
    Condition,
    find_condition,
    parse_conditions,
    parse_time,
    terminal_failure,
)
from colonies.models import Blueprint, BlueprintHistory, Log, Process
from colonies.runtime.reconciler import RESERVED_STATUS_FIELDS
from colonies.runtime.status import generation_observed

GROUP_LABEL = "room"
"""The label that groups blueprints inside a kind and location, when they carry it."""


class Health(enum.Enum):
    """One word per blueprint, worst first, so a glance finds trouble."""

    FAILED = "failed"
    DEGRADED = "degraded"
    DRIFT = "drift"
    RECONCILING = "reconciling"
    PENDING = "pending"
    READY = "ready"

    @property
    def label(self) -> str:
        """The word people read (the dashboard's badge, the STATUS column of ``get``)."""
        return "Not reconciled yet" if self is Health.PENDING else self.value.capitalize()


@dataclass(frozen=True)
class BlueprintView:
    """One blueprint: desired next to observed, and how its last reconcile went.

    ``fields`` holds the fields that matter: every spec field, and status-only fields that
    are set (a device model's fields of other device types stay out)."""

    name: str
    kind: str
    location: str
    labels: Mapping[str, str]
    generation: int
    observed_generation: int | None
    fields: Sequence[FieldPair]
    conditions: Sequence[Condition]
    last_reconcile_time: datetime | None
    last_error: str | None
    failure: str | None
    has_status: bool

    @property
    def drifting_fields(self) -> list[str]:
        return [f.path for f in self.fields if f.state is FieldState.DIFFERENT]

    @property
    def ready(self) -> str:
        """The Ready condition's status (``True``/``False``), ``Unknown`` without one."""
        condition = find_condition(self.conditions, "Ready")
        return condition.status if condition is not None else "Unknown"

    @property
    def health(self) -> Health:
        if self.failure is not None:
            return Health.FAILED
        if self.condition_is_true("Degraded"):
            return Health.DEGRADED
        if not self.has_status:
            return Health.PENDING
        if self.observed_generation is None or self.observed_generation < self.generation:
            return Health.RECONCILING
        if self.condition_is_true("Reconciling"):
            return Health.RECONCILING
        if self.drifting_fields:
            return Health.DRIFT
        return Health.READY

    def condition_is_true(self, condition_type: str) -> bool:
        condition = find_condition(self.conditions, condition_type)
        return condition is not None and condition.is_true


@dataclass(frozen=True)
class BlueprintGroup:
    """The blueprints of one kind at one location (``""``: none) with one value of the
    grouping label (``""``: without it)."""

    kind: str
    location: str
    label_value: str
    blueprints: Sequence[BlueprintView]


@dataclass(frozen=True)
class Overview:
    """Everything on the front page."""

    colony_name: str
    groups: Sequence[BlueprintGroup]
    group_label: str = GROUP_LABEL

    @property
    def health_counts(self) -> dict[Health, int]:
        counts = dict.fromkeys(Health, 0)
        for group in self.groups:
            for blueprint in group.blueprints:
                counts[blueprint.health] += 1
        return counts


@dataclass(frozen=True)
class HistoryEntryView:
    """One spec revision and what it changed compared with the revision before it."""

    generation: int
    change_type: str
    timestamp: datetime | None
    changed_by: str
    changes: Sequence[FieldPair]


@dataclass(frozen=True)
class LogLine:
    timestamp: datetime | None
    executor_name: str
    message: str


@dataclass(frozen=True)
class ProcessView:
    """A reconcile (or cleanup) process that targeted the blueprint, with its logs."""

    process_id: str
    func_name: str
    state: str
    forced: bool
    submitted: datetime | None
    ended: datetime | None
    errors: Sequence[str]
    output: Sequence[str]
    logs: Sequence[LogLine] = field(default_factory=tuple)


@dataclass(frozen=True)
class Detail:
    """Everything about one blueprint (the dashboard's blueprint page, ``describe``)."""

    colony_name: str
    blueprint: BlueprintView
    history: Sequence[HistoryEntryView]
    processes: Sequence[ProcessView]


def display_value(value: Any) -> str:
    """A field's value for people: strings as they are, anything else as compact, stable JSON."""
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def blueprint_view(blueprint: Blueprint) -> BlueprintView:
    """Summarise one blueprint; tolerant of statuses not written by our runtime."""
    observed = blueprint.status or {}
    last_error = observed.get("lastError")
    pairs = compare_documents(blueprint.spec, observed, ignore=RESERVED_STATUS_FIELDS)
    return BlueprintView(
        name=blueprint.metadata.name,
        kind=blueprint.kind,
        location=blueprint.metadata.location_name,
        labels=dict(blueprint.metadata.labels),
        generation=blueprint.metadata.generation,
        observed_generation=generation_observed(observed),
        fields=[p for p in pairs if p.has_left or p.right is not None],
        conditions=parse_conditions(observed),
        last_reconcile_time=parse_time(observed.get("lastReconcileTime"))
        or blueprint.metadata.last_reconciliation_time,
        last_error=str(last_error) if last_error else None,
        failure=terminal_failure(blueprint),
        has_status=bool(observed),
    )


def group_blueprints(
    blueprints: Iterable[BlueprintView], label: str = GROUP_LABEL
) -> list[BlueprintGroup]:
    """Group by kind, location (case-insensitively, as the server matches them), then the value
    of ``label``; blueprints without the label come last. Sorted so the page does not reshuffle."""
    grouped: dict[tuple[str, str, bool, str], list[BlueprintView]] = {}
    for blueprint in blueprints:
        value = blueprint.labels.get(label, "")
        key = (blueprint.kind, blueprint.location.lower(), not value, value)
        grouped.setdefault(key, []).append(blueprint)
    groups = []
    for (kind, _, _, value), members in sorted(grouped.items()):
        members.sort(key=lambda b: b.name)
        groups.append(BlueprintGroup(kind, members[0].location, value, members))
    return groups


def history_views(entries: Sequence[BlueprintHistory]) -> list[HistoryEntryView]:
    """Timeline entries (newest first, as the server lists them), each compared with the
    revision before it to say what changed."""
    views = []
    for index, entry in enumerate(entries):
        older = entries[index + 1].spec if index + 1 < len(entries) else {}
        changes = [
            p for p in compare_documents(entry.spec, older) if p.state is not FieldState.SAME
        ]
        views.append(
            HistoryEntryView(
                generation=entry.generation,
                change_type=entry.change_type,
                timestamp=entry.timestamp,
                changed_by=entry.changed_by,
                changes=changes,
            )
        )
    return views


def process_view(process: Process, logs: Sequence[Log] = ()) -> ProcessView:
    """A reconcile process with its log lines, oldest line first."""
    return ProcessView(
        process_id=process.process_id,
        func_name=process.spec.func_name,
        state=process.state.name,
        forced=process.spec.kwargs.get("force") is True,
        submitted=process.submission_time,
        ended=process.end_time,
        errors=[str(e) for e in process.errors],
        output=[str(o) for o in process.output],
        logs=[
            LogLine(_from_unix_ns(log.timestamp), log.executor_name, log.message)
            for log in sorted(logs, key=lambda log: log.timestamp)
        ],
    )


def _from_unix_ns(nanoseconds: int) -> datetime | None:
    return datetime.fromtimestamp(nanoseconds / 1e9, tz=UTC) if nanoseconds else None
