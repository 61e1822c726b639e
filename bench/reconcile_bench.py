"""Reconcile throughput, spec-to-status latency and the update storm: runtime against the
bare loop, at the same concurrency, on the same server, in the same run."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass

from bench.contenders import (
    Contender,
    bare_contender,
    lamp,
    runtime_contender,
    wait_all_observed,
    wait_queue_drained,
)
from bench.report import Report, Row, percentile
from colonies.testing.targets import ServerTarget, throwaway_colony

StartContender = Callable[..., AbstractAsyncContextManager[Contender]]
_STORM_ROUNDS = 5


@dataclass(frozen=True)
class Measured:
    """One contender's numbers: the throughput phase, then the storm."""

    rate: float
    latencies: list[float]
    rpcs_per_reconcile: float
    storm_seconds: float
    storm_commands: float
    storm_rpcs_per_change: float


async def _measure(
    target: ServerTarget, contender: StartContender, *, blueprints: int, concurrency: int
) -> Measured:
    """Add ``blueprints`` lamps and wait for convergence; then change each five times quickly."""
    with throwaway_colony(target, prefix="bench", executor_type="bench-bare") as colony:
        async with contender(colony, concurrency) as running, colony.async_client() as user:
            names = [f"lamp-{index:05d}" for index in range(blueprints)]
            added: dict[str, float] = {}
            rpcs_before = running.rpcs()
            start = time.monotonic()
            for name in names:
                await user.add_blueprint(lamp(colony, name, 1))
                added[name] = time.monotonic()
            seen = await wait_all_observed(colony, dict.fromkeys(names, 0), timeout=600)
            rate = blueprints / (max(seen.values()) - start)
            rpcs_per_reconcile = (running.rpcs() - rpcs_before) / blueprints
            await wait_queue_drained(colony, timeout=600)

            running.device.commands = 0
            rpcs_before = running.rpcs()
            gate = asyncio.Semaphore(16)

            async def storm(name: str) -> None:
                async with gate:
                    for level in range(2, 2 + _STORM_ROUNDS):
                        await user.update_blueprint_spec(colony.name, name, {"level": level})

            storm_start = time.monotonic()
            await asyncio.gather(*(storm(name) for name in names))
            done = await wait_all_observed(colony, dict.fromkeys(names, _STORM_ROUNDS), timeout=600)
            storm_seconds = max(done.values()) - storm_start
            await wait_queue_drained(colony, timeout=600)
            changes = blueprints * _STORM_ROUNDS
            return Measured(
                rate=rate,
                latencies=[seen[name] - added[name] for name in names],
                rpcs_per_reconcile=rpcs_per_reconcile,
                storm_seconds=storm_seconds,
                storm_commands=running.device.commands / blueprints,
                storm_rpcs_per_change=(running.rpcs() - rpcs_before) / changes,
            )


def run(
    report: Report, target: ServerTarget, *, blueprints: int, concurrency: int, note: str = ""
) -> None:
    """Both contenders, one after the other, each on a fresh colony; ``note`` tells runs
    apart in the table (say, through a front that delays every RPC)."""
    results = {
        name: asyncio.run(
            _measure(target, contender, blueprints=blueprints, concurrency=concurrency)
        )
        for name, contender in (("runtime", runtime_contender), ("bare loop", bare_contender))
    }
    ours, base = results["runtime"], results["bare loop"]
    extra = f", {note}" if note else ""
    section = f"reconcile ({blueprints} blueprints, {concurrency} workers{extra})"
    report.add(
        Row(
            section,
            "reconciles/s",
            ours.rate,
            "1/s",
            base.rate,
            goal=">= 0.95x bare loop",
            met=ours.rate >= 0.95 * base.rate,
        )
    )
    for pct in (50, 95):
        report.add(
            Row(
                section,
                f"spec-to-status p{pct}",
                percentile(ours.latencies, pct) * 1e3,
                "ms",
                percentile(base.latencies, pct) * 1e3,
            )
        )
    report.add(
        Row(section, "RPCs per reconcile", ours.rpcs_per_reconcile, "RPCs", base.rpcs_per_reconcile)
    )
    report.add_samples(f"spec-to-status, runtime{extra}", ours.latencies)
    report.add_samples(f"spec-to-status, bare loop{extra}", base.latencies)
    storm = f"update storm ({blueprints} x {_STORM_ROUNDS} changes{extra})"
    report.add(
        Row(
            storm,
            "time to converge",
            ours.storm_seconds,
            "s",
            base.storm_seconds,
            goal="<= 0.5x bare loop",
            met=ours.storm_seconds * 2 <= base.storm_seconds,
        )
    )
    report.add(
        Row(
            storm,
            "device commands per blueprint",
            ours.storm_commands,
            "cmds",
            base.storm_commands,
            goal="<= 1.2",
            met=ours.storm_commands <= 1.2,
        )
    )
    report.add(
        Row(
            storm,
            "RPCs per spec change (until drained)",
            ours.storm_rpcs_per_change,
            "RPCs",
            base.storm_rpcs_per_change,
        )
    )
