"""Collecting benchmark rows, printing them as one table and writing ``RESULTS.md``."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from importlib.metadata import version as package_version
from pathlib import Path

from colonies.testing.targets import ServerTarget


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


def server_description(target: ServerTarget, *, real: bool) -> str:
    """Which server answered, with its version: ``ColonyOS v1.9.12 at http://...``."""
    with target.client() as client:
        version = client.version().build_version
    if real:
        return f"ColonyOS {version or '(version not reported)'} at {target.url}"
    return f"the colonies-sdk dev server {package_version('colonies-sdk')} (own process)"


def write_results(
    report: Report,
    directory: Path,
    *,
    name: str,
    server: str,
    command: str,
    minutes: float,
    plot: Path | None,
) -> list[Path]:
    """Write ``<name>.md`` (the table with the date, machine, server and command) and
    ``<name>.json``, then the side-by-side summary of every server's last run."""
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    header = {
        "run": now,
        "machine": machine_description(),
        "server": server,
        "command": command,
        "minutes": round(minutes, 1),
    }
    parts = [
        f"# Benchmark results: {name} server",
        "",
        f"Run {now} on {header['machine']}, against {server}, in {minutes:.1f} minutes:",
        f"`{command}`.",
        "Ratios compare ours with a baseline measured in the same run on the same server.",
        "",
        render_table(report.rows),
        "",
    ]
    if plot is not None:
        parts += [f"![latency distributions]({plot.name})", ""]
    table = directory / f"{name}.md"
    table.write_text("\n".join(parts), encoding="utf-8")
    data = directory / f"{name}.json"
    rows = [asdict(row) for row in report.rows]
    data.write_text(json.dumps({"header": header, "rows": rows}, indent=1), encoding="utf-8")
    summary = directory / "side-by-side.md"
    summary.write_text(side_by_side(directory), encoding="utf-8")
    return [table, data, summary]


def side_by_side(directory: Path) -> str:
    """Every row of the dev-server and real-server runs in one table, matched by section
    and metric: ours and the ratio to the baseline on each server."""
    runs = {
        name: json.loads(path.read_text(encoding="utf-8"))
        for name in ("dev", "real")
        if (path := directory / f"{name}.json").exists()
    }
    lines = ["# Dev server and real server, side by side", ""]
    for name, run in runs.items():
        header = run["header"]
        lines.append(
            f"- **{name}**: {header['server']}; {header['machine']}; run {header['run']} "
            f"in {header['minutes']} min: `{header['command']}`"
        )
    lines += [
        "",
        "| section | metric | unit | "
        + " | ".join(f"{name} ours | {name} ratio | {name} met" for name in runs)
        + " | goal |",
        "|---|---|---|" + "---:|---:|---|" * len(runs) + "---|",
    ]
    keyed: dict[tuple[str, str], dict[str, Row]] = {}
    for name, run in runs.items():
        for fields in run["rows"]:
            row = Row(**fields)
            keyed.setdefault((row.section, row.metric), {})[name] = row
    for (section, metric), by_server in keyed.items():
        any_row = next(iter(by_server.values()))
        cells = []
        for name in runs:
            found = by_server.get(name)
            if found is None:
                cells.append(" | | ")
                continue
            ratio = "-" if found.ratio is None else f"{found.ratio:.2f}x"
            met = "" if found.met is None else ("yes" if found.met else "**no**")
            cells.append(f"{_fmt(found.ours)} | {ratio} | {met}")
        lines.append(
            f"| {section} | {metric} | {any_row.unit} | "
            + " | ".join(cells)
            + f" | {any_row.goal} |"
        )
    return "\n".join(lines) + "\n"
