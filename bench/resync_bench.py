"""A kind-wide resync of converged blueprints, and the runtime's footprint."""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.contenders import KIND, lamp, wait_all_observed, wait_queue_drained
from bench.deployed_venv import deployed_python
from bench.process_probe import RuntimeProcess, runtime_process
from bench.report import Report, Row
from colonies.models import ProcessState
from colonies.testing.runner import trigger_resync
from colonies.testing.targets import ServerTarget, ThrowawayColony, throwaway_colony

_RESYNC_GOAL_SECONDS = 30.0
_RESYNC_GOAL_RSS_MB = 150.0
_IDLE_GOAL_RSS_MB = 60.0
_IMPORT_GOAL_SECONDS = 0.3


async def _resync(
    colony: ThrowawayColony, probe: RuntimeProcess, blueprints: int
) -> tuple[float, float, float]:
    """Add and converge ``blueprints`` lamps, then time one resync of all of them.

    Returns (resync seconds, status writes, RPCs) during the resync. The RPCs include the
    idle workers' assign long polls that fall into the same seconds."""
    async with colony.async_client() as user:
        gate = asyncio.Semaphore(32)

        async def add(index: int) -> None:
            async with gate:
                await user.add_blueprint(lamp(colony, f"lamp-{index:05d}", 1))

        await add(0)  # the first of the kind alone: it creates the kind's cron
        await asyncio.gather(*(add(index) for index in range(1, blueprints)))
        names = {f"lamp-{index:05d}": 0 for index in range(blueprints)}
        await wait_all_observed(colony, names, timeout=1800)
        await wait_queue_drained(colony, timeout=600)
        probe.reset_peak_rss()
        writes_before = probe.metric("status_writes_total")
        rpcs_before = probe.metric("client_requests_total")
        process = await trigger_resync(user, colony.name, KIND, timeout=600)
        if process.state != ProcessState.SUCCESS:
            raise RuntimeError(f"the resync failed: {process.errors}")
        assert process.start_time is not None
        assert process.end_time is not None
        seconds = (process.end_time - process.start_time).total_seconds()
        writes = probe.metric("status_writes_total") - writes_before
        return seconds, writes, probe.metric("client_requests_total") - rpcs_before


def run_resync(report: Report, target: ServerTarget, *, sizes: tuple[int, ...]) -> None:
    for size in sizes:
        with (
            throwaway_colony(target, prefix="bench-resync", keep_blueprints=True) as colony,
            runtime_process(colony) as probe,
        ):
            seconds, writes, rpcs = asyncio.run(_resync(colony, probe, size))
            section = f"resync ({size:,} converged)"
            goal = size >= 10_000
            report.add(
                Row(
                    section,
                    "wall time",
                    seconds,
                    "s",
                    goal=f"< {_RESYNC_GOAL_SECONDS:.0f} s" if goal else "",
                    met=seconds < _RESYNC_GOAL_SECONDS if goal else None,
                )
            )
            report.add(Row(section, "status writes", writes, "writes", goal="0", met=writes == 0))
            report.add(Row(section, "RPCs made", rpcs, "RPCs"))
            peak = probe.peak_rss_mb()
            report.add(
                Row(
                    section,
                    "peak RSS",
                    peak,
                    "MB",
                    goal=f"< {_RESYNC_GOAL_RSS_MB:.0f} MB" if goal else "",
                    met=peak < _RESYNC_GOAL_RSS_MB if goal else None,
                )
            )


def _import_seconds(statement: str) -> float:
    """Median of five cold runs of ``statement`` in fresh interpreters."""
    code = f"import time; s = time.perf_counter(); {statement}; print(time.perf_counter() - s)"
    runs = [
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, check=True).stdout)
        for _ in range(5)
    ]
    return statistics.median(runs)


def run_footprint(report: Report, target: ServerTarget, *, deployed: bool) -> None:
    """Import times, and the idle runtime's memory; with ``deployed`` also in a venv holding
    only what the container image installs, which is where the memory goal applies."""
    seconds = _import_seconds("import colonies")
    report.add(
        Row(
            "footprint",
            "import colonies",
            seconds * 1e3,
            "ms",
            goal=f"< {_IMPORT_GOAL_SECONDS * 1e3:.0f} ms",
            met=seconds < _IMPORT_GOAL_SECONDS,
        )
    )
    for name in ("ColoniesClient", "Reconciler"):
        statement = f"from colonies import {name}"
        report.add(Row("footprint", statement, _import_seconds(statement) * 1e3, "ms"))
    pythons: list[tuple[str, Path | None]] = [("development venv", None)]
    with contextlib.ExitStack() as stack:
        if deployed:
            pythons.append(("as deployed", stack.enter_context(deployed_python())))
        for label, python in pythons:
            with (
                throwaway_colony(target, prefix="bench-idle") as colony,
                runtime_process(colony, python=python) as probe,
            ):
                time.sleep(2.0)  # let start-up allocations settle before reading idle memory
                rss = probe.rss_mb()
            judged = python is not None or not deployed
            report.add(
                Row(
                    "footprint",
                    f"idle runtime RSS ({label})",
                    rss,
                    "MB",
                    goal=f"< {_IDLE_GOAL_RSS_MB:.0f} MB" if judged else "",
                    met=rss < _IDLE_GOAL_RSS_MB if judged else None,
                )
            )
