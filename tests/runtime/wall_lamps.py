"""Lamps whose devices report every state change to every listener, like a Zigbee2MQTT
state topic that each replica subscribes to; the runtime's own commands echo back too."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from colonies.models import Blueprint
from colonies.runtime import Diff, Phase, Resource
from colonies.runtime.status import generation_observed, stored_phase
from colonies.testing.runner import ReconcilerRunner
from tests.runtime.lamps import LampBoard, Lamps, LampSpec, LampStatus

SOURCE = "wall"


@dataclass
class WallBoard(LampBoard):
    listeners: list[Callable[[str], None]] = field(default_factory=list)

    def report(self, name: str) -> None:
        """Tell every subscriber that ``name`` has a new state (the message, not the state)."""
        for listener in self.listeners:
            listener(name)

    def switch(self, name: str, **changes: Any) -> None:
        """A person changes the device at the wall."""
        self.devices[name] = self.devices.get(name, LampStatus()).model_copy(update=changes)
        self.report(name)


class WallLamps(Lamps):
    """``latency``: seconds a command takes to reach the device (a radio round trip)."""

    board: WallBoard

    def __init__(self, board: WallBoard, latency: float = 0.0) -> None:
        super().__init__(board)
        self.latency = latency

    async def startup(self) -> None:
        self.board.listeners.append(lambda name: self.events.changed(name, source=SOURCE))

    async def apply(self, resource: Resource[LampSpec], diff: Diff) -> LampStatus | None:
        await asyncio.sleep(self.latency)
        returned = await super().apply(resource, diff)
        self.board.report(resource.name)  # the echo of our own command
        return returned


async def add_annotated(
    runner: ReconcilerRunner, name: str, spec: Mapping[str, Any], annotations: Mapping[str, str]
) -> Blueprint:
    """Create blueprint ``name`` with ``annotations`` (a per-blueprint drift policy)."""
    blueprint = Blueprint.model_validate(
        {
            "kind": runner.kind,
            "metadata": {
                "name": name,
                "colonyname": runner.colony_name,
                "annotations": dict(annotations),
            },
            "spec": dict(spec),
        }
    )
    return await runner.client.add_blueprint(blueprint)


def condition(blueprint: Blueprint, condition_type: str) -> dict[str, Any]:
    return next(
        item for item in (blueprint.status or {})["conditions"] if item["type"] == condition_type
    )


def in_phase(phase: Phase) -> Callable[[Blueprint], bool]:
    """The stored status is for the current generation and ended in ``phase``."""
    return lambda blueprint: (
        generation_observed(blueprint.status) == blueprint.metadata.generation
        and stored_phase(blueprint.status) is phase
    )
