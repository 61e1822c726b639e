"""Trailing debounce per blueprint: a burst of spec changes becomes one reconcile.

A scene that sets a lamp five times in a row queues five reconcile processes (the server
never merges them, protocol 7.3). Reconciling on the first one commands the device with
a spec that is already being replaced, and the last one commands it again. So the
reconcile of a targeted trigger starts ``delay`` seconds after its change; the triggers
of the same blueprint that arrive meanwhile park behind it (``serializer.py``), join it
and push its start to ``delay`` after *their* change (a trailing window, as kube-rs'
scheduler has), so the burst is settled by one reconcile of the newest spec.

The window is measured from the change, not from the trigger's arrival: the time the
process spent in the server's queue counts (kopf's batch window, 0.1 s by default, is
likewise measured from the event). A runtime that keeps up waits up to ``delay`` after a
change; a trigger that already waited that long in a backlog runs at once, because the
queue has done the batching and the reconcile reads the newest spec anyway. The worker
stays with its blueprint while it waits, so a runtime never takes more work than its
workers can run (another replica takes the rest), and stopping ends every window at once.

Caveat (kube-rs warns the same): a blueprint changed more often than every ``delay``
seconds would never be reconciled, so the wait is capped at ``max_delay`` after the
burst's first change. Forced reconciles, cleanups, device events and resyncs never wait;
``delay`` 0 turns the debounce off.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Debounce:
    """When a burst's reconcile may start. Times are the event loop's clock."""

    delay: float
    max_delay: float

    def due(self, changes: Iterable[float]) -> float:
        """The start for a burst of changes made at ``changes``: ``delay`` after the newest,
        at most ``max_delay`` after the first."""
        made = list(changes)
        return min(max(made) + self.delay, min(made) + max(self.max_delay, self.delay))
