"""From an assigned process to a settled one: route the trigger, serialise per blueprint,
coalesce, and close or fail the process with what happened.

Every process assigned to this runtime is *held* until it is closed or failed; whatever is
still held at shutdown is handed back to the server (see ``Runtime.stop``).
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from colonies.client import AsyncColoniesClient
from colonies.errors import ColoniesError
from colonies.models import Blueprint, Process
from colonies.runtime import metrics as results
from colonies.runtime.catch_up import CatchUp, queue_wait, spec_is_newer
from colonies.runtime.debounce import Debounce
from colonies.runtime.engine import Engine, Report
from colonies.runtime.link import ServerLink, sleep_unless
from colonies.runtime.logs import log_context
from colonies.runtime.metrics import RuntimeMetrics
from colonies.runtime.serializer import BlueprintSerializer
from colonies.runtime.shard_entry import Version, version_of
from colonies.runtime.triggers import (
    BlueprintEvent,
    Cleanup,
    Resync,
    Targeted,
    classify,
    shard_entry,
)

log = logging.getLogger("colonies.runtime")


@dataclass
class Work:
    """One request to reconcile or clean up a blueprint, settled with its batch's report.

    ``process`` is closed or failed; ``done`` (a resync waiting for this blueprint)
    resolved; ``event`` is the device event that asked for it; ``changed`` (event loop
    clock) is when the spec change behind a debounced trigger was made; ``anchor`` a server
    time its read is later than, and ``listed_at`` when its ``snapshot`` was listed
    (``settled.py``).
    """

    name: str
    cleanup: bool = False
    process: Process | None = None
    force: bool = False
    changed: float | None = None
    snapshot: Blueprint | None = None
    done: asyncio.Future[Report] | None = field(default=None, repr=False)
    event: BlueprintEvent | None = None
    anchor: datetime | None = None
    listed_at: float | None = None


def listed_blueprints(
    documents: list[dict[str, Any]], *, unlocated_only: bool
) -> Iterator[Blueprint | ValidationError]:
    """The listed documents in order, each validated only when its turn comes and released
    from ``documents`` as it is handed out, so a resync holds one model at a time.

    ``unlocated_only`` skips blueprints with a location (a resync without one is for those
    alone); a document that is no blueprint yields its validation error.
    """
    documents.reverse()
    while documents:
        try:
            blueprint = Blueprint.model_validate(documents.pop())
        except ValidationError as error:
            yield error
            continue
        if not (unlocated_only and blueprint.metadata.location_name):
            yield blueprint


def located(document: dict[str, Any]) -> bool:
    """Whether a listed blueprint document has a location (read without a model)."""
    metadata = document.get("metadata")
    return isinstance(metadata, dict) and bool(metadata.get("locationname"))


@dataclass
class ResyncTally:
    """A resync's outcomes, counted as they come instead of keeping every report."""

    total: int = 0
    changed: int = 0
    failed: int = 0

    def add(self, report: Report) -> None:
        self.total += 1
        self.changed += bool(report.change_lines)
        self.failed += report.error is not None

    def summary(self, kind: str) -> str:
        in_sync = self.total - self.changed - self.failed
        return (
            f"resync of {self.total} {kind} blueprint(s): {self.changed} changed, "
            f"{self.failed} failed, {in_sync} in sync"
        )


class ProcessHandler:
    """Handles each assigned process of one kind to the end."""

    def __init__(
        self,
        engine: Engine,
        client: AsyncColoniesClient,
        colony: str,
        link: ServerLink,
        metrics: RuntimeMetrics,
        on_pending_change: Callable[[int], None] | None = None,
        catch_up_after: float = 0.0,
        debounce: tuple[float, float] = (0.0, 0.0),
        keep: Callable[[str], bool] = lambda name: True,
        replicas: Callable[[], int] = lambda: 1,
    ) -> None:
        """``debounce`` is (delay, max_delay), see :mod:`colonies.runtime.debounce`;
        ``keep`` and ``replicas`` describe this replica's shard (``sharding.py``) to the
        catch-up (``catch_up.py``)."""
        self.engine = engine
        self.client = client
        self.colony = colony
        self.kind = engine.kind
        self.link = link
        self.metrics = metrics
        self.held: dict[str, Process] = {}
        self._settling: set[asyncio.Future[list[None]]] = set()
        self.serializer: BlueprintSerializer[Work] = BlueprintSerializer(on_pending_change)
        self.catch_up = CatchUp(catch_up_after, keep, replicas)
        self.debounce = Debounce(*debounce)
        self._stopping = False
        self._windows: dict[str, asyncio.Event] = {}

    async def handle(self, process: Process) -> None:
        """Run what ``process`` asks for and settle it; never raises for a single bad process."""
        self.held[process.process_id] = process
        trigger = classify(process, self.kind)
        name = trigger.name if isinstance(trigger, Targeted | Cleanup) else None
        with log_context(kind=self.kind, blueprint=name, process_id=process.process_id):
            if isinstance(trigger, Targeted):
                self.metrics.process("targeted")
                # the change is as old as its process: the server queued it then
                age = max(queue_wait(process) or 0.0, 0.0)
                changed = None if trigger.force else asyncio.get_running_loop().time() - age
                settled = self.engine.settled
                answered = (
                    None
                    if trigger.force
                    else settled.answered(trigger.name, process.submission_time)
                )
                if answered is not None:
                    self._answered(process, answered)
                else:
                    work = Work(
                        trigger.name,
                        process=process,
                        force=trigger.force,
                        changed=changed,
                        anchor=process.start_time,
                    )
                    await self._serialize(work)
                if self.catch_up.due(process):
                    await self._catch_up(process)
            elif isinstance(trigger, Cleanup):
                self.metrics.process("cleanup")
                work = Work(trigger.name, cleanup=True, process=process)
                await self._serialize(work)
            elif isinstance(trigger, Resync):
                self.metrics.process("resync")
                await self._resync(process, trigger)
            else:
                self.metrics.process("unsupported")
                log.warning("rejecting process: %s", trigger.reason)
                await self.finish(process, Report(results.RESULT_ERROR, "", error=trigger.reason))

    async def _resync(self, process: Process, trigger: Resync) -> None:
        """Reconcile every blueprint of the kind at the trigger's location, one at a time.

        10,000 blueprints are one list reply: it is kept as plain documents, each becomes a
        model only in its turn, and only the outcomes are counted, so the resync's memory
        is about the size of the decoded list.
        """
        listed_at = time.monotonic()
        try:
            documents = await self._list(trigger.location)
        except ColoniesError as error:
            await self.finish(process, Report(results.RESULT_ERROR, "", error=error.message))
            return
        loop = asyncio.get_running_loop()
        tally = ResyncTally()
        parked: list[asyncio.Future[Report]] = []
        unlocated_only = trigger.location is None
        for blueprint in listed_blueprints(documents, unlocated_only=unlocated_only):
            if isinstance(blueprint, ValidationError):
                log.warning("skipping an unreadable listed blueprint: %s", blueprint)
                reason = f"unreadable blueprint in the list: {blueprint}"
                tally.add(Report(results.RESULT_ERROR, "", error=reason))
                continue
            done: asyncio.Future[Report] = loop.create_future()
            name = blueprint.metadata.name
            with log_context(blueprint=name):
                work = Work(name, snapshot=blueprint, done=done, listed_at=listed_at)
                await self._serialize(work)
            if done.done():
                tally.add(done.result())
            else:  # parked behind a reconcile in flight; settled with that batch
                parked.append(done)
        for report in await asyncio.gather(*parked):
            tally.add(report)
        summary = tally.summary(self.kind)
        log.info(summary)
        await self.finish(process, Report(results.RESULT_SUCCESS, summary))

    async def _list(self, location: str | None, *, patient: bool = True) -> list[dict[str, Any]]:
        """The kind's blueprints at ``location`` as plain documents (one list call); with
        ``patient`` the call waits out an unreachable server, otherwise it is tried once."""
        attempt = self.link.persist if patient else self.link.call
        return await attempt(
            "list blueprints",
            lambda: self.client.get_blueprint_documents(self.colony, self.kind, location),
        )

    def _answered(self, process: Process, version: Version) -> None:
        """Close a trigger whose change this runtime already converged from a later read."""
        message = f"generation {version[1]} already reconciled, from a read after this change"
        self.metrics.reconciled(results.RESULT_NOOP, 0.0)
        self._settle([process], Report(results.RESULT_NOOP, message, coalesced=True))

    async def _catch_up(self, process: Process) -> None:
        """Queue the blueprints at ``process``'s location whose spec is newer than their
        status. An optional speed-up: when the list fails, the queued triggers do the work."""
        location = process.spec.conditions.location_name or None

        async def list_changed() -> list[dict[str, Any]]:
            return [
                document
                for document in await self._list(location, patient=False)
                if spec_is_newer(document) and not (location is None and located(document))
            ]

        try:
            await self.catch_up.start(list_changed, process.start_time)
        except ColoniesError as error:
            log.warning("catch-up failed: %s", error.message)
            return
        self.metrics.caught_up()

    async def react(self, event: BlueprintEvent) -> None:
        """Reconcile the blueprint a device event names, in turn with its processes."""
        with log_context(kind=self.kind, blueprint=event.name):
            work = Work(event.name, event=event)
            await self._serialize(work)

    async def blueprint_documents(self, location: str | None) -> list[dict[str, Any]]:
        """The kind's blueprints this runtime serves, as plain documents (one list call)."""
        documents = await self._list(location)
        if location is not None:
            return documents
        return [document for document in documents if not located(document)]

    def local_work(self) -> Awaitable[None] | None:
        """The next reconcile a catch-up found, for a free worker to run before it asks the
        server for a process; ``None`` when there is none. A blueprint that is being
        reconciled right now is left to that reconcile and to its own queued triggers."""
        while (blueprint := self.catch_up.next()) is not None:
            name = blueprint.metadata.name
            busy = self.serializer.busy(name)
            if not busy and not self.engine.settled.supersedes(name, version_of(blueprint)):
                anchor, listed_at = self.catch_up.anchor, self.catch_up.listed_at
                return self._reconcile_listed(
                    Work(name, snapshot=blueprint, anchor=anchor, listed_at=listed_at)
                )
        return None

    async def _reconcile_listed(self, listed: Work) -> None:
        with log_context(kind=self.kind, blueprint=listed.name):
            await self._serialize(listed)

    async def _serialize(self, work: Work) -> None:
        """Run ``work`` through the per-blueprint serialiser; work parked behind a debounce
        window wakes it, so the window can take it in (or end, if it may not wait)."""
        if not await self.serializer.run(work.name, work, self._run_batch):
            woken = self._windows.get(work.name)
            if woken is not None:
                woken.set()

    async def _after_the_burst(self, batch: list[Work]) -> list[Work]:
        """``batch`` once its debounce window has ended, with the work for its blueprint
        that arrived meanwhile; at once when any item may not wait (a forced reconcile,
        a cleanup, a device event, a resync), or on stop."""
        if self.debounce.delay <= 0:
            return batch
        loop = asyncio.get_running_loop()
        name = batch[0].name
        woken = self._windows[name] = asyncio.Event()
        try:
            while not self._stopping:
                changes = [work.changed for work in batch if work.changed is not None]
                due = self.debounce.due(changes) if len(changes) == len(batch) else 0.0
                if due <= loop.time():
                    break
                await sleep_unless(woken, due - loop.time())
                woken.clear()
                batch = batch + self.serializer.take_parked(name)
        finally:
            del self._windows[name]
        return batch

    def stop_waiting(self) -> None:
        """End every debounce window now: a stopping runtime reconciles what it holds."""
        self._stopping = True
        for woken in self._windows.values():
            woken.set()

    async def _run_batch(self, batch: list[Work]) -> None:
        """Settle a batch with as few reconciles as possible: consecutive reconcile requests
        share one level-based reconcile; cleanups run in their place in the order."""
        batch = await self._after_the_burst(batch)
        for is_cleanup, run in itertools.groupby(batch, key=lambda work: work.cleanup):
            group = list(run)
            name = group[0].name
            try:
                if is_cleanup:
                    report = await self.engine.cleanup(name)
                else:
                    snapshot = group[0].snapshot if len(group) == 1 else None
                    if snapshot is not None and self.engine.settled.read_newer(
                        name, version_of(snapshot)
                    ):
                        snapshot = None  # listed before a newer read: read it again
                    # a shard-entry look applies nothing from its list: batched with more,
                    # the reconcile the others need looks too
                    events = [work.event for work in group if work.event is not None]
                    if len(group) > 1:
                        events = [event for event in events if shard_entry(event) is None]
                    cause = min(events, key=lambda event: event.received, default=None)
                    coalesce = cause is None and not any(
                        work.force or work.done is not None for work in group
                    )
                    anchors = [work.anchor for work in group if work.anchor is not None]
                    report = await self.engine.reconcile(
                        name,
                        snapshot=snapshot,
                        coalesce=coalesce,
                        cause=cause,
                        anchor=max(anchors, default=None),
                        listed_at=group[0].listed_at if snapshot is not None else None,
                    )
            except Exception as error:
                log.exception("reconcile of %s failed unexpectedly", name)
                report = Report(results.RESULT_ERROR, "", error=f"runtime error: {error}")
            for work in group:
                if work.done is not None and not work.done.done():
                    work.done.set_result(report)
            processes = [work.process for work in group if work.process is not None]
            self._settle(processes, report)

    def _settle(self, processes: list[Process], report: Report) -> None:
        """Close ``processes`` in the background: the status is already written, so the
        worker takes its next process instead of waiting for another round trip."""
        if processes:
            settling = asyncio.gather(*(self.finish(process, report) for process in processes))
            self._settling.add(settling)
            settling.add_done_callback(self._settling.discard)

    async def settled(self) -> None:
        """Wait until every process handed to the background is closed or failed.
        Cancelling this cancels those closes; their processes stay held (and are handed
        back), since whether the close landed is unknown."""
        while self._settling:
            await asyncio.gather(*self._settling)

    async def finish(self, process: Process, report: Report) -> None:
        """Close the process with the summary and one entry per change, or fail it.

        The changes travel in the close's output rather than in a process-log call, so a
        reconcile costs the server one write less and its record still says what changed.
        """
        process_id = process.process_id
        try:
            if report.error is not None:
                errors = [report.error]
                await self.link.persist(
                    "fail process", lambda: self.client.fail_process(process_id, errors)
                )
            else:
                output = [report.summary, *report.change_lines]
                await self.link.persist(
                    "close process", lambda: self.client.close_process(process_id, output)
                )
        except ColoniesError as error:
            log.warning("could not settle process %s: %s", process_id, error.message)
        self.held.pop(process_id, None)
