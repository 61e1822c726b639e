"""The event sink: how a reconciler's device listeners say "look at blueprint X again".

Like controller-runtime's ``source.Channel``, an event carries only *which* blueprint and a
``source`` label (``"mqtt"``, ``"ha"``, ``"poll"``), never a state to apply: the reconcile that
follows reads the blueprint and observes the device as they are then. The runtime attaches a
sink to ``reconciler.events`` before ``startup()``; until then (and after shutdown) events are
dropped, so a reconciler also works on its own in tests.

Every method may be called from any thread (paho-mqtt calls back from its network thread)
and never blocks: the event is handed to the runtime's event loop.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from colonies.runtime.triggers import AvailabilityChanged, DeviceChanged, DeviceEvent, Reconnected

log = logging.getLogger("colonies.runtime")

DEFAULT_SOURCE = "device"


class EventSink:
    """Hands device events to ``deliver``, on ``loop``'s thread when a loop is given.

    Without a loop, ``deliver`` runs in the caller's thread: ``EventSink(events.append)``
    records what a reconciler emits in a unit test. ``source`` labels metrics: keep it a
    short fixed word (``"mqtt"``), never a device name.
    """

    def __init__(
        self,
        deliver: Callable[[DeviceEvent], None] | None = None,
        loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        self._deliver = deliver
        self._loop = loop

    def changed(self, name: str, *, source: str = DEFAULT_SOURCE) -> None:
        """The device behind blueprint ``name`` reported a state: check it for drift now.

        Send it for every state message, the runtime's own commands' echoes included: a
        device that matches the spec costs one observe and no command.
        """
        self._emit(DeviceChanged(name, source, time.monotonic()))

    def available(self, name: str, *, source: str = DEFAULT_SOURCE) -> None:
        """The device is back (availability topic ``online``, an entity leaving
        ``unavailable``): reconcile it at once, since it may have come back in any state."""
        self._emit(AvailabilityChanged(name, source, True, time.monotonic()))

    def unavailable(self, name: str, *, source: str = DEFAULT_SOURCE) -> None:
        """The device is away: its status says so (Degraded, ``Unavailable``) and no command
        is sent to it until :meth:`available`."""
        self._emit(AvailabilityChanged(name, source, False, time.monotonic()))

    def reconnected(self, *, source: str = DEFAULT_SOURCE) -> None:
        """The broker or hub connection is back: events may have been missed, so every
        blueprint of the kind this replica handles is reconciled at once."""
        self._emit(Reconnected(source, time.monotonic()))

    def _emit(self, event: DeviceEvent) -> None:
        deliver, loop = self._deliver, self._loop
        if deliver is None:
            log.debug("no runtime attached; dropping %s", event)
            return
        if loop is None or _running_loop() is loop:
            deliver(event)
            return
        try:
            loop.call_soon_threadsafe(deliver, event)
        except RuntimeError:  # the loop is closed: the runtime has stopped
            log.debug("runtime stopped; dropping %s", event)


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None
