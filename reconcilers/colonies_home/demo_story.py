"""The demo's story, as an operator lives it: ``colonies-sdk`` commands against the colony, a
hand on the wall switch, and the reconciler catching up after each, shown live.

1. ``apply`` the shipped definition and example devices (as the README's quick start does);
   all four converge.
2. ``set`` the lamp's brightness and colour temperature; it converges on the new generation.
3. The plug is switched off at the wall; its own report gets it switched back on at once.
4. ``apply`` the plug's manifest with the ``hold`` drift policy annotation, switch it off at
   the wall again: it is left off (``get`` shows the drift) until the hold ends.
5. ``get`` every device.

Each step waits, with a deadline, for what it expects and records how long that took.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from rich.console import Console
from rich.table import Table

from colonies.client import AsyncColoniesClient
from colonies.models import Blueprint
from colonies.runtime.drift import HOLD_PERIOD_ANNOTATION, POLICY_ANNOTATION
from colonies_home.backends.base import DeviceBackend, DeviceRef
from colonies_home.blueprints import example_blueprints, example_manifest, example_manifests
from colonies_home.demo_operator import Operator, typed_path
from colonies_home.demo_sites import DemoSite
from colonies_home.demo_view import (
    OUTPUT_INDENT,
    DemoView,
    converged,
    device_row,
    manual_override,
)
from colonies_home.errors import HomeBackendError
from colonies_home.model import DeviceReading, DeviceType, HomeDeviceSpec

COLONY = "home"
POLL_INTERVAL = 0.25  # the table: blueprints and every device
LANDING_POLL = 0.05  # a command's write: the blueprints only
HOLD_SECONDS = 5.0  # long enough for `get` to start up and show the hold

Snapshot = list[tuple[Blueprint, DeviceReading | None]]
Reached = Callable[[Snapshot], bool]
Landed = Callable[[list[Blueprint]], bool]


class DemoFailedError(RuntimeError):
    """A step did not converge in time."""


@dataclass
class DemoSummary:
    """How each step went; ``finished`` once the summary was printed."""

    steps: list[tuple[str, float]] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)  # each colonies-sdk command's arguments
    device_commands: int = 0
    finished: bool = False

    def print(self, console: Console) -> None:
        table = Table(title="Summary", title_justify="left")
        table.add_column("step")
        table.add_column("took", justify="right")
        for step, seconds in self.steps:
            table.add_row(step, f"{seconds:.1f}s")
        console.print(table)
        console.print(
            f"{len(self.commands)} colonies-sdk commands run, "
            f"{self.device_commands} device commands sent; demo finished."
        )


@dataclass
class Story:
    """Plays the story against the demo's colony: commands through ``connection`` (the dev
    server's ``COLONIES_*`` variables), the table through ``client`` and ``observer``."""

    client: AsyncColoniesClient
    site: DemoSite
    observer: DeviceBackend
    connection: Mapping[str, str] = field(repr=False)
    console: Console
    step_timeout: float
    summary: DemoSummary
    latest: Snapshot = field(default_factory=list, init=False, repr=False)

    async def play(self) -> None:
        """Play the steps, recording each one in the summary."""
        blueprints = example_blueprints(self.site.backend_kind, COLONY)
        names = [blueprint.metadata.name for blueprint in blueprints]
        lamp = _first(blueprints, DeviceType.LIGHT)
        plug = _first(blueprints, DeviceType.SWITCH)
        plug_ref = _ref(next(bp for bp in blueprints if bp.metadata.name == plug))
        devices = example_manifest(self.site.backend_kind)
        title = f"HomeDevice blueprints in colony {COLONY}: desired vs observed"
        with DemoView(self.console, title, names) as view:
            operator = Operator(
                self.connection,
                view,
                timeout=self.step_timeout,
                columns=max(self.console.width - OUTPUT_INDENT, 80),
                color=self.console.is_terminal,
            )
            manifests = example_manifests(self.site.backend_kind)
            files = [word for path in manifests for word in ("-f", typed_path(path))]
            since = await self._command(
                view, operator, "apply", *files, lands=lambda found: len(found) == len(names)
            )
            await self._until(view, "all devices converged", _all_converged, since)

            generation = _generation([bp for bp, _ in self.latest], lamp) + 1
            since = await self._command(
                view,
                operator,
                *("set", "homedevice", lamp, "brightness=25", "color_temp_kelvin=4000"),
                lands=lambda found: _generation(found, lamp) == generation,
            )
            await self._until(
                view,
                f"{lamp} converged on generation {generation}",
                lambda now: _one_converged(now, lamp, generation),
                since,
            )

            await self.site.switch_off_by_hand(plug_ref)
            view.event(f"{plug} switched off at the wall, behind the reconciler's back")
            await self._until(
                view,
                f"the device reported it and {plug} was switched back on",
                lambda now: _device_on(now, plug),
            )

            held = _with_hold(devices, plug)
            await self._command(view, operator, "apply", "-f", "-", stdin=held)
            await self.site.switch_off_by_hand(plug_ref)
            switched_off = time.monotonic()
            view.event(f"{plug} switched off at the wall again, now under the hold policy")
            await self._until(
                view, f"{plug} left off: a person's change, held", lambda now: _held(now, plug)
            )
            await self._command(view, operator, "get", "homedevice", plug)
            await self._until(
                view,
                f"the hold ended and {plug} was switched back on",
                lambda now: _device_on(now, plug) and _one_converged(now, plug, 0),
                since=switched_off,
            )
            await self._command(view, operator, "get", "homedevices")

    async def _command(
        self,
        view: DemoView,
        operator: Operator,
        *args: str,
        stdin: str | None = None,
        lands: Landed | None = None,
    ) -> float:
        """Run one command while the table keeps refreshing. Returns when its change was
        first seen on the server (``lands`` held for the blueprints), else when it returned:
        where the next step's clock starts, so the command's own start-up does not count."""
        refreshing = asyncio.create_task(self._refresh(view))
        landing = asyncio.create_task(self._landing(lands)) if lands else None
        try:
            await operator.run(*args, stdin=stdin)
        finally:
            await _stop(refreshing)
            landed = landing is not None and landing.done()
            if landing is not None and not landed:
                await _stop(landing)
        self.summary.commands.append(" ".join(args))
        return landing.result() if landing is not None and landed else time.monotonic()

    async def _landing(self, lands: Landed) -> float:
        """When the blueprints first satisfy ``lands`` (a cheap list, polled often)."""
        while True:
            if lands(await self.client.get_blueprints(COLONY, kind="HomeDevice")):
                return time.monotonic()
            await asyncio.sleep(LANDING_POLL)

    async def _refresh(self, view: DemoView) -> None:
        while True:
            await self._look(view)
            await asyncio.sleep(POLL_INTERVAL)

    async def _look(self, view: DemoView) -> Snapshot:
        blueprints = await self.client.get_blueprints(COLONY, kind="HomeDevice")
        snapshot = [(blueprint, await self._device_now(blueprint)) for blueprint in blueprints]
        self.latest = snapshot
        view.update([device_row(blueprint, now) for blueprint, now in snapshot])
        return snapshot

    async def _until(
        self, view: DemoView, what: str, reached: Reached, since: float | None = None
    ) -> None:
        started = time.monotonic() if since is None else since
        while True:
            snapshot = await self._look(view)
            took = time.monotonic() - started
            if reached(snapshot):
                view.event(f"[green]{what}[/] ({took:.1f}s)")
                view.step_done()
                self.summary.steps.append((what, took))
                return
            if took > self.step_timeout:
                raise DemoFailedError(f"{what}: not reached within {self.step_timeout:g}s")
            await asyncio.sleep(POLL_INTERVAL)

    async def _device_now(self, blueprint: Blueprint) -> DeviceReading | None:
        try:
            return await self.observer.read(_ref(blueprint))
        except HomeBackendError:
            return None


async def _stop(task: asyncio.Task[object]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


def _with_hold(manifest: Path, name: str) -> str:
    """The shipped document of blueprint ``name`` in ``manifest`` with the ``hold`` drift
    policy's annotations: what a person applies to have changes at the device held."""
    document = next(
        document
        for document in yaml.safe_load_all(manifest.read_text())
        if document and document["metadata"]["name"] == name
    )
    annotations = {POLICY_ANNOTATION: "hold", HOLD_PERIOD_ANNOTATION: f"{HOLD_SECONDS:g}"}
    held = {**document, "metadata": {**document["metadata"], "annotations": annotations}}
    return yaml.safe_dump(held, sort_keys=False)


def _first(blueprints: list[Blueprint], device_type: DeviceType) -> str:
    return next(bp.metadata.name for bp in blueprints if _ref(bp).type is device_type)


def _ref(blueprint: Blueprint) -> DeviceRef:
    spec = HomeDeviceSpec.model_validate(blueprint.spec)
    return DeviceRef(spec.device, spec.type)


def _generation(blueprints: list[Blueprint], name: str) -> int:
    return next((bp.metadata.generation for bp in blueprints if bp.metadata.name == name), -1)


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
