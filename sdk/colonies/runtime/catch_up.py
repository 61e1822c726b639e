"""Backlog catch-up: converge every changed blueprint of the kind in one pass.

The server queues one process per spec change, never merges them (protocol 7.3) and hands
them out oldest first. After a burst (a scene that touches 200 lights, a GitOps sync, a
runtime that was down for a while) the newest spec of the last blueprint waits behind every
older trigger. When an assigned process shows that it waited in the server's queue for
``catch_up_after`` seconds or more, the runtime lists the kind once and queues each
blueprint whose spec generation is not yet recorded in its status and has not changed
since the previous catch-up's list; the workers reconcile those before they ask the server
for more, and the triggers still queued for them later close as no-ops.

A blueprint whose generation moved between two lists is still being changed (a storm is
running through it): reconciling it now would command the device with a spec that is about
to be replaced, so it waits for a list that finds it quiet, or for its own triggers.

Guarantees: one list call per catch-up, at most one catch-up at a time, and none sooner than
``catch_up_after`` (or ten list durations, for large kinds) after the previous one, times the
number of replicas: each lists the whole kind for its shard's share of it. Catch-up
work takes the place of assigned work, so no more than ``concurrency`` reconciles run at
once. The usual rules hold for every blueprint: one reconcile at a time per blueprint in
this runtime, and the generation re-check before each status write, so a status never goes
back. With replicas, each catches up only the blueprints its shard keeps (``sharding.py``),
so two catch-ups never meet on one blueprint while the replicas agree on the membership.
Caveat: a catch-up can still meet the blueprint's own queued trigger, taken at that moment
by another replica; both read the same spec, so the device gets that command twice at most.

The queue holds the listed blueprints as plain documents, each validated when a worker takes
it: a backlog can be the whole kind, and a model costs about twice its document.
"""

from __future__ import annotations

import logging
import math
import random
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from colonies.models import Blueprint, Process
from colonies.runtime.status import generation_observed

log = logging.getLogger("colonies.runtime")

LIST_DURATIONS_APART = 10
"""A catch-up starts no sooner than this many of the last list call's durations after the
previous one, so a kind of 10,000 blueprints is not listed back to back during a backlog."""


def queue_wait(process: Process) -> float | None:
    """Seconds ``process`` waited in the server's queue before it was assigned (both times
    are the server's), or ``None`` when the server did not say."""
    if process.submission_time is None or process.start_time is None:
        return None
    return (process.start_time - process.submission_time).total_seconds()


def listed_version(document: Mapping[str, Any]) -> tuple[str | None, Any]:
    """``(name, generation)`` of a listed blueprint document, read without a model."""
    metadata = document.get("metadata")
    if not isinstance(metadata, Mapping):
        return None, 0
    name = metadata.get("name")
    return name if isinstance(name, str) else None, metadata.get("generation", 0)


def spec_is_newer(document: Mapping[str, Any]) -> bool:
    """Whether a listed blueprint document has a spec generation its status does not record
    yet; decided on the plain document, so unchanged blueprints never become models."""
    _, generation = listed_version(document)
    status = document.get("status")
    observed = generation_observed(status if isinstance(status, dict) else None)
    return bool(observed != generation)


class CatchUp:
    """Decides when a backlog is worth a catch-up, and keeps the changed blueprints it found
    until the workers take them."""

    def __init__(
        self,
        after: float,
        keep: Callable[[str], bool] = lambda name: True,
        replicas: Callable[[], int] = lambda: 1,
    ) -> None:
        """``keep`` says which blueprints this replica's shard owns: only those are queued;
        ``replicas`` how many replicas share the kind: each lists it that many times less
        often, so together they list it as often as one runtime would."""
        self.after = after
        self.keep = keep
        self.replicas = replicas
        self.queue: deque[dict[str, Any]] = deque()
        self._listing = False
        self._last_start = -math.inf
        self._last_list_seconds = 0.0
        self._listed: dict[str | None, Any] = {}
        self.anchor: datetime | None = None
        """A server time the list is later than (``settled.py``)."""

    @property
    def listed_at(self) -> float:
        """When the queued blueprints were listed (monotonic clock): a list starts only
        once the queue is empty, so the last one to start listed them."""
        return self._last_start

    def due(self, process: Process) -> bool:
        """Whether ``process`` shows a backlog and a catch-up may start now."""
        if self.after <= 0 or self._listing or self.queue:
            return False
        waited = queue_wait(process)
        if waited is None or waited < self.after:
            return False
        spacing = max(self.after, LIST_DURATIONS_APART * self._last_list_seconds)
        return time.monotonic() - self._last_start >= spacing * max(1, self.replicas())

    async def start(
        self,
        list_changed: Callable[[], Awaitable[list[dict[str, Any]]]],
        anchor: datetime | None = None,
    ) -> int:
        """Queue the changed blueprint documents ``list_changed`` finds (one list call) that
        this shard keeps and the previous list found at the same generation, in random
        order; returns how many. ``anchor``: the start time of the process that showed the
        backlog, which the list is later than."""
        self._listing = True
        self._last_start = time.monotonic()
        try:
            changed = await list_changed()
        finally:
            self._listing = False
            self._last_list_seconds = time.monotonic() - self._last_start
        kept = [
            (document, version)
            for document in changed
            if self.keep((version := listed_version(document))[0] or "")
        ]
        quiet = [document for document, version in kept if self._quiet(*version)]
        self._listed = dict(version for _, version in kept)
        random.shuffle(quiet)
        self.queue.extend(quiet)
        self.anchor = anchor
        log.info(
            "catching up: %d blueprint(s) with a spec newer than their status, %d of them "
            "unchanged since the last catch-up",
            len(changed),
            len(quiet),
        )
        return len(quiet)

    def _quiet(self, name: str | None, generation: Any) -> bool:
        """Whether the previous list found blueprint ``name`` at ``generation`` too (a
        document without a name never is: it is no blueprint)."""
        return name is not None and name in self._listed and bool(self._listed[name] == generation)

    def next(self) -> Blueprint | None:
        """The next changed blueprint to reconcile, if any is left; a document that is no
        blueprint is skipped with a warning."""
        while self.queue:
            try:
                return Blueprint.model_validate(self.queue.popleft())
            except ValidationError as error:
                log.warning("catch-up skips an unreadable listed blueprint: %s", error)
        return None
