"""``colonies-sdk demo``: the home reconciler converging real-looking devices, start to finish.

Starts the embedded ColonyOS dev server (resync every 60 s, as on a real server), the devices
(simulated in-process by default; the Zigbee2MQTT simulator on Mosquitto, or Home Assistant's
demo integration), the runtime with :class:`HomeDeviceReconciler`, and adds the example
blueprints. Then it changes a spec, switches the plug off at the wall (the device's own report
gets it corrected at once, long before any resync), switches it off again under the ``hold``
drift policy (left alone until the hold ends), shows convergence live, prints a summary and
ends by itself; no input needed. With ``dashboard`` it also serves the
read-only blueprint dashboard of the demo colony on loopback, optionally kept open after the
summary so a person can look around.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from rich.console import Console
from rich.table import Table

from colonies.client import AsyncColoniesClient
from colonies.dashboard import create_app, serve_in_background
from colonies.devserver import Bootstrap, DevServer, DevServerSettings
from colonies.models import Blueprint
from colonies.runtime import Runtime, Settings
from colonies.runtime.drift import HOLD_PERIOD_ANNOTATION, POLICY_ANNOTATION
from colonies.runtime.settings import (
    ConnectionSettings,
    HttpSettings,
    IdentitySettings,
    WorkerSettings,
)
from colonies_home.backends.base import DeviceBackend, DeviceRef
from colonies_home.backends.registry import HomeBackends
from colonies_home.blueprints import example_blueprints
from colonies_home.components import ComponentMissingError, ComponentStartError
from colonies_home.demo_sites import (
    DemoSite,
    home_assistant_site,
    simulated_site,
    zigbee2mqtt_site,
)
from colonies_home.demo_view import DemoView, converged, device_row, manual_override
from colonies_home.errors import HomeBackendError
from colonies_home.model import DeviceReading, DeviceType, HomeDeviceSpec
from colonies_home.reconciler import HomeDeviceReconciler
from colonies_home.safety import ActuationGuard, SafetyLimits
from colonies_home.settings import HomeSettings

COLONY = "home"
POLL_INTERVAL = 0.25
# The server's resync stays at 60 s, as on a real server: the drift the demo shows is found
# by the device's own report, not by a resync.
DEV_SERVER_SETTINGS = DevServerSettings(
    cron_tick=0.25, blueprint_cron_interval=60, checker_period=0.5
)
HOLD_SECONDS = 3.0
DEMO_LIMITS = SafetyLimits(min_interval=0.5, rate=10.0, burst=10)
DASHBOARD_REFRESH = 0.5  # seconds; the steps take only a few


class DemoBackend(StrEnum):
    """Which devices the demo drives."""

    SIMULATED = "simulated"
    MQTT = "mqtt"
    HOMEASSISTANT = "homeassistant"


@dataclass(frozen=True)
class DemoOptions:
    """``mqtt_host``/``ha_url`` point at existing hubs; unset, private ones are started."""

    backend: DemoBackend = DemoBackend.SIMULATED
    mqtt_host: str | None = None
    mqtt_port: int = 1883
    ha_url: str | None = None
    ha_token: str | None = field(default=None, repr=False)
    step_timeout: float = 30.0
    dashboard: bool = False
    keep_open: float = 0.0  # seconds the dashboard stays up after the summary


@dataclass
class DemoSummary:
    """How each step went; ``finished`` once the summary was printed."""

    steps: list[tuple[str, float]] = field(default_factory=list)
    commands: int = 0
    finished: bool = False


class DemoFailedError(RuntimeError):
    """A step did not converge in time."""


Snapshot = list[tuple[Blueprint, DeviceReading | None]]


def run(options: DemoOptions, console: Console | None = None) -> int:
    """Run the demo to the end; the process exit code (0 when every step converged)."""
    if console is None:
        console = Console()
        if not console.is_terminal:
            console.width = max(console.width, 120)  # CI logs: room for the whole table
    summary = DemoSummary()
    try:
        with _quiet_logs("httpx", "colonies", "uvicorn", "uvicorn.error"):
            asyncio.run(run_demo(options, console, summary))
    except (DemoFailedError, ComponentMissingError, ComponentStartError) as exc:
        console.print(f"[bold red]demo failed:[/] {exc}")
        return 1
    except KeyboardInterrupt:
        if summary.finished:  # Ctrl-C while the dashboard was kept open: a normal end
            return 0
        console.print("[bold red]demo interrupted[/]")
        return 130
    return 0


async def run_demo(options: DemoOptions, console: Console, summary: DemoSummary) -> None:
    """Everything from start to summary (and the dashboard kept open after it), recorded in
    ``summary``; raises :class:`DemoFailedError` on a stuck step."""
    async with _open_site(options) as site:
        console.print(f"[bold]devices:[/] {site.label}")
        with DevServer(DEV_SERVER_SETTINGS) as server:
            boot = server.bootstrap(COLONY)
            console.print(f"[bold]ColonyOS dev server:[/] {server.url} (colony {COLONY})")
            guard = ActuationGuard(DEMO_LIMITS)
            backends = HomeBackends(HomeSettings(), backends={site.backend_kind: site.backend()})
            reconciler = HomeDeviceReconciler(backends, guard)
            observer = site.backend()
            try:
                async with (
                    Runtime(reconciler, _runtime_settings(server, boot)),
                    AsyncColoniesClient(server.host, server.port, key=boot.user_key) as client,
                    _dashboard(options.dashboard, client, console) as dashboard_url,
                ):
                    script = _Script(client, site, observer, console, options.step_timeout, summary)
                    await script.run()
                    summary.commands = guard.granted
                    _print_summary(console, summary)
                    summary.finished = True
                    if dashboard_url is not None and options.keep_open > 0:
                        console.print(
                            f"[bold]dashboard[/] stays open for {options.keep_open:g}s at "
                            f"{dashboard_url} (Ctrl-C ends it sooner)"
                        )
                        await asyncio.sleep(options.keep_open)
            finally:
                await observer.aclose()


@contextlib.asynccontextmanager
async def _dashboard(
    enabled: bool, client: AsyncColoniesClient, console: Console
) -> AsyncIterator[str | None]:
    """The read-only dashboard of the demo colony on a free loopback port, yielding its URL;
    when not ``enabled``, only a hint that it exists."""
    if not enabled:
        console.print("[dim]run with --dashboard to watch it in a browser[/]")
        yield None
        return
    app = create_app(lambda: client, COLONY, refresh_interval=DASHBOARD_REFRESH)
    async with serve_in_background(app, host="127.0.0.1", port=0) as url:
        console.print(f"[bold]dashboard:[/] {url}/ (read-only, live)")
        yield f"{url}/"


def _print_summary(console: Console, summary: DemoSummary) -> None:
    table = Table(title="Summary", title_justify="left")
    table.add_column("step")
    table.add_column("took", justify="right")
    for step, seconds in summary.steps:
        table.add_row(step, f"{seconds:.1f}s")
    console.print(table)
    console.print(f"{summary.commands} device commands sent; demo finished.")


@contextlib.contextmanager
def _quiet_logs(*names: str) -> Iterator[None]:
    """Only warnings from the libraries while the table is on screen; levels restored after."""
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


@contextlib.asynccontextmanager
async def _open_site(options: DemoOptions) -> AsyncIterator[DemoSite]:
    if options.backend is DemoBackend.MQTT:
        async with zigbee2mqtt_site(options.mqtt_host, options.mqtt_port) as z2m:
            yield z2m
    elif options.backend is DemoBackend.HOMEASSISTANT:
        async with home_assistant_site(options.ha_url, options.ha_token) as hub:
            yield hub
    else:
        async with simulated_site() as simulated:
            yield simulated


def _runtime_settings(server: DevServer, boot: Bootstrap) -> Settings:
    return Settings(
        connection=ConnectionSettings(host=server.host, port=server.port, colony_name=COLONY),
        identity=IdentitySettings(colony_prvkey=boot.colony_key, executor_name="home-demo"),
        worker=WorkerSettings(concurrency=4, assign_timeout=1, grace_period=3.0),
        http=HttpSettings(port=0),
    )


class _Script:
    """The demo's three steps, each waiting (with a deadline) for convergence."""

    def __init__(
        self,
        client: AsyncColoniesClient,
        site: DemoSite,
        observer: DeviceBackend,
        console: Console,
        step_timeout: float,
        summary: DemoSummary,
    ) -> None:
        self.client = client
        self.site = site
        self.observer = observer
        self.console = console
        self.step_timeout = step_timeout
        self.blueprints = example_blueprints(site.backend_kind, COLONY)
        self.summary = summary

    async def run(self) -> None:
        """Play the steps, recording each one in the summary."""
        names = [blueprint.metadata.name for blueprint in self.blueprints]
        title = f"HomeDevice blueprints in colony {COLONY}: desired vs observed"
        with DemoView(self.console, title, names) as view:
            view.event(f"adding {len(names)} HomeDevice blueprints: {', '.join(names)}")
            for blueprint in self.blueprints:
                await self.client.add_blueprint(blueprint)
            await self._until(view, "all devices converged", _all_converged)

            lamp = self._first(DeviceType.LIGHT)
            changes = {"power": True, "brightness": 25, "color_temp_kelvin": 4000}
            updated = await self.client.update_blueprint_spec(COLONY, lamp, changes)
            generation = updated.metadata.generation
            view.event(f"spec change: {lamp} -> 25 % at 4000 K (generation {generation})")
            await self._until(
                view,
                f"{lamp} converged on generation {generation}",
                lambda snapshot: _one_converged(snapshot, lamp, generation),
            )

            plug = self._first(DeviceType.SWITCH)
            ref = _ref(next(bp for bp in self.blueprints if bp.metadata.name == plug))
            await self.site.switch_off_by_hand(ref)
            view.event(f"{plug} switched off at the wall, behind the reconciler's back")
            await self._until(
                view,
                f"the device reported it and {plug} was switched back on",
                lambda snapshot: _device_on(snapshot, plug),
            )

            await self._hold(plug)
            view.event(f"{plug} now has drift policy hold ({HOLD_SECONDS:g}s), by annotation")
            await self.site.switch_off_by_hand(ref)
            view.event(f"{plug} switched off at the wall again")
            await self._until(
                view,
                f"{plug} left off: a person's change, held",
                lambda snapshot: _held(snapshot, plug),
            )
            await self._until(
                view,
                f"the hold ended and {plug} was switched back on",
                lambda snapshot: _device_on(snapshot, plug) and _one_converged(snapshot, plug, 0),
            )

    async def _hold(self, name: str) -> None:
        """Put blueprint ``name`` under the ``hold`` drift policy (no new generation)."""
        current = await self.client.get_blueprint(COLONY, name)
        annotations = {
            **current.metadata.annotations,
            POLICY_ANNOTATION: "hold",
            HOLD_PERIOD_ANNOTATION: f"{HOLD_SECONDS:g}",
        }
        metadata = current.metadata.model_copy(update={"annotations": annotations})
        await self.client.update_blueprint(current.model_copy(update={"metadata": metadata}))

    def _first(self, device_type: DeviceType) -> str:
        return next(bp.metadata.name for bp in self.blueprints if _ref(bp).type is device_type)

    async def _until(self, view: DemoView, what: str, reached: Callable[[Snapshot], bool]) -> None:
        started = time.monotonic()
        while True:
            snapshot = await self._snapshot()
            view.update([device_row(blueprint, now) for blueprint, now in snapshot])
            took = time.monotonic() - started
            if reached(snapshot):
                view.event(f"[green]{what}[/] ({took:.1f}s)")
                view.step_done()
                self.summary.steps.append((what, took))
                return
            if took > self.step_timeout:
                raise DemoFailedError(f"{what}: not reached within {self.step_timeout:g}s")
            await asyncio.sleep(POLL_INTERVAL)

    async def _snapshot(self) -> Snapshot:
        blueprints = await self.client.get_blueprints(COLONY, kind="HomeDevice")
        return [(blueprint, await self._device_now(blueprint)) for blueprint in blueprints]

    async def _device_now(self, blueprint: Blueprint) -> DeviceReading | None:
        try:
            return await self.observer.read(_ref(blueprint))
        except HomeBackendError:
            return None


def _ref(blueprint: Blueprint) -> DeviceRef:
    spec = HomeDeviceSpec.model_validate(blueprint.spec)
    return DeviceRef(spec.device, spec.type)


def _all_converged(snapshot: Snapshot) -> bool:
    return bool(snapshot) and all(converged(blueprint) for blueprint, _ in snapshot)


def _one_converged(snapshot: Snapshot, name: str, generation: int) -> bool:
    return any(
        blueprint.metadata.name == name
        and blueprint.metadata.generation >= generation
        and converged(blueprint)
        for blueprint, _ in snapshot
    )


def _held(snapshot: Snapshot, name: str) -> bool:
    return any(
        blueprint.metadata.name == name
        and manual_override(blueprint.status)
        and now is not None
        and now.power is False
        for blueprint, now in snapshot
    )


def _device_on(snapshot: Snapshot, name: str) -> bool:
    return any(
        blueprint.metadata.name == name and now is not None and now.power is True
        for blueprint, now in snapshot
    )
