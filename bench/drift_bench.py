"""Drift: a plug switched off at the wall, corrected from its own report versus by a resync.

Real Mosquitto with the Zigbee2MQTT simulator, the ``HomeDevice`` reconciler under the runtime
(in this process) and the target server. Measured:

* drift-to-correction latency, p50 and p95: from the wall switch's report to the plug being on
  again, with device events; and with events ignored (what the runtime did before issue 12),
  from the moment the resync runs. A resync only runs on the server's cron, every 60 s on
  v1.9.12 (protocol 7.1), so without events a drift also waits for the cron: on average 30 s,
  at worst 60 s (the "incl. cron wait" rows add that wait to the measured part);
* device commands per drift event with one replica and with two (each replica hears every
  report; the runtime's sharding lets one of them act);
* RPCs of one resync of converged plugs with events on and off: listening must cost nothing
  on the server side (assign calls excluded: idle workers' long polls land in any window).

``python -m bench.drift_bench`` runs this part alone and puts its rows in ``RESULTS.md`` under
their own heading; ``python -m bench`` runs it with the rest.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import sys
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.report import Report, Row, percentile, render_table
from bench.server_process import devserver_process
from colonies.models import Blueprint
from colonies.testing.runner import ReconcilerRunner
from colonies.testing.targets import (
    ServerTarget,
    ThrowawayColony,
    real_server_config,
    server_target,
    throwaway_colony,
    unique_kind,
)
from colonies_home import z2m_simulator as sim
from colonies_home.backends.events import BackendEvent
from colonies_home.backends.registry import HomeBackends
from colonies_home.backends.zigbee2mqtt import Zigbee2MqttBackend
from colonies_home.components import MosquittoBroker, mosquitto
from colonies_home.model import BackendKind
from colonies_home.reconciler import HomeDeviceReconciler
from colonies_home.safety import ActuationGuard, SafetyLimits
from colonies_home.settings import HomeSettings

SECTION = "drift"
CRON_SECONDS = 60.0  # the server's resync period (protocol 7.1)
_LATENCY_GOAL = 1.0
_COMMANDS_GOAL = 1.1
_BASE_TOPIC = "bench-z2m"
_UNLIMITED = SafetyLimits(min_interval=0.0, rate=1000.0, burst=1000)
_POLL = 0.002
_SHARD_REFRESH = 1.0  # seconds; the default 15 only makes the set-up wait longer


@dataclass(frozen=True)
class DriftSizes:
    drifts: int  # drift events per measurement
    plugs: int  # plugs the drifts rotate over, and plugs in the converged resync


FULL = DriftSizes(drifts=40, plugs=20)
QUICK = DriftSizes(drifts=3, plugs=3)


class _EventsIgnored(HomeDeviceReconciler):
    """The same reconciler deaf between reconciles: drift waits for a resync."""

    def _heard(self, event: BackendEvent) -> None:
        return None


def _reconciler(kind: str, broker: MosquittoBroker, *, events: bool) -> HomeDeviceReconciler:
    backend = Zigbee2MqttBackend(broker.host, broker.port, base_topic=_BASE_TOPIC)
    backends = HomeBackends(HomeSettings(), backends={backend.kind: backend})
    cls = HomeDeviceReconciler if events else _EventsIgnored
    bench_cls: type[HomeDeviceReconciler] = type(cls.__name__, (cls,), {"kind": kind})
    return bench_cls(backends, ActuationGuard(_UNLIMITED))


def _plug(runner: ReconcilerRunner, name: str) -> Blueprint:
    spec = {"backend": "zigbee2mqtt", "device": name, "type": "switch", "power": True}
    metadata = {"name": name, "colonyname": runner.colony_name}
    return Blueprint.model_validate({"kind": runner.kind, "metadata": metadata, "spec": spec})


@asynccontextmanager
async def _house(
    colony: ThrowawayColony, broker: MosquittoBroker, plugs: int, *, replicas: int, events: bool
) -> AsyncIterator[tuple[ReconcilerRunner, sim.Zigbee2MqttSimulator]]:
    """Plugs on the bridge, ``replicas`` runtimes, every plug's blueprint converged."""
    names = [f"plug-{index:03d}" for index in range(plugs)]
    kind = unique_kind("HomeDevice")
    async with AsyncExitStack() as stack:
        bridge = await stack.enter_async_context(
            sim.Zigbee2MqttSimulator(
                broker.host, broker.port, [sim.plug(n) for n in names], base_topic=_BASE_TOPIC
            )
        )
        reconcilers = [_reconciler(kind, broker, events=events) for _ in range(replicas)]
        runners = [
            await stack.enter_async_context(
                ReconcilerRunner(reconciler, colony, shard_refresh=_SHARD_REFRESH)
            )
            for reconciler in reconcilers
        ]
        first = runners[0]
        for name in names:
            await first.client.add_blueprint(_plug(first, name))
        for name in names:
            await first.wait_converged(name, timeout=120)
        await _until(lambda: owners_have_observed(runners, reconcilers, names))
        yield first, bridge


def owners_have_observed(
    runners: Sequence[ReconcilerRunner],
    reconcilers: Sequence[HomeDeviceReconciler],
    devices: Sequence[str],
) -> bool:
    """Every replica sees all the others, and the one that owns each plug's events has
    observed it (the server may have given its add to another replica; the owner then learns
    it at its next membership refresh)."""
    for runner, reconciler in zip(runners, reconcilers, strict=True):
        shards = runner.runtime.events.shards
        if shards is None or len(shards.members) != len(runners):
            return False
        for device in devices:
            known = reconciler.devices.blueprints(BackendKind.ZIGBEE2MQTT, device)
            if shards.keep(device) and not known:
                return False
    return True


async def _until(condition: Callable[[], bool], timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"not reached within {timeout:g}s: {condition}")
        await asyncio.sleep(0.1)


async def _until_on(device: sim.SimulatedZigbeeDevice, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while device.state["state"] != "ON":
        if time.monotonic() > deadline:
            raise RuntimeError(f"{device.friendly_name} was not corrected within {timeout:g}s")
        await asyncio.sleep(_POLL)


async def _drifts(
    runner: ReconcilerRunner, bridge: sim.Zigbee2MqttSimulator, count: int, *, resync: bool
) -> tuple[list[float], int]:
    """Switch plugs off one after the other; the seconds until each is on again (counted
    from the resync's start when ``resync``) and the commands sent meanwhile."""
    devices = list(bridge.devices.values())
    before = sum(len(device.commands) for device in devices)
    latencies = []
    for index in range(count):
        device = devices[index % len(devices)]
        await bridge.change_behind_back(device.friendly_name, state="OFF")
        started = time.monotonic()
        if resync:
            await runner.resync()  # returns once the resync process finished
        await _until_on(device, timeout=60)
        latencies.append(time.monotonic() - started)
        await runner.wait_converged(device.friendly_name)
    return latencies, sum(len(device.commands) for device in devices) - before


def _rpcs(runner: ReconcilerRunner) -> float:
    """RPCs this runtime sent, assign calls excluded."""
    total = 0.0
    for family in runner.runtime.metrics.registry.collect():
        for sample in family.samples:
            if sample.name.endswith("client_requests_total") and (
                sample.labels.get("msgtype") != "assignprocessmsg"
            ):
                total += sample.value
    return total


async def _resync_rpcs(runner: ReconcilerRunner) -> float:
    before = _rpcs(runner)
    await runner.resync()
    return _rpcs(runner) - before


def _latency_rows(report: Report, label: str, seconds: Sequence[float], extra: float) -> None:
    for pct in (50, 95):
        value = percentile(seconds, pct) + extra * pct / 100
        goal = f"< {_LATENCY_GOAL:g} s" if label == "events" and pct == 95 else ""
        met = value < _LATENCY_GOAL if goal else None
        report.add(
            Row(SECTION, f"drift-to-correction p{pct}, {label}", value, "s", None, goal, met)
        )


async def _measure(
    report: Report, target: ServerTarget, broker: MosquittoBroker, sizes: DriftSizes
) -> None:
    with throwaway_colony(target, prefix="bench-drift") as colony:
        async with _house(colony, broker, sizes.plugs, replicas=1, events=True) as (runner, bridge):
            heard, commands = await _drifts(runner, bridge, sizes.drifts, resync=False)
            with_events = await _resync_rpcs(runner)
    report.add_samples("drift corrected, device events", heard)
    _latency_rows(report, "events", heard, 0.0)
    with throwaway_colony(target, prefix="bench-drift") as colony:
        async with _house(colony, broker, sizes.plugs, replicas=1, events=False) as (
            runner,
            bridge,
        ):
            resynced, _ = await _drifts(runner, bridge, max(sizes.drifts // 4, 2), resync=True)
            without_events = await _resync_rpcs(runner)
    _latency_rows(report, "resync only, from the resync", resynced, 0.0)
    _latency_rows(report, "resync only, incl. cron wait", resynced, CRON_SECONDS)
    with throwaway_colony(target, prefix="bench-drift") as colony:
        async with _house(colony, broker, sizes.plugs, replicas=2, events=True) as (runner, bridge):
            _, two = await _drifts(runner, bridge, sizes.drifts, resync=False)
    for replicas, sent in ((1, commands), (2, two)):
        per_event = sent / sizes.drifts
        goal = f"<= {_COMMANDS_GOAL:g}"
        met = per_event <= _COMMANDS_GOAL
        report.add(
            Row(
                SECTION,
                f"commands per drift, {replicas} replica(s)",
                per_event,
                "cmds",
                None,
                goal,
                met,
            )
        )
    report.add(
        Row(
            SECTION,
            f"RPCs per converged resync ({sizes.plugs} plugs), events on vs off",
            with_events,
            "RPCs",
            without_events,
            "no extra",
            with_events <= without_events,
        )
    )


def run(report: Report, target: ServerTarget, *, sizes: DriftSizes) -> None:
    """Add the drift rows to ``report``, on a private Mosquitto."""
    with mosquitto() as broker:
        asyncio.run(_measure(report, target, broker, sizes))


HEADING = "## Drift: device events against resync only"


def write_section(report: Report, path: Path, *, target: str, real: bool) -> None:
    """Put the rows in ``path`` under the heading for this kind of server, replacing that
    section only (the dev server's and a real server's rows live side by side)."""
    heading = f"{HEADING}, {'a real ColonyOS server' if real else 'dev server'}"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    section = "\n".join(
        [
            heading,
            "",
            f"`python -m bench.drift_bench` against {target}, real Mosquitto, the Zigbee2MQTT "
            'simulator. The "incl. cron wait" rows add the wait for the server\'s 60 s '
            "resync (half of it at p50, 95 % at p95) to the measured resync.",
            "",
            render_table(report.rows),
            "",
        ]
    )
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", re.S | re.M)
    updated = (
        pattern.sub(section, text) if pattern.search(text) else f"{text.rstrip()}\n\n{section}"
    )
    path.write_text(updated, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.drift_bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny sizes, for a smoke test")
    parser.add_argument("--output", type=Path, default=Path(__file__).parent / "RESULTS.md")
    args = parser.parse_args(argv)
    report = Report()
    real = real_server_config(os.environ)
    with server_target() if real else devserver_process() as target:
        print("bench: drift ...", file=sys.stderr, flush=True)
        run(report, target, sizes=QUICK if args.quick else FULL)
        where = f"the ColonyOS server at {target.url}" if real else "the dev server (own process)"
    print(render_table(report.rows))
    write_section(report, args.output, target=where, real=real is not None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
