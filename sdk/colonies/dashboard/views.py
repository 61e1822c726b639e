"""What the dashboard shows, independent of HTML: blueprints summarised for people.

Built from the client's models; rendered by :mod:`colonies.dashboard.render` and served as JSON
by the app. Kept free of I/O so it can be tested with hand-made data."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from colonies.dashboard.compare import FieldPair, FieldState, compare_documents
from colonies.models import Blueprint, BlueprintHistory, Log, Process
from colonies.runtime.reconciler import RESERVED_STATUS_FIELDS


class Health(enum.Enum):
    """One word per blueprint, worst first, so a glance at the page finds trouble."""

    FAILED = "failed"
    DEGRADED = "degraded"
    DRIFT = "drift"
    RECONCILING = "reconciling"
    PENDING = "pending"
    READY = "ready"


@dataclass(frozen=True)
class ConditionView:
    """A Kubernetes-style condition as the runtime writes it into the status."""

    type: str
    status: str
    reason: str
    message: str
    last_transition_time: str

    @property
    def is_true(self) -> bool:
        return self.status.lower() == "true"


@dataclass(frozen=True)
class BlueprintView:
    """One blueprint: desired next to observed, and how its last reconcile went."""

    name: str
    kind: str
    location: str
    labels: Mapping[str, str]
    generation: int
    observed_generation: int | None
    fields: Sequence[FieldPair]
    conditions: Sequence[ConditionView]
    last_reconcile_time: str | None
    last_error: str | None
    has_status: bool

    @property
    def drifting_fields(self) -> list[str]:
        return [f.path for f in self.fields if f.state is FieldState.DIFFERENT]

    @property
    def health(self) -> Health:
        if self.condition_is_true("Failed"):
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
        return any(c.type == condition_type and c.is_true for c in self.conditions)


@dataclass(frozen=True)
class BlueprintGroup:
    """The blueprints of one kind at one location (location ``""`` means none)."""

    kind: str
    location: str
    blueprints: Sequence[BlueprintView]


@dataclass(frozen=True)
class Overview:
    """Everything on the front page."""

    colony_name: str
    groups: Sequence[BlueprintGroup]

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
    timestamp: str
    changed_by: str
    changes: Sequence[FieldPair]


@dataclass(frozen=True)
class LogLine:
    timestamp: str
    executor_name: str
    message: str


@dataclass(frozen=True)
class ProcessView:
    """A reconcile (or cleanup) process that targeted the blueprint, with its logs."""

    process_id: str
    func_name: str
    state: str
    forced: bool
    submitted: str | None
    ended: str | None
    errors: Sequence[str]
    output: Sequence[str]
    logs: Sequence[LogLine] = field(default_factory=tuple)


@dataclass(frozen=True)
class Detail:
    """The detail page of one blueprint."""

    colony_name: str
    blueprint: BlueprintView
    history: Sequence[HistoryEntryView]
    processes: Sequence[ProcessView]


def blueprint_view(blueprint: Blueprint) -> BlueprintView:
    """Summarise one blueprint; tolerant of statuses not written by our runtime."""
    observed = blueprint.status or {}
    observed_generation = observed.get("observedGeneration")
    last_error = observed.get("lastError")
    last_reconcile = _status_time(observed.get("lastReconcileTime")) or _time(
        blueprint.metadata.last_reconciliation_time
    )
    return BlueprintView(
        name=blueprint.metadata.name,
        kind=blueprint.kind,
        location=blueprint.metadata.location_name,
        labels=dict(blueprint.metadata.labels),
        generation=blueprint.metadata.generation,
        observed_generation=(
            observed_generation
            if isinstance(observed_generation, int) and not isinstance(observed_generation, bool)
            else None
        ),
        fields=compare_documents(blueprint.spec, observed, ignore=RESERVED_STATUS_FIELDS),
        conditions=_conditions(observed.get("conditions")),
        last_reconcile_time=last_reconcile,
        last_error=str(last_error) if last_error else None,
        has_status=bool(observed),
    )


def _conditions(raw: Any) -> list[ConditionView]:
    if not isinstance(raw, list):
        return []
    return [
        ConditionView(
            type=str(item.get("type", "")),
            status=str(item.get("status", "")),
            reason=str(item.get("reason", "")),
            message=str(item.get("message", "")),
            last_transition_time=_status_time(item.get("lastTransitionTime")) or "",
        )
        for item in raw
        if isinstance(item, Mapping)
    ]


def group_blueprints(blueprints: Iterable[BlueprintView]) -> list[BlueprintGroup]:
    """Group by kind, then location, each sorted by name so the page does not reshuffle."""
    grouped: dict[tuple[str, str], list[BlueprintView]] = {}
    for blueprint in blueprints:
        grouped.setdefault((blueprint.kind, blueprint.location.lower()), []).append(blueprint)
    groups = []
    for (kind, _), members in sorted(grouped.items()):
        members.sort(key=lambda b: b.name)
        groups.append(BlueprintGroup(kind, members[0].location, members))
    return groups


def history_views(entries: Sequence[BlueprintHistory]) -> list[HistoryEntryView]:
    """Timeline entries (newest first, as the server lists them), each compared with the
    revision before it so the page can say what changed."""
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
                timestamp=_time(entry.timestamp) or "",
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
        submitted=_time(process.submission_time),
        ended=_time(process.end_time),
        errors=[str(e) for e in process.errors],
        output=[str(o) for o in process.output],
        logs=[
            LogLine(_time(_from_unix_ns(log.timestamp)) or "", log.executor_name, log.message)
            for log in sorted(logs, key=lambda log: log.timestamp)
        ],
    )


def _from_unix_ns(nanoseconds: int) -> datetime | None:
    return datetime.fromtimestamp(nanoseconds / 1e9, tz=UTC) if nanoseconds else None


def _status_time(value: Any) -> str | None:
    """A time the reconciler wrote into the status, shown like the server's own times."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return _time(moment if moment.tzinfo else moment.replace(tzinfo=UTC))


def _time(moment: datetime | None) -> str | None:
    """Second precision in UTC: enough for people, stable between refreshes."""
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
