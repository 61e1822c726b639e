"""What the demo shows: one row per device, desired (spec) vs observed (status) vs the device
as it is right now, and the blueprint's condition; plus a log of what happened when.

On a terminal the table updates live; without one (CI logs) it is printed once per step so
the output stays readable.
"""

from __future__ import annotations

import shlex
import time
from dataclasses import dataclass
from typing import Any

from rich.console import Console
from rich.live import Live
from rich.table import Table
from rich.text import Text

from colonies.models import Blueprint
from colonies_home.model import (
    DeviceReading,
    DeviceSettings,
    DeviceType,
    HomeDeviceSpec,
    HvacMode,
)

_STATE_STYLES = {
    "Ready": "green",
    "Reconciling": "yellow",
    "ManualOverride": "magenta",
    "Degraded": "red",
    "Failed": "red",
}
_SHOWN_CONDITIONS = ("Ready", "Failed", "ManualOverride", "Degraded", "Reconciling")
OUTPUT_INDENT = 9  # columns before the text of a timestamped line
_INDENT = " " * OUTPUT_INDENT


@dataclass(frozen=True)
class DeviceRow:
    """One device at one moment."""

    name: str
    type: str
    device: str
    desired: str
    observed: str
    now: str
    state: str
    generation: str


def _true_conditions(status: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    conditions = (status or {}).get("conditions") or []
    return {c.get("type", ""): c for c in conditions if c and c.get("status") == "True"}


def condition_state(status: dict[str, Any] | None) -> str:
    """The first true condition of Ready, Failed, ManualOverride, Degraded, Reconciling, with
    its reason (and until when a hold lasts)."""
    conditions = _true_conditions(status)
    for kind in _SHOWN_CONDITIONS:
        condition = conditions.get(kind)
        if condition:
            until = f" until {condition['until'][11:19]}" if condition.get("until") else ""
            return f"{kind} ({condition.get('reason')}{until})"
    return "Waiting"


def manual_override(status: dict[str, Any] | None) -> bool:
    """A person's change is being held or adopted."""
    return "ManualOverride" in _true_conditions(status)


def converged(blueprint: Blueprint) -> bool:
    """Ready for the blueprint's current generation."""
    status = blueprint.status or {}
    return status.get("observedGeneration") == blueprint.metadata.generation and condition_state(
        status
    ).startswith("Ready")


def device_row(blueprint: Blueprint, now: DeviceReading | None) -> DeviceRow:
    """The table row for ``blueprint`` with the device's current reading ``now``."""
    spec = HomeDeviceSpec.model_validate(blueprint.spec)
    status = blueprint.status
    observed = DeviceReading.model_validate(status) if status else None
    seen = (status or {}).get("observedGeneration", "-")
    return DeviceRow(
        name=blueprint.metadata.name,
        type=spec.type.value,
        device=spec.device,
        desired=describe(_as_reading(spec.settings()), spec.type),
        observed=describe(observed, spec.type),
        now=describe(now, spec.type),
        state=condition_state(status),
        generation=f"{seen}/{blueprint.metadata.generation}",
    )


def _as_reading(settings: DeviceSettings) -> DeviceReading:
    return DeviceReading.model_validate(settings.model_dump())


def describe(reading: DeviceReading | None, device_type: DeviceType) -> str:
    """A reading (or desired settings) in a few words for the demo's table."""
    if reading is None:
        return "-"
    if device_type is DeviceType.CLIMATE:
        mode = reading.hvac_mode.value if isinstance(reading.hvac_mode, HvacMode) else "?"
        target = f" {reading.target_temperature:g}°C" if reading.target_temperature else ""
        return f"{mode}{target}"
    if device_type is DeviceType.COVER:
        return "-" if reading.position is None else f"{reading.position}% open"
    text = {True: "on", False: "off", None: "?"}[reading.power]
    if device_type is DeviceType.LIGHT and reading.power:
        if reading.brightness is not None:
            text += f" {reading.brightness}%"
        if reading.color_temp_kelvin is not None:
            text += f" {reading.color_temp_kelvin}K"
    return text


def render(rows: list[DeviceRow], title: str) -> Table:
    """The desired-vs-observed table, rows in the order given."""
    table = Table(title=title, title_justify="left", expand=False)
    for header in ("blueprint", "type", "device", "desired", "observed", "device now"):
        table.add_column(header)
    table.add_column("condition")
    table.add_column("gen", justify="right")
    for row in rows:
        style = _STATE_STYLES.get(row.state.split(" ")[0], "")
        table.add_row(
            row.name,
            row.type,
            row.device,
            row.desired,
            row.observed,
            row.now,
            f"[{style}]{row.state}[/]" if style else row.state,
            row.generation,
        )
    return table


def typed_lines(argv: list[str], width: int) -> list[str]:
    """``argv`` as a person types it: one line, or, when that is wider than ``width``, one
    line per option (with its value), continued with backslashes."""
    line = shlex.join(argv)
    if len(line) <= width:
        return [line]
    groups: list[list[str]] = [[]]
    for word in argv:
        if word.startswith("-") and len(word) > 1 and groups[-1]:
            groups.append([])
        groups[-1].append(word)
    joined = [shlex.join(group) for group in groups]
    return [f"{text} \\" for text in joined[:-1]] + joined[-1:]


class DemoView:
    """The live table and the event log."""

    def __init__(self, console: Console, title: str, order: list[str]) -> None:
        self.console = console
        self.title = title
        self.order = order
        self.started = time.monotonic()
        self.rows: list[DeviceRow] = []
        self._live: Live | None = None

    def __enter__(self) -> DemoView:
        if self.console.is_terminal:
            self._live = Live(
                render(self.rows, self.title), console=self.console, auto_refresh=False
            )
            self._live.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._live is not None:
            self._live.__exit__(None, None, None)
            self._live = None

    def event(self, text: str) -> None:
        """A timestamped line above the table."""
        self.console.print(f"[dim]{self.elapsed():6.1f}s[/]  {text}")

    def command(self, argv: list[str], stdin: str | None) -> None:
        """A command as typed, timestamped; ``stdin`` shown as the here-document it would be."""
        heredoc = " <<EOF" if stdin is not None else ""
        lines = typed_lines(argv, self.console.width - OUTPUT_INDENT - len(heredoc) - 2)
        lines[-1] += heredoc
        stamp = Text(f"{self.elapsed():6.1f}s  ", style="dim")
        self.console.print(stamp, Text(f"$ {lines[0]}", style="bold"), sep="")
        continued = [f"    {line}" for line in lines[1:]]
        if stdin is not None:
            continued += [*stdin.rstrip("\n").splitlines(), "EOF"]
        for line in continued:
            self.console.print(Text(_INDENT + line, style="bold"), soft_wrap=True)

    def output(self, text: str, *, error: bool = False) -> None:
        """A command's output as it printed it (colours included), under its command line."""
        for line in text.rstrip("\n").splitlines():
            shown = Text.from_ansi(line, style="red" if error else "")
            self.console.print(Text(_INDENT), shown, sep="", soft_wrap=True)

    def update(self, rows: list[DeviceRow]) -> None:
        """New rows, in the view's order; redrawn at once on a terminal."""
        rank = {name: index for index, name in enumerate(self.order)}
        self.rows = sorted(rows, key=lambda row: rank.get(row.name, len(rank)))
        if self._live is not None:
            self._live.update(render(self.rows, self.title), refresh=True)

    def step_done(self) -> None:
        """Without a terminal, print the table as it is at the end of a step."""
        if self._live is None:
            self.console.print(render(self.rows, self.title))

    def elapsed(self) -> float:
        return time.monotonic() - self.started
