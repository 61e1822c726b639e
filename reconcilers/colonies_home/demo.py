"""``colonies-sdk demo``: the home reconciler converging real-looking devices, start to finish.

Starts the embedded ColonyOS dev server (resync every 60 s, as on a real server), the devices
(simulated in-process by default; the Zigbee2MQTT simulator on Mosquitto, or Home Assistant's
demo integration) and the runtime with :class:`HomeDeviceReconciler`, then plays the story of
:mod:`colonies_home.demo_story`: an operator's ``colonies-sdk apply``/``set``/``get`` commands
and a hand on the wall switch, with convergence shown live, a summary, and an end by itself;
no input needed. With ``dashboard`` it also serves the read-only blueprint dashboard of the
demo colony on loopback, optionally kept open after the summary so a person can look around.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from rich.console import Console

from colonies.client import AsyncColoniesClient
from colonies.dashboard import create_app, serve_in_background
from colonies.devserver import Bootstrap, DevServer, DevServerSettings
from colonies.runtime import Runtime, Settings
from colonies.runtime.settings import (
    ConnectionSettings,
    HttpSettings,
    IdentitySettings,
    WorkerSettings,
)
from colonies_home.backends.registry import HomeBackends
from colonies_home.components import ComponentMissingError, ComponentStartError
from colonies_home.demo_operator import CommandFailedError
from colonies_home.demo_sites import (
    DemoSite,
    home_assistant_site,
    simulated_site,
    zigbee2mqtt_site,
)
from colonies_home.demo_story import COLONY, DemoFailedError, DemoSummary, Story
from colonies_home.reconciler import HomeDeviceReconciler
from colonies_home.safety import ActuationGuard, SafetyLimits
from colonies_home.settings import HomeSettings

# The server's resync stays at 60 s, as on a real server: the drift the demo shows is found
# by the device's own report, not by a resync.
DEV_SERVER_SETTINGS = DevServerSettings(
    cron_tick=0.25, blueprint_cron_interval=60, checker_period=0.5
)
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
    except (
        DemoFailedError,
        CommandFailedError,
        ComponentMissingError,
        ComponentStartError,
    ) as exc:
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
                    story = Story(
                        client,
                        site,
                        observer,
                        server.environment(boot),
                        console,
                        options.step_timeout,
                        summary,
                    )
                    await story.play()
                    summary.device_commands = guard.granted
                    summary.print(console)
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
