"""A reconciler for the SIGTERM test, run by ``colonies-sdk run`` in a subprocess.

Its ``apply`` announces itself with a file and waits for another file, so the test can
hold a reconcile in flight across process boundaries. ``LAMP_GATE_DIR`` names the folder;
``LAMP_KIND`` the kind, which the test makes unique (protocol 7.5).
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from pydantic import BaseModel

from colonies.runtime import Diff, Reconciler, Resource


class SlowLampSpec(BaseModel):
    power: bool
    level: int = 0


class SlowLampStatus(BaseModel):
    power: bool = False
    level: int = 0


class SlowLamp(Reconciler[SlowLampSpec, SlowLampStatus]):
    kind = os.environ.get("LAMP_KIND", "RtSlowLamp")

    def __init__(self) -> None:
        self.gate = Path(os.environ["LAMP_GATE_DIR"])
        self.devices: dict[str, SlowLampStatus] = {}

    async def observe(self, resource: Resource[SlowLampSpec]) -> SlowLampStatus:
        return self.devices.get(resource.name, SlowLampStatus())

    async def apply(self, resource: Resource[SlowLampSpec], diff: Diff) -> SlowLampStatus:
        (self.gate / f"started-{resource.name}").touch()
        # the release comes from the test in another process, so no Event can carry it
        while not (self.gate / "release").exists():  # noqa: ASYNC110
            await asyncio.sleep(0.02)
        self.devices[resource.name] = SlowLampStatus.model_validate(resource.spec.model_dump())
        return self.devices[resource.name]
