"""Trailing debounce per blueprint: a burst of spec changes becomes one reconcile.

A scene that sets a lamp five times in a row queues five reconcile processes (the server
never merges them, protocol 7.3). Reconciling on the first one commands the device with
a spec that is already being replaced, and the last one commands it again. Here a
targeted trigger waits ``delay`` seconds; each further trigger for the same blueprint
inside that window joins it and restarts the window (as kube-rs' scheduler does), so the
whole burst is settled by one reconcile of the newest spec.

Caveat (kube-rs warns the same): a blueprint changed more often than every ``delay``
seconds would never be reconciled, so the wait is capped at ``max_delay`` after the first
trigger of the burst. Every trigger costs at least ``delay`` of latency; 0 turns the
debounce off. Waiting triggers do not occupy a worker: the worker goes back to assign, up
to ``limit`` waiting triggers, so the runtime drains the server's queue into the windows.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass
class _Window(Generic[T]):
    """The triggers of one blueprint waiting for the end of its burst."""

    first: float
    items: list[T] = field(default_factory=list)
    timer: asyncio.TimerHandle | None = None


class Debouncer(Generic[T]):
    """Collects items per key and releases each key's items together once the key has been
    quiet for ``delay`` seconds, or ``max_delay`` seconds after its first item."""

    def __init__(
        self,
        delay: float,
        max_delay: float,
        limit: int,
        release: Callable[[str, list[T]], Coroutine[Any, Any, None]],
    ) -> None:
        self.delay = delay
        self.max_delay = max(max_delay, delay)
        self.limit = limit
        self._release = release
        self._windows: dict[str, _Window[T]] = {}
        self._waiting = 0
        self._space = asyncio.Event()
        self._releasing: set[asyncio.Task[None]] = set()

    @property
    def waiting(self) -> int:
        """Items held in windows that have not ended yet."""
        return self._waiting

    async def add(self, key: str, item: T) -> None:
        """Hold ``item`` in ``key``'s window; returns at once unless ``limit`` items wait."""
        while self._waiting >= self.limit:
            self._space.clear()
            await self._space.wait()
        loop = asyncio.get_running_loop()
        now = loop.time()
        window = self._windows.setdefault(key, _Window(first=now))
        window.items.append(item)
        self._waiting += 1
        if window.timer is not None:
            window.timer.cancel()
        due = min(now + self.delay, window.first + self.max_delay)
        window.timer = loop.call_at(due, self._end, key)

    def _end(self, key: str) -> None:
        window = self._windows.pop(key)
        self._waiting -= len(window.items)
        self._space.set()
        task = asyncio.create_task(self._release(key, window.items))
        self._releasing.add(task)
        task.add_done_callback(self._releasing.discard)

    async def flush(self) -> None:
        """End every window now and wait until all released items are handled (shutdown)."""
        for key, window in list(self._windows.items()):
            if window.timer is not None:
                window.timer.cancel()
            self._end(key)
        while self._releasing:
            await asyncio.gather(*self._releasing)

    def cancel(self) -> None:
        """Drop every window and cancel the handling of released ones (their items are the
        caller's to hand back)."""
        for window in self._windows.values():
            if window.timer is not None:
                window.timer.cancel()
        self._windows.clear()
        self._waiting = 0
        for task in self._releasing:
            task.cancel()
