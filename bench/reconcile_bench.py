"""Reconcile throughput, spec-to-status latency and the update storm: runtime against the
bare loop, at the same concurrency, on the same server, in the same run."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

from bench.contenders import (
    CountingDevice,
    bare_contender,
    lamp,
    runtime_contender,
    wait_all_observed,
    wait_queue_drained,
)
from bench.report import Report, Row, percentile
from colonies.testing.targets import ServerTarget, throwaway_colony

Contender = Callable[..., AbstractAsyncContextManager[CountingDevice]]
_STORM_ROUNDS = 5


async def _measure(
    target: ServerTarget, contender: Contender, *, blueprints: int, concurrency: int
) -> tuple[float, list[float], float, float]:
    """Add ``blueprints`` lamps and wait for convergence; then change each five times quickly.

    Returns (reconciles/s, latencies, storm seconds, storm commands per blueprint)."""
    with throwaway_colony(target, prefix="bench", executor_type="bench-bare") as colony:
        async with contender(colony, concurrency) as device, colony.async_client() as user:
            names = [f"lamp-{index:05d}" for index in range(blueprints)]
            added: dict[str, float] = {}
            start = time.monotonic()
            for name in names:
                await user.add_blueprint(lamp(colony, name, 1))
                added[name] = time.monotonic()
            seen = await wait_all_observed(colony, dict.fromkeys(names, 0), timeout=600)
            rate = blueprints / (max(seen.values()) - start)
            latencies = [seen[name] - added[name] for name in names]

            device.commands = 0
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
            return rate, latencies, storm_seconds, device.commands / blueprints


def run(report: Report, target: ServerTarget, *, blueprints: int, concurrency: int) -> None:
    """Both contenders, one after the other, each on a fresh colony."""
    results = {
        name: asyncio.run(
            _measure(target, contender, blueprints=blueprints, concurrency=concurrency)
        )
        for name, contender in (("runtime", runtime_contender), ("bare loop", bare_contender))
    }
    ours, base = results["runtime"], results["bare loop"]
    section = f"reconcile ({blueprints} blueprints, {concurrency} workers)"
    report.add(
        Row(
            section,
            "reconciles/s",
            ours[0],
            "1/s",
            base[0],
            goal=">= 0.95x bare loop",
            met=ours[0] >= 0.95 * base[0],
        )
    )
    for pct in (50, 95):
        report.add(
            Row(
                section,
                f"spec-to-status p{pct}",
                percentile(ours[1], pct) * 1e3,
                "ms",
                percentile(base[1], pct) * 1e3,
            )
        )
    report.add_samples("spec-to-status, runtime", ours[1])
    report.add_samples("spec-to-status, bare loop", base[1])
    storm = f"update storm ({blueprints} x {_STORM_ROUNDS} changes)"
    report.add(
        Row(
            storm,
            "time to converge",
            ours[2],
            "s",
            base[2],
            goal="<= 0.5x bare loop",
            met=ours[2] * 2 <= base[2],
        )
    )
    report.add(
        Row(
            storm,
            "device commands per blueprint",
            ours[3],
            "cmds",
            base[3],
            goal="<= 1.2",
            met=ours[3] <= 1.2,
        )
    )
