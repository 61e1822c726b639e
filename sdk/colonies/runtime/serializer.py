"""One reconcile at a time per blueprint, with everything that arrives meanwhile coalesced.

The server never de-duplicates reconcile processes (protocol 7.3): a burst of spec changes
queues one process each. While a blueprint is being reconciled, further work for it is
parked here instead of occupying a worker; when the reconcile ends, the whole parked batch
is settled by *one* more level-based reconcile.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class BlueprintSerializer(Generic[T]):
    """Per-key serialisation with batching. Single event loop, so no locks are needed."""

    def __init__(self, on_pending_change: Callable[[int], None] | None = None) -> None:
        self._parked: dict[str, list[T]] = {}
        self._on_pending_change = on_pending_change

    @property
    def pending(self) -> int:
        """Items parked behind an in-flight reconcile."""
        return sum(len(items) for items in self._parked.values())

    def busy(self, key: str) -> bool:
        return key in self._parked

    def take_parked(self, key: str) -> list[T]:
        """Remove and return what is parked behind ``key``'s reconcile, for the caller to
        handle in the batch it is running (a debounce window that takes in later triggers)."""
        taken = self._parked.get(key) or []
        if taken:
            self._parked[key] = []
            self._notify()
        return taken

    async def run(self, key: str, item: T, handle: Callable[[list[T]], Awaitable[None]]) -> bool:
        """Handle ``item`` now, or park it if ``key`` is busy (then return ``False`` at once).

        The caller that finds ``key`` idle keeps handling batches of parked items until none
        are left. ``handle`` must settle every item it gets, even when it fails.
        """
        if key in self._parked:
            self._parked[key].append(item)
            self._notify()
            return False
        self._parked[key] = []
        batch = [item]
        try:
            while batch:
                await handle(batch)
                batch = self._parked[key]
                self._parked[key] = []
                self._notify()
        finally:
            # Normally empty; after a cancellation (shutdown) the parked items are dropped
            # here and handed back to the server with the rest of the unfinished work.
            self._parked.pop(key, None)
            self._notify()
        return True

    def _notify(self) -> None:
        if self._on_pending_change is not None:
            self._on_pending_change(self.pending)
