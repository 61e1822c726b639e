"""HTML for the dashboard: small functions over the view models, every value escaped.

No template engine: the page skeleton is a ``string.Template`` shipped as package data, and the
live regions are built here. Anything that came from the server goes through :func:`_text`."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from string import Template
from typing import Any

from colonies.inspection.compare import FieldPair, FieldState
from colonies.inspection.conditions import Condition, parse_time
from colonies.inspection.views import (
    BlueprintGroup,
    BlueprintView,
    Detail,
    Health,
    HistoryEntryView,
    Overview,
    ProcessView,
    display_value,
)

_RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
_WORD_BREAKS = re.compile(r"(?<=[_.])")

_FIELD_CLASSES = {
    FieldState.SAME: "same",
    FieldState.DIFFERENT: "different",
    FieldState.LEFT_ONLY: "unobserved",
    FieldState.RIGHT_ONLY: "observed-only",
}


@dataclass(frozen=True)
class Links:
    """URLs the markup points at, resolved by the app so a mounted dashboard links correctly."""

    home: str
    blueprint: Callable[[str], str]
    reconcile: Callable[[str], str] | None  # None when the dashboard is read-only


@dataclass(frozen=True)
class PageFrame:
    """The parts of the page skeleton around a live region."""

    title: str
    colony_name: str
    read_only: bool
    live_url: str
    interval_ms: int
    css_url: str
    js_url: str


@cache
def _page_template() -> Template:
    source = resources.files("colonies.dashboard").joinpath("templates/page.html")
    return Template(source.read_text(encoding="utf-8"))


def _text(value: object) -> str:
    return html.escape(str(value), quote=True)


def _json(value: Any) -> str:
    """A field's value; an RFC 3339 time (a device's ``observed_at``) as a local ``<time>``."""
    moment = parse_time(value) if isinstance(value, str) and _RFC3339.match(value) else None
    return _time(moment) if moment is not None else _text(display_value(value))


def _field_name(path: str) -> str:
    """A field path that may wrap only after ``_`` or ``.``, never inside a word."""
    return "<wbr>".join(_text(part) for part in _WORD_BREAKS.split(path))


def _time(moment: datetime | None, empty: str = "—") -> str:
    """A ``<time>`` in UTC to the second; the page's script shows it in the viewer's zone."""
    if moment is None:
        return _text(empty)
    utc = moment.astimezone(UTC).replace(microsecond=0)
    return f'<time datetime="{utc.isoformat()}">{utc:%Y-%m-%d %H:%M:%S} UTC</time>'


def render_page(frame: PageFrame, links: Links, body: str) -> str:
    """The full document: skeleton plus the first rendering of its live region."""
    return _page_template().substitute(
        title=_text(frame.title),
        colony_name=_text(frame.colony_name),
        mode="read-only" if frame.read_only else "actions enabled",
        live_url=_text(frame.live_url),
        interval_ms=str(frame.interval_ms),
        css_url=_text(frame.css_url),
        js_url=_text(frame.js_url),
        home_url=_text(links.home),
        body=body,
    )


def render_error(message: str) -> str:
    return f'<p class="error-banner" role="alert">{_text(message)}</p>'


def render_overview(overview: Overview, links: Links) -> str:
    """The live region of the front page: counts, then one section per kind and location."""
    if not overview.groups:
        return (
            f'<p class="empty">No blueprints in colony <strong>{_text(overview.colony_name)}'
            "</strong> yet.</p>"
        )
    counts = overview.health_counts
    summary = "".join(
        f'<span class="badge health-{h.value}" data-count="{h.value}">'
        f"{_text(h.label)} {counts[h]}</span>"
        for h in Health
        if counts[h]
    )
    sections = "".join(_group(group, overview.group_label, links) for group in overview.groups)
    return f'<section class="summary">{summary}</section><div class="groups">{sections}</div>'


def _group(group: BlueprintGroup, label: str, links: Links) -> str:
    """A section per kind, location and value of the grouping label: ``bedroom`` first, then
    the kind and location in smaller type."""
    value = group.label_value
    where = f' <span class="location">@ {_text(group.location)}</span>' if group.location else ""
    title = (
        f'<span class="group-value" title="label {_text(label)}">{_text(value)}</span> '
        f'<span class="kind">{_text(group.kind)}</span>'
        if value
        else f'<span class="kind-only">{_text(group.kind)}</span>'
    )
    cards = "".join(_card(b, links, heading_link=True, hide_label=label) for b in group.blueprints)
    return (
        f'<section class="group" data-kind="{_text(group.kind)}" '
        f'data-location="{_text(group.location)}" data-group="{_text(value)}">'
        f"<h2>{title}{where}</h2>"
        f'<div class="cards">{cards}</div></section>'
    )


def render_detail(detail: Detail, links: Links) -> str:
    """The live region of a blueprint's page: its card, history timeline and processes."""
    blueprint = detail.blueprint
    action = ""
    if links.reconcile is not None:
        action = (
            f'<button type="button" class="reconcile" '
            f'data-reconcile-url="{_text(links.reconcile(blueprint.name))}">Force reconcile'
            "</button>"
        )
    return (
        f'<nav class="crumbs"><a href="{_text(links.home)}">All blueprints</a> / '
        f"{_text(blueprint.kind)} / {_text(blueprint.name)}{action}</nav>"
        f"{_card(blueprint, links, heading_link=False)}"
        f'<div class="detail-columns">'
        f'<section class="history"><h2>History</h2>{_history(detail.history)}</section>'
        f'<section class="processes"><h2>Recent reconciles</h2>'
        f"{_processes(detail.processes)}</section></div>"
    )


def _card(
    blueprint: BlueprintView, links: Links, *, heading_link: bool, hide_label: str = ""
) -> str:
    """One blueprint; ``hide_label`` is the label its group heading already shows."""
    health = blueprint.health
    name = _text(blueprint.name)
    title = (
        f'<a href="{_text(links.blueprint(blueprint.name))}">{name}</a>' if heading_link else name
    )
    observed = "—" if blueprint.observed_generation is None else blueprint.observed_generation
    labels = "".join(
        f'<span class="label">{_text(k)}={_text(v)}</span>'
        for k, v in sorted(blueprint.labels.items())
        if k != hide_label
    )
    return (
        f'<article class="blueprint health-{health.value}" data-blueprint="{name}" '
        f'data-health="{health.value}">'
        f'<header><h3>{title}</h3><span class="badge health-{health.value}">'
        f"{_text(health.label)}</span></header>"
        f'<p class="generation" title="spec generation / generation the reconciler last observed">'
        f'generation <strong class="gen">{blueprint.generation}</strong> · observed '
        f'<strong class="observed-gen">{_text(observed)}</strong>{labels}</p>'
        f"{_fields(blueprint.fields)}{_stale_note(blueprint)}{_conditions(blueprint.conditions)}"
        f"{_reconcile_facts(blueprint)}</article>"
    )


def _stale_note(blueprint: BlueprintView) -> str:
    """Says when the status still describes an older spec (its Ready is not this one's)."""
    observed = blueprint.observed_generation
    if observed is None or observed >= blueprint.generation:
        return ""
    return f'<p class="stale-note muted">Status and conditions are of generation {observed}.</p>'


def _fields(fields: Sequence[FieldPair]) -> str:
    if not fields:
        return '<p class="muted">Empty spec.</p>'
    rows = "".join(
        f'<tr class="field {_FIELD_CLASSES[f.state]}" data-field="{_text(f.path)}">'
        f'<th scope="row">{_field_name(f.path)}</th>'
        f'<td class="desired">{_json(f.left) if f.has_left else "—"}</td>'
        f'<td class="observed">{_json(f.right) if f.has_right else "—"}</td></tr>'
        for f in fields
    )
    return (
        '<table class="fields"><thead><tr><th>field</th><th>desired (spec)</th>'
        f"<th>observed (status)</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def _conditions(conditions: Sequence[Condition]) -> str:
    if not conditions:
        return ""
    items = "".join(
        f'<li class="condition {"true" if c.is_true else "false"}" data-type="{_text(c.type)}">'
        f'<span class="ctype">{_text(c.type)}</span> <span class="cstatus">{_text(c.status)}</span>'
        + (f' <span class="reason">{_text(c.reason)}</span>' if c.reason else "")
        + (f' <span class="message">{_text(c.message)}</span>' if c.message else "")
        + (f" {_time(c.last_transition_time)}" if c.last_transition_time else "")
        + "</li>"
        for c in conditions
    )
    return f'<ul class="conditions">{items}</ul>'


def _reconcile_facts(blueprint: BlueprintView) -> str:
    facts = [("Last reconcile", _time(blueprint.last_reconcile_time, "never"), "last-reconcile")]
    if blueprint.last_error:
        facts.append(("Last error", _text(blueprint.last_error), "last-error"))
    return _definitions(facts)


def _definitions(facts: Iterable[tuple[str, str, str]]) -> str:
    """A fact list; values are HTML already escaped by the caller."""
    items = "".join(
        f'<div class="{css}"><dt>{_text(term)}</dt><dd>{value}</dd></div>'
        for term, value, css in facts
    )
    return f'<dl class="facts">{items}</dl>'


def _history(entries: Sequence[HistoryEntryView]) -> str:
    if not entries:
        return '<p class="muted">No history.</p>'
    items = []
    for entry in entries:
        changes = "".join(
            f'<li data-field="{_text(c.path)}"><code>{_text(c.path)}</code> '
            f"{_json(c.right) if c.has_right else '∅'} → {_json(c.left) if c.has_left else '∅'}"
            "</li>"
            for c in entry.changes
        )
        items.append(
            f'<li class="revision" data-generation="{entry.generation}">'
            f'<span class="gen">gen {entry.generation}</span> '
            f'<span class="change">{_text(entry.change_type)}</span> '
            f"{_time(entry.timestamp)} "
            f'<span class="who" title="signer ID">{_text(entry.changed_by[:12])}</span>'
            f'<ul class="changes">{changes}</ul></li>'
        )
    return f'<ol class="timeline">{"".join(items)}</ol>'


def _processes(processes: Sequence[ProcessView]) -> str:
    if not processes:
        return '<p class="muted">No reconcile processes found.</p>'
    return "".join(_process(p) for p in processes)


def _process(process: ProcessView) -> str:
    facts: list[tuple[str, str, str]] = [("Submitted", _time(process.submitted), "submitted")]
    if process.ended:
        facts.append(("Ended", _time(process.ended), "ended"))
    if process.errors:
        facts.append(("Errors", _text("; ".join(process.errors)), "errors"))
    if process.output:
        facts.append(("Output", _text("; ".join(process.output)), "output"))
    logs = "".join(
        f'<li>{_time(line.timestamp)} <span class="who">'
        f"{_text(line.executor_name)}</span> {_text(line.message)}</li>"
        for line in process.logs
    )
    forced = ' <span class="label">force</span>' if process.forced else ""
    return (
        f'<details class="process state-{_text(process.state.lower())}" '
        f'data-key="{_text(process.process_id)}" data-process="{_text(process.process_id)}">'
        f'<summary><span class="badge state-{_text(process.state.lower())}">'
        f"{_text(process.state)}</span> <code>{_text(process.func_name)}</code> "
        f'<span class="pid">{_text(process.process_id[:12])}</span>{forced}</summary>'
        f"{_definitions(facts)}"
        + (f'<ol class="logs">{logs}</ol>' if logs else '<p class="muted">No logs.</p>')
        + "</details>"
    )
