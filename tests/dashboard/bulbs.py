"""A tiny reconciler for the dashboard and CLI tests: dict-backed fake bulbs (the device, not
the server).

``gate`` lets a test hold ``apply`` so the page can be seen in the middle of a reconcile;
names in ``unreachable`` fail every observe with a temporary error; a brightness above 254
is refused for good (a PermanentError, condition Failed)."""

from __future__ import annotations

import asyncio

from pydantic import BaseModel

from colonies.runtime import (
    Diff,
    PermanentError,
    Reconciler,
    Resource,
    RetryPolicy,
    TemporaryError,
)

MAX_BRIGHTNESS = 254


class BulbSpec(BaseModel):
    power: bool
    brightness: int = 100


class BulbStatus(BaseModel):
    power: bool
    brightness: int


class Bulbs(Reconciler[BulbSpec, BulbStatus]):
    kind = "DashBulb"
    retry = RetryPolicy(attempts=1)

    def __init__(self) -> None:
        self.devices: dict[str, BulbStatus] = {}
        self.unreachable: set[str] = set()
        self.gate = asyncio.Event()
        self.gate.set()

    async def observe(self, resource: Resource[BulbSpec]) -> BulbStatus:
        self._reach(resource.name)
        return self.devices.get(resource.name, BulbStatus(power=False, brightness=0))

    async def apply(self, resource: Resource[BulbSpec], diff: Diff) -> BulbStatus | None:
        await self.gate.wait()
        self._reach(resource.name)
        if resource.spec.brightness > MAX_BRIGHTNESS:
            raise PermanentError(f"brightness {resource.spec.brightness} is above {MAX_BRIGHTNESS}")
        self.devices[resource.name] = BulbStatus(**resource.spec.model_dump())
        return None

    async def cleanup(self, name: str) -> None:
        self.devices.pop(name, None)

    def _reach(self, name: str) -> None:
        if name in self.unreachable:
            raise TemporaryError(f"bulb {name} does not answer")
