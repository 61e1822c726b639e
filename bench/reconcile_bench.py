"""Reconcile throughput, spec-to-status latency and the update storm: runtime against the
bare loop, at the same concurrency, on the same server, in the same run."""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass

from bench.contenders import (
    StartContender,
    bare_contender,
    lamp,
    replica_processes,
    runtime_contender,
    runtime_in_process,
    wait_all_observed,
    wait_queue_drained,
)
from bench.report import Report, Row, percentile
from colonies.testing.targets import ServerTarget, throwaway_colony

_STORM_ROUNDS = 5
_ADDERS = 16
"""Concurrent requests of the user adding and changing blueprints: more than either
contender reconciles, so the rates measured are the contenders', not the user's."""
_THROUGHPUT_GOAL = 1.0
_STORM_COMMANDS_GOAL = 1.2


@dataclass(frozen=True)
class Measured:
    """One contender's numbers: the throughput phase, then the storm."""

    rate: float
    latencies: list[float]
    rpcs_per_reconcile: float
    storm_seconds: float
    storm_commands: float
    storm_rpcs_per_change: float
    duplicates: int
    """Commands that applied a (blueprint, generation) already applied, over the whole run."""


async def _measure(
    target: ServerTarget,
    contender: StartContender,
    *,
    blueprints: int,
    concurrency: int,
    storm: bool = True,
) -> Measured:
    """Add ``blueprints`` lamps, the first alone (it creates the kind's cron), the rest
    ``_ADDERS`` at a time, and time each one's convergence from its add; then change each
    five times quickly. Changes arrive faster than either contender settles them: added one
    by one, the adds set the pace (the processes waited 7 ms in the server's queue) and
    the rate was the adding client's. RPCs are counted until the queue is drained, so the
    triggers a runtime closes after convergence count too. The colony is removed with its
    blueprints left to the server (see ``throwaway_colony``). Without ``storm`` the storm's
    fields are zero."""
    with throwaway_colony(
        target, prefix="bench", executor_type="bench-bare", keep_blueprints=True
    ) as colony:
        async with contender(colony, concurrency) as running, colony.async_client() as user:
            names = [f"lamp-{index:05d}" for index in range(blueprints)]
            added: dict[str, float] = {}
            gate = asyncio.Semaphore(_ADDERS)

            async def add(name: str) -> None:
                async with gate:
                    await user.add_blueprint(lamp(colony, name, 1))
                    added[name] = time.monotonic()

            rpcs_before = running.rpcs()
            start = time.monotonic()
            observing = asyncio.create_task(
                wait_all_observed(colony, dict.fromkeys(names, 0), timeout=600)
            )
            await add(names[0])  # alone: it creates the kind's cron (protocol 7.2 step 10)
            await asyncio.gather(*(add(name) for name in names[1:]))
            seen = await observing
            rate = blueprints / (max(seen.values()) - start)
            await wait_queue_drained(colony, timeout=600)
            rpcs_per_reconcile = (running.rpcs() - rpcs_before) / blueprints
            latencies = [seen[name] - added[name] for name in names]
            if not storm:
                duplicates = running.device.duplicates
                return Measured(rate, latencies, rpcs_per_reconcile, 0.0, 0.0, 0.0, duplicates)

            commands_before = running.device.commands
            rpcs_before = running.rpcs()

            async def change(name: str) -> None:
                async with gate:
                    for level in range(2, 2 + _STORM_ROUNDS):
                        await user.update_blueprint_spec(colony.name, name, {"level": level})

            storm_start = time.monotonic()
            await asyncio.gather(*(change(name) for name in names))
            done = await wait_all_observed(colony, dict.fromkeys(names, _STORM_ROUNDS), timeout=600)
            storm_seconds = max(done.values()) - storm_start
            await wait_queue_drained(colony, timeout=600)
            changes = blueprints * _STORM_ROUNDS
            return Measured(
                rate=rate,
                latencies=latencies,
                rpcs_per_reconcile=rpcs_per_reconcile,
                storm_seconds=storm_seconds,
                storm_commands=(running.device.commands - commands_before) / blueprints,
                storm_rpcs_per_change=(running.rpcs() - rpcs_before) / changes,
                duplicates=running.device.duplicates,
            )


def run(
    report: Report,
    target: ServerTarget,
    *,
    blueprints: int,
    concurrency: int,
    note: str = "",
    debounce: float | None = None,
    rounds: int = 1,
) -> None:
    """Both contenders, ``rounds`` times in alternating order, each time on a fresh colony;
    the rows keep the median round's rate and the first round's storm. A round on the dev
    server lasts under a second, and single rounds of the same two contenders measured
    0.80x to 1.76x: a goal is held to the median. ``note`` tells runs apart in the table
    (say, through a front that delays every RPC). With ``debounce`` the runtime runs a third
    time with that debounce setting (0: off)."""
    contenders: list[tuple[str, StartContender]] = [
        ("runtime", runtime_contender),
        ("bare loop", bare_contender),
    ]
    if debounce is not None:
        contenders.append(("debounced", runtime_in_process(debounce=debounce)))
    rounds_of: dict[str, list[Measured]] = {name: [] for name, _ in contenders}
    for round_index in range(rounds):
        order = contenders if round_index % 2 == 0 else contenders[::-1]
        for name, contender in order:
            measured = _measure(
                target,
                contender,
                blueprints=blueprints,
                concurrency=concurrency,
                storm=round_index == 0,
            )
            rounds_of[name].append(asyncio.run(measured))
    results = {name: _median_round(measured) for name, measured in rounds_of.items()}
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
            goal=f">= {_THROUGHPUT_GOAL:g}x bare loop",
            met=ours.rate >= _THROUGHPUT_GOAL * base.rate,
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
            goal=f"<= {_STORM_COMMANDS_GOAL:g}",
            met=ours.storm_commands <= _STORM_COMMANDS_GOAL,
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

    if debounce is not None:
        label = f"{debounce:g} s, {blueprints} blueprints, {concurrency} workers{extra}"
        _debounced_rows(report, results["debounced"], base, label)


def _median_round(rounds: list[Measured]) -> Measured:
    """The first round (the one with the storm) with the median rate of all rounds, and
    every round's latencies."""
    first = rounds[0]
    return Measured(
        rate=statistics.median(measured.rate for measured in rounds),
        latencies=[latency for measured in rounds for latency in measured.latencies],
        rpcs_per_reconcile=statistics.median(measured.rpcs_per_reconcile for measured in rounds),
        storm_seconds=first.storm_seconds,
        storm_commands=first.storm_commands,
        storm_rpcs_per_change=first.storm_rpcs_per_change,
        duplicates=sum(measured.duplicates for measured in rounds),
    )


def run_replicas(
    report: Report,
    target: ServerTarget,
    *,
    blueprints: int,
    concurrency: int,
    counts: list[int],
    env: dict[str, str] | None = None,
) -> None:
    """1, 2, 4 ... runtimes on one kind and colony, each in its own process as the Helm
    chart runs them: throughput must not fall as replicas are added, no (blueprint,
    generation) may be applied twice, and the storm goal must hold. ``env`` adds settings
    to each replica's environment."""
    first_rate: float | None = None
    for count in counts:
        measured = asyncio.run(
            _measure(
                target,
                replica_processes(count, env),
                blueprints=blueprints,
                concurrency=concurrency,
            )
        )
        first_rate = first_rate or measured.rate
        section = f"replicas ({count} x {concurrency} workers, {blueprints} blueprints)"
        report.add(
            Row(
                section,
                "reconciles/s",
                measured.rate,
                "1/s",
                first_rate if count != counts[0] else None,
                goal=f">= {counts[0]} replica(s)" if count != counts[0] else "",
                met=measured.rate >= 0.9 * first_rate if count != counts[0] else None,
            )
        )
        report.add(
            Row(
                section,
                "storm device commands per blueprint",
                measured.storm_commands,
                "cmds",
                goal=f"<= {_STORM_COMMANDS_GOAL:g}" if count <= 2 else "",
                met=measured.storm_commands <= _STORM_COMMANDS_GOAL if count <= 2 else None,
            )
        )
        report.add(Row(section, "storm time to converge", measured.storm_seconds, "s"))
        report.add(
            Row(
                section,
                "duplicate commands",
                measured.duplicates,
                "cmds",
                goal="0",
                met=measured.duplicates == 0,
            )
        )


def _debounced_rows(report: Report, debounced: Measured, base: Measured, label: str) -> None:
    section = f"runtime with COLONIES_RECONCILER_DEBOUNCE ({label})"
    report.add(Row(section, "reconciles/s", debounced.rate, "1/s", base.rate))
    report.add(
        Row(section, "storm time to converge", debounced.storm_seconds, "s", base.storm_seconds)
    )
    report.add(
        Row(
            section,
            "storm device commands per blueprint",
            debounced.storm_commands,
            "cmds",
            base.storm_commands,
        )
    )
