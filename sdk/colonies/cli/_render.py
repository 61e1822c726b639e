"""The inspection views (:mod:`colonies.inspection.views`) as rich tables: what the dashboard
shows, in a terminal. Drift in yellow, trouble in red, as on the dashboard."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from colonies.cli._inspect import age, local_time
from colonies.inspection.compare import FieldState
from colonies.inspection.conditions import FAILED, Condition
from colonies.inspection.views import (
    BlueprintView,
    Health,
    HistoryEntryView,
    ProcessView,
    display_value,
)

HEALTH_STYLES = {
    Health.FAILED: "bold red",
    Health.DEGRADED: "red",
    Health.DRIFT: "yellow",
    Health.RECONCILING: "yellow",
    Health.PENDING: "dim",
    Health.READY: "green",
}
_STATE_STYLES = {"SUCCESS": "green", "FAILED": "red", "RUNNING": "yellow", "WAITING": "yellow"}


_PIPED_WIDTH = 1000


def console() -> Console:
    """Standard output for tables. In a terminal, its width; piped, as wide as the lines are
    (rich would cut them at 80 columns), so a name is never shortened to ``hallway-thermost…``
    for ``grep`` or a log, as kubectl never shortens one."""
    found = Console(highlight=False)
    return found if found.is_terminal else Console(highlight=False, width=_PIPED_WIDTH)


def _table(*columns: str, title: str | None = None) -> Table:
    table = Table(*columns, title=title, title_justify="left", box=None, header_style="bold")
    table.pad_edge = False
    return table


def health_text(health: Health) -> Text:
    return Text(health.label, style=HEALTH_STYLES[health])


def blueprints_table(
    views: Sequence[BlueprintView], *, with_kind: bool, wide: bool, now: datetime
) -> Table:
    """``get``'s table; ``wide`` adds the labels and the drifting fields."""
    columns = ["NAME", "LOCATION", "GENERATION", "OBSERVED", "READY", "STATUS", "LAST RECONCILE"]
    columns = (["KIND"] if with_kind else []) + columns + (["LABELS", "DRIFT"] if wide else [])
    table = _table(*columns)
    for view in views:
        observed = "-" if view.observed_generation is None else str(view.observed_generation)
        cells: list[str | Text] = [
            view.name,
            view.location or "-",
            str(view.generation),
            observed,
            view.ready,
            health_text(view.health),
            age(view.last_reconcile_time, now),
        ]
        if with_kind:
            cells.insert(0, view.kind)
        if wide:
            labels = ",".join(f"{k}={v}" for k, v in sorted(view.labels.items()))
            cells += [labels or "-", ",".join(view.drifting_fields) or "-"]
        table.add_row(*cells)
    return table


def fields_table(view: BlueprintView) -> Table:
    """Spec and status side by side; a drifting field is marked ``≠`` and yellow."""
    table = _table("FIELD", "DESIRED (spec)", "OBSERVED (status)", "")
    for pair in view.fields:
        drift = pair.state is FieldState.DIFFERENT
        table.add_row(
            pair.path,
            display_value(pair.left) if pair.has_left else "-",
            display_value(pair.right) if pair.has_right else "-",
            Text("≠ drift", style="yellow") if drift else "",
            style="yellow" if drift else ("dim" if not pair.has_left else None),
        )
    return table


def conditions_table(conditions: Sequence[Condition]) -> Table:
    table = _table("TYPE", "STATUS", "REASON", "MESSAGE", "SINCE")
    for condition in conditions:
        bad = condition.is_true and condition.type in (FAILED, "Degraded")
        table.add_row(
            condition.type,
            Text(condition.status, style="red" if bad else ""),
            condition.reason or "-",
            condition.message or "-",
            local_time(condition.last_transition_time),
        )
    return table


def history_table(entries: Sequence[HistoryEntryView]) -> Table:
    """Revisions newest first, each with what it changed: ``path: old -> new``."""
    table = _table("GENERATION", "CHANGE", "TIME", "BY", "CHANGES")
    for entry in entries:
        changes = "; ".join(
            f"{c.path}: {display_value(c.right) if c.has_right else '∅'} -> "
            f"{display_value(c.left) if c.has_left else '∅'}"
            for c in entry.changes
        )
        table.add_row(
            str(entry.generation),
            entry.change_type,
            local_time(entry.timestamp),
            entry.changed_by[:12] or "-",
            changes or "-",
        )
    return table


def process_block(process: ProcessView) -> RenderableType:
    """One reconcile process: a heading line, its errors and output, then its log lines."""
    heading = Text.assemble(
        (process.state, _STATE_STYLES.get(process.state, "")),
        f" {process.func_name} {process.process_id[:12]}",
        (" force" if process.forced else "", "cyan"),
        f"  submitted {local_time(process.submitted)}",
        f"  ended {local_time(process.ended)}" if process.ended else "",
    )
    lines: list[RenderableType] = [heading]
    lines += [Text(f"  error: {error}", style="red") for error in process.errors]
    lines += [Text(f"  output: {output}") for output in process.output]
    lines += [
        Text(
            f"  {local_time(line.timestamp)} {line.executor_name}: "
            + line.message.rstrip("\n").replace("\n", "\n    "),
            style="dim",
        )
        for line in process.logs
    ]
    return Group(*lines)
