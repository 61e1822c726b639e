"""Collecting benchmark rows, printing them as one table and writing ``RESULTS.md``."""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Row:
    """One measured quantity, optionally against a baseline measured in the same run."""

    section: str
    metric: str
    ours: float
    unit: str
    baseline: float | None = None
    goal: str = ""
    met: bool | None = None

    @property
    def ratio(self) -> float | None:
        """ours / baseline, when there is a baseline."""
        if self.baseline is None or self.baseline == 0:
            return None
        return self.ours / self.baseline


@dataclass
class Report:
    """Everything one benchmark run measured; latency samples are kept for the plot."""

    rows: list[Row] = field(default_factory=list)
    samples: dict[str, list[float]] = field(default_factory=dict)

    def add(self, row: Row) -> None:
        self.rows.append(row)

    def add_samples(self, label: str, seconds: Sequence[float]) -> None:
        self.samples[label] = list(seconds)


def percentile(values: Sequence[float], pct: float) -> float:
    """The ``pct`` percentile (0-100) of ``values`` by linear interpolation."""
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    index = min(max(round(pct) - 1, 0), 98)
    return cuts[index]


def _fmt(value: float | None) -> str:
    if value is None:
        return "-"
    if value == 0 or abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:,.2f}"
    return f"{value:.4f}"


def render_table(rows: Sequence[Row]) -> str:
    """A Markdown table of ``rows`` (also readable in a terminal)."""
    header = "| section | metric | ours | unit | baseline | ratio | goal | met |"
    lines = [header, "|---|---|---:|---|---:|---:|---|---|"]
    for row in rows:
        met = "" if row.met is None else ("yes" if row.met else "**no**")
        ratio = "-" if row.ratio is None else f"{row.ratio:.2f}x"
        lines.append(
            f"| {row.section} | {row.metric} | {_fmt(row.ours)} | {row.unit} | "
            f"{_fmt(row.baseline)} | {ratio} | {row.goal} | {met} |"
        )
    return "\n".join(lines)


def machine_description() -> str:
    """What ran the benchmark: enough to compare two RESULTS.md files honestly."""
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


def write_results(report: Report, path: Path, *, target: str, plot: Path | None) -> None:
    """Write the table with the date, the machine and the server it ran against."""
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    parts = [
        "# Benchmark results",
        "",
        f"Run {now} on {machine_description()}, against {target}.",
        "Ratios compare ours with a baseline measured in the same run on the same server.",
        "",
        render_table(report.rows),
        "",
    ]
    if plot is not None:
        parts += [f"![latency distributions]({plot.name})", ""]
    path.write_text("\n".join(parts), encoding="utf-8")
