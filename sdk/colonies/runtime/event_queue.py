"""From device events and the runtime's own timers to keyed reconciles, outside the server.

A device event does not become a ColonyOS process: it is queued here under the blueprint's
name and reconciled by this runtime, through the same per-blueprint serialiser as the
server's triggers. As in client-go's workqueue, a name is at most once *dirty* (waiting) and
once *processing*: an event for a name already waiting is coalesced into it, one arriving
while the name is being reconciled makes exactly one more reconcile afterwards. However
large the burst, each blueprint gets one reconcile running and one waiting, and at most
``concurrency`` event reconciles run at once (beside the workers' assigned processes).

The queue also keeps, per blueprint, the one timer that says when to look again: the
shortest of a ``requeue_after`` the reconcile asked for, the end of a ``hold`` and the
reconciler's ``observe_interval``. Each reconcile of the blueprint replaces it (kopf's timer:
every run pushes the next one back). Timers, availability and queued events live in memory
only: after a restart the server's 60 s resync is what looks at every blueprint again.

Only blueprints this replica's shard keeps (``sharding.py``) are queued or timed, and the
membership refreshes also queue the blueprints new to this replica's shard
(``shard_entry.py``).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import random
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from colonies.runtime.events import EventSink
from colonies.runtime.metrics import RuntimeMetrics
from colonies.runtime.shard_entry import ShardEntry, Version, document_name
from colonies.runtime.sharding import Shards
from colonies.runtime.triggers import (
    SHARD_ENTRY,
    AvailabilityChanged,
    BlueprintEvent,
    DeviceChanged,
    DeviceEvent,
    Reconnected,
    Requeued,
)

log = logging.getLogger("colonies.runtime")

React = Callable[[BlueprintEvent], Awaitable[None]]
ListDocuments = Callable[[], Awaitable[list[dict[str, Any]]]]


def event_label(event: DeviceEvent) -> str:
    """The ``event`` metric label: what happened, apart from who said so (``source``)."""
    if isinstance(event, AvailabilityChanged):
        return "available" if event.available else "unavailable"
    if isinstance(event, Reconnected):
        return "reconnected"
    if isinstance(event, Requeued):
        return event.source
    return "changed"


class EventQueue:
    """Device events, availability and look-again timers for one runtime."""

    def __init__(
        self, metrics: RuntimeMetrics, observe_interval: float | None, concurrency: int
    ) -> None:
        self.metrics = metrics
        self.observe_interval = observe_interval
        self.shards: Shards | None = None
        self._slots = asyncio.Semaphore(concurrency)
        self._away: dict[str, str] = {}
        self._dirty: dict[str, BlueprintEvent] = {}
        self._processing: set[str] = set()
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._entry = ShardEntry()
        self._react: React | None = None
        self._list_documents: ListDocuments | None = None
        self._membership: asyncio.Task[None] | None = None
        self._stopped = False

    def sink(self, loop: asyncio.AbstractEventLoop) -> EventSink:
        """The sink a reconciler's listeners call, delivering onto ``loop``."""
        return EventSink(self.deliver, loop)

    # -- lifecycle ---------------------------------------------------------------------

    async def start(self, react: React, list_documents: ListDocuments, shards: Shards) -> None:
        """Start reconciling: what arrived during start-up is queued now, under the shard
        membership just read. ``list_documents`` lists the kind's blueprints this runtime
        serves (one call)."""
        self.shards = shards
        await shards.join()
        self._react, self._list_documents = react, list_documents
        early, self._dirty = self._dirty, {}
        for event in early.values():
            self._enqueue(event)
        self._membership = asyncio.create_task(
            self._keep_membership(shards), name="shard-membership"
        )

    def close(self) -> None:
        """Take no more work, at once: new events, waiting events, timers and the
        membership loop (with its shard-entry pass) are dropped. Idempotent."""
        self._stopped = True
        if self._membership is not None:
            self._membership.cancel()
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()
        self._dirty.clear()

    async def stop(self, grace: float) -> None:
        """:meth:`close`, then let event reconciles in flight finish within ``grace``
        seconds and cancel the rest."""
        self.close()
        tasks = set(self._tasks)
        if not tasks:
            return
        _, unfinished = await asyncio.wait(tasks, timeout=grace)
        for task in unfinished:
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*unfinished, return_exceptions=True)

    @property
    def pending(self) -> int:
        """Blueprints with an event waiting or being reconciled."""
        return len(self._dirty) + len(self._processing)

    # -- what the engine asks ----------------------------------------------------------

    def away(self, name: str) -> str | None:
        """The source that said the device of ``name`` is unavailable, while it is."""
        return self._away.get(name)

    def looked_at(
        self,
        name: str,
        requeue_after: float | None,
        *,
        exists: bool,
        seen: Version | None = None,
    ) -> None:
        """A reconcile (or cleanup) of ``name`` ended: replace its timer with the next look,
        if any. ``seen`` is the version it looked at (``None`` when it closed without one)."""
        timer = self._timers.pop(name, None)
        if timer is not None:
            timer.cancel()
        if not exists:
            self._away.pop(name, None)
            self._entry.forget(name)
            return
        if self._stopped or not self._keeps(name):
            return
        if seen is not None:
            self._entry.reconciled(name, seen)
        interval = self.observe_interval
        if requeue_after is not None and (interval is None or requeue_after <= interval):
            self._start_timer(name, requeue_after, "requeue")
        elif interval is not None:
            self._start_timer(name, interval, "poll")

    # -- intake ------------------------------------------------------------------------

    def deliver(self, event: DeviceEvent) -> None:
        """Take one event (on the event loop's thread)."""
        if self._stopped:
            return
        self.metrics.device_event(event.source, event_label(event))
        if isinstance(event, Reconnected):
            log.info(
                "%s reconnected: reconciling every blueprint this replica handles", event.source
            )
            self._spawn(self._reconcile_all(event))
            return
        if isinstance(event, AvailabilityChanged):
            if event.available:
                if self._away.pop(event.name, None) is not None:
                    log.info("device of %s is back (%s)", event.name, event.source)
            else:
                if event.name not in self._away:
                    log.info("device of %s is unavailable (%s)", event.name, event.source)
                self._away[event.name] = event.source
        self._enqueue(event)

    def _keeps(self, name: str) -> bool:
        return self.shards is None or self.shards.keep(name)

    def _enqueue(self, event: BlueprintEvent) -> None:
        name = event.name
        if self._stopped:  # e.g. a reconnect's list that returned after stop
            return
        if self._react is None:  # before start: kept until the shard is known
            self._dirty.setdefault(name, event)
            return
        if not self._keeps(name):
            log.debug("event for %s left to the replica that owns it", name)
            return
        if name in self._dirty:
            self.metrics.event_coalesced()
            return  # the waiting event keeps the earliest time, for drift latency
        self._dirty[name] = event
        if name not in self._processing:
            self._spawn(self._process(name))

    async def _process(self, name: str) -> None:
        """Reconcile ``name`` until no event for it is waiting (one running, one waiting)."""
        react = self._react
        assert react is not None
        async with self._slots:
            while not self._stopped and (event := self._dirty.pop(name, None)) is not None:
                self._processing.add(name)
                try:
                    await react(event)
                except Exception:
                    log.exception("event reconcile of %s failed unexpectedly", name)
                finally:
                    self._processing.discard(name)

    def _start_timer(self, name: str, delay: float, source: str) -> None:
        loop = asyncio.get_running_loop()
        self._timers[name] = loop.call_later(delay, self._fire, name, source)

    def _fire(self, name: str, source: str) -> None:
        self._timers.pop(name, None)
        self.deliver(Requeued(name, source, time.monotonic()))

    async def _reconcile_all(self, event: Reconnected) -> None:
        for name in _names(await self._documents() or []):
            self._enqueue(DeviceChanged(name, event.source, event.received))

    def _schedule_polls(self, names: list[str]) -> None:
        """First polls for the blueprints this replica keeps and has no timer for, spread
        over one interval so a restart is not a burst."""
        interval = self.observe_interval
        if interval is None:
            return
        for name in names:
            if name not in self._timers and self._keeps(name) and not self._stopped:
                self._start_timer(name, random.uniform(0, interval), "poll")

    def _enter(self, documents: list[dict[str, Any]]) -> None:
        """Observe the blueprints new to this replica's shard (see ``shard_entry.py``)."""
        due = [
            name
            for name in self._entry.due(documents, self._keeps)
            if name not in self._dirty and name not in self._processing
        ]
        if not due:
            return
        log.info("observing %d blueprint(s) new to this replica's shard", len(due))
        listed = {document_name(document): document for document in documents}
        now = time.monotonic()
        for name in due:
            self.deliver(Requeued(name, SHARD_ENTRY, now, listed[name]))

    async def _documents(self) -> list[dict[str, Any]] | None:
        """The kind's blueprints this runtime serves, or ``None`` when the list failed."""
        if self._list_documents is None:
            return None
        try:
            return await self._list_documents()
        except Exception as error:
            log.warning("could not list blueprints: %s (the server's resync will do)", error)
            return None

    async def _keep_membership(self, shards: Shards) -> None:
        """Re-read the membership every ``shards.period`` seconds, listing the kind at most
        once a round: for the first polls (at start and after a change, with
        ``observe_interval``) and for the blueprints new to this shard (every round with
        more than one replica; alone, only after a change; see ``shard_entry.py``)."""
        first, changed = True, len(shards.members) > 1
        while not self._stopped:
            if changed:
                self._entry.keep_only(self._keeps)
            entering = changed or len(shards.members) > 1
            polls = self.observe_interval is not None and (first or changed)
            if entering or polls:
                documents = await self._documents()
                if documents is not None and polls:
                    self._schedule_polls(_names(documents))
                if documents is not None and entering:
                    self._enter(documents)
            first = False
            # Until a read lists this replica, its status writes wait (``writers.py``):
            # look again soon rather than a whole period later.
            await asyncio.sleep(shards.period if shards.writers.heard else min(shards.period, 0.2))
            changed = await shards.refresh()

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        """Run ``work`` in a fresh context: an echo emitted inside a worker's ``apply`` must
        not carry that worker's log context (its process id) or liveness loop along."""
        task = asyncio.get_running_loop().create_task(work, context=contextvars.Context())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


def _names(documents: list[dict[str, Any]]) -> list[str]:
    return [name for document in documents if (name := document_name(document)) is not None]
