"""The one interface every device backend implements, and the comparison they share.

A backend turns the device model into hub traffic: ``read`` observes a device, ``send`` commands
it and returns only once the device has reported the new state (a hub that accepts a command is
not a device that carried it out). Between those calls it announces what it hears through
``events`` (see :mod:`colonies_home.backends.events`).
"""

from __future__ import annotations

import asyncio
import contextlib
from abc import ABC, abstractmethod
from dataclasses import dataclass

from colonies_home.backends.events import EventGate
from colonies_home.conversions import same_color_temp
from colonies_home.model import (
    SETTING_NAMES,
    BackendKind,
    DeviceReading,
    DeviceSettings,
    DeviceType,
)


@dataclass(frozen=True)
class DeviceRef:
    """Which device, and what the blueprint says it is."""

    device: str
    type: DeviceType


class DeviceBackend(ABC):
    """A hub or bridge that can observe and command devices."""

    kind: BackendKind

    def __init__(self) -> None:
        self.events = EventGate(self.kind)

    @abstractmethod
    async def read(self, ref: DeviceRef) -> DeviceReading:
        """Observe the device now; raises a :class:`~colonies_home.errors.HomeBackendError`."""

    @abstractmethod
    async def send(self, ref: DeviceRef, settings: DeviceSettings) -> DeviceReading:
        """Command ``settings`` and return the reading that confirms them."""

    @abstractmethod
    async def aclose(self) -> None:
        """Release connections and background tasks."""

    def describe(self) -> str:
        """A short human label for logs and the demo (never credentials)."""
        return self.kind.value


async def stop_listener(task: asyncio.Task[None] | None) -> None:
    """Cancel a backend's background listener and wait until it has let go of its connection."""
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def mismatches(reading: DeviceSettings, desired: DeviceSettings) -> list[str]:
    """Names of the settings ``desired`` manages that ``reading`` does not (yet) show.

    Colour temperature compares at device resolution, see
    :func:`~colonies_home.conversions.same_color_temp`.
    """
    differing = []
    for name in SETTING_NAMES:
        want = getattr(desired, name)
        have = getattr(reading, name)
        if want is None or want == have:
            continue
        if name == "color_temp_kelvin" and have is not None and same_color_temp(want, have):
            continue
        differing.append(name)
    return differing
