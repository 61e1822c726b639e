"""What a backend tells the reconciler between reconciles: a device changed, left, came back, or
the hub connection was re-established.

Backends report *observations*; :class:`EventGate` decides which of them are news worth a
reconcile, the same way for every hub:

* a report whose managed settings equal the previous one is not news (the answer to our own
  ``/get``, a ``linkquality`` update, a periodic report);
* a report that arrives while we are commanding that device is the echo of our command, not a
  change someone else made, so it is recorded but not announced;
* a replayed report (an MQTT retained message after a (re)connect) is an observation only: it
  updates what we know, and the ``RECONNECTED`` announcement that follows every re-connection
  has the runtime look at the devices itself (observe first, then whatever the drift policy
  allows), so a stale replay can never command a device by itself;
* availability is announced on transitions only (replayed ones included: they command nothing).

An event names a device, never a state to apply: the reconcile always reads the device again.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from colonies_home.model import BackendKind


class DeviceNews(StrEnum):
    """What happened."""

    CHANGED = "changed"  # its managed settings differ from the last report
    AVAILABLE = "available"  # it is back on the network
    UNAVAILABLE = "unavailable"  # it left the network; send it nothing
    RECONNECTED = "reconnected"  # the broker or hub connection came back: every device may differ


@dataclass(frozen=True)
class BackendEvent:
    """``device`` is empty for ``RECONNECTED``, which concerns every device of ``backend``."""

    news: DeviceNews
    backend: BackendKind
    device: str = ""


BackendListener = Callable[[BackendEvent], None]


class EventGate:
    """Turns one backend's observations into :class:`BackendEvent` announcements."""

    def __init__(self, backend: BackendKind) -> None:
        self._backend = backend
        self._listeners: list[BackendListener] = []
        self._settings: dict[str, Hashable] = {}
        self._online: dict[str, bool] = {}
        self._asking: dict[str, int] = {}
        self._connections = 0

    def listen(self, listener: BackendListener) -> None:
        """Call ``listener`` with every announcement from now on (once per listener)."""
        if listener not in self._listeners:
            self._listeners.append(listener)

    @contextlib.contextmanager
    def awaiting_reply(self, device: str) -> Iterator[None]:
        """Reports of ``device`` within this block answer our own command or ``/get``: the
        reconcile that asked is reading them right now, so they are not news."""
        self._asking[device] = self._asking.get(device, 0) + 1
        try:
            yield
        finally:
            self._asking[device] -= 1
            if not self._asking[device]:
                del self._asking[device]

    def reported(self, device: str, settings: Hashable, *, replayed: bool = False) -> None:
        """``device`` reported ``settings`` (any hashable fingerprint of its managed settings)."""
        previous = self._settings.get(device)
        self._settings[device] = settings
        known = previous is not None
        if known and previous != settings and not replayed and device not in self._asking:
            self._announce(DeviceNews.CHANGED, device)

    def recorded(self, device: str, settings: Hashable | None, *, online: bool = True) -> None:
        """What we read or set ourselves (``settings`` None: nothing readable while offline):
        remembered, so the next report compares with it, and never news."""
        self._online[device] = online
        if settings is not None:
            self._settings[device] = settings

    def availability(self, device: str, online: bool) -> None:
        """``device`` is (still) online or offline. A change is announced even when replayed
        after a re-connection: it only has the runtime look (and a device that came back while
        we were away would otherwise stay "unavailable" for the runtime)."""
        previous = self._online.get(device)
        self._online[device] = online
        if previous is not None and previous != online:
            self._announce(DeviceNews.AVAILABLE if online else DeviceNews.UNAVAILABLE, device)

    def connected(self) -> None:
        """The connection to the hub is (re-)established; every connection after the first is
        announced, since anything may have happened while we were away."""
        self._connections += 1
        if self._connections > 1:
            self.hub_returned()

    def hub_returned(self) -> None:
        """The hub (or the bridge behind it) is back after an outage."""
        self._announce(DeviceNews.RECONNECTED)

    def _announce(self, news: DeviceNews, device: str = "") -> None:
        event = BackendEvent(news, self._backend, device)
        for listener in self._listeners:
            listener(event)
