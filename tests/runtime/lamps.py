"""A test reconciler with an in-memory device that records everything done to it.

Tests gate ``apply`` (to hold a reconcile in flight) or ``observe`` (to make a device hang)
per blueprint, inject failures, and read back every device command, observation and cleanup.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field

from pydantic import BaseModel, Field

from colonies.runtime import Diff, Reconciler, Resource, RetryPolicy

KIND = "RtLamp"


class LampSpec(BaseModel):
    power: bool
    level: int = Field(default=50, ge=0, le=100)


class LampStatus(BaseModel):
    power: bool = False
    level: int = 0


@dataclass
class Command:
    """One apply call: which blueprint, which generation, what it changed."""

    name: str
    generation: int
    changes: dict[str, object]


@dataclass
class LampBoard:
    """The fake devices and a log of what the reconciler did to them."""

    devices: dict[str, LampStatus] = field(default_factory=dict)
    commands: list[Command] = field(default_factory=list)
    observations: Counter[str] = field(default_factory=Counter)
    cleaned: list[str] = field(default_factory=list)
    gates: dict[str, asyncio.Event] = field(default_factory=dict)
    observe_gates: dict[str, asyncio.Event] = field(default_factory=dict)
    entered: dict[str, asyncio.Event] = field(default_factory=dict)
    failures: dict[str, list[Exception]] = field(default_factory=dict)
    active: Counter[str] = field(default_factory=Counter)
    max_active: Counter[str] = field(default_factory=Counter)

    def hold(self, name: str) -> asyncio.Event:
        """Make the next applies to ``name`` wait until the returned event is set."""
        self.gates[name] = asyncio.Event()
        self.entered[name] = asyncio.Event()
        return self.gates[name]

    def hang_observe(self, name: str) -> asyncio.Event:
        """Make observing ``name`` wait until the returned event is set."""
        self.observe_gates[name] = asyncio.Event()
        return self.observe_gates[name]

    def commands_for(self, name: str) -> list[Command]:
        return [command for command in self.commands if command.name == name]


class Lamps(Reconciler[LampSpec, LampStatus]):
    kind = KIND
    retry = RetryPolicy(attempts=3, initial_delay=0.01, max_delay=0.05, jitter=0)
    timeout = 20.0

    def __init__(self, board: LampBoard | None = None) -> None:
        self.board = board or LampBoard()

    async def observe(self, resource: Resource[LampSpec]) -> LampStatus:
        self.board.observations[resource.name] += 1
        if resource.name in self.board.observe_gates:
            await self.board.observe_gates[resource.name].wait()
        return self.board.devices.get(resource.name, LampStatus())

    async def apply(self, resource: Resource[LampSpec], diff: Diff) -> LampStatus | None:
        board, name = self.board, resource.name
        board.active[name] += 1
        board.max_active[name] = max(board.max_active[name], board.active[name])
        try:
            if name in board.entered:
                board.entered[name].set()
            if name in board.gates:
                await board.gates[name].wait()
            failures = board.failures.get(name)
            if failures:
                raise failures.pop(0)
            changes = {change.path: change.desired for change in diff}
            board.commands.append(Command(name, resource.generation, changes))
            current = board.devices.get(name, LampStatus())
            board.devices[name] = current.model_copy(update=changes)
            return None  # let the runtime observe again
        finally:
            board.active[name] -= 1

    async def cleanup(self, name: str) -> None:
        self.board.cleaned.append(name)
        self.board.devices.pop(name, None)
