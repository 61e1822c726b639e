"""Writing a reconcile's status: only when it changed, and never over a newer result.

A slow reconcile, or one that worked from a list, may hold an older version than the one
stored by now, so before writing, the blueprint is read again and the write is dropped when
the stored status records a newer generation. The read is saved when nothing newer can be
stored: the blueprint was read (or listed) while this runtime was the only writer of the
kind (``writers.py``), and this runtime has not written its status since (``settled.py``).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from colonies.client import AsyncColoniesClient
from colonies.errors import NotFoundError
from colonies.models import Blueprint
from colonies.runtime.link import ServerLink
from colonies.runtime.metrics import RuntimeMetrics
from colonies.runtime.settled import Settled
from colonies.runtime.status import (
    Outcome,
    build_status,
    generation_observed,
    needs_write,
    stamp,
)
from colonies.runtime.writers import WriterGuard

log = logging.getLogger("colonies.runtime")


class StatusRecorder:
    """Writes the statuses of one kind's reconciles in one colony."""

    def __init__(
        self,
        client: AsyncColoniesClient,
        colony: str,
        link: ServerLink,
        metrics: RuntimeMetrics,
        read: Callable[[str], Awaitable[Blueprint | None]],
        writers: WriterGuard | None,
        settled: Settled,
    ) -> None:
        """``read`` reads a blueprint by name (``None``: it does not exist)."""
        self.client = client
        self.colony = colony
        self.link = link
        self.metrics = metrics
        self.read = read
        self.writers = writers
        self.settled = settled

    async def record(self, blueprint: Blueprint, outcome: Outcome, read_at: float | None) -> bool:
        """Write the status of ``outcome`` for ``blueprint`` (read, or listed, at
        ``read_at``) if it changed and no newer result is stored; whether it wrote."""
        now = datetime.now(UTC)
        status = build_status(outcome, blueprint.status, now)
        if not needs_write(status, blueprint.status):
            return False
        name = blueprint.metadata.name
        if self.writers is not None:
            await self.writers.wait_joined()
        if (
            read_at is not None
            and self.writers is not None
            and self.writers.sole_writer(read_at)
            and not self.settled.written_since(name, read_at)
        ):
            current: Blueprint | None = blueprint
        else:
            current = await self.read(name)
        if current is None:
            log.info("not writing status: the blueprint was removed meanwhile")
            return False
        stored = generation_observed(current.status)
        if stored is not None and stored > outcome.generation:
            log.info("not writing status: generation %d already recorded", stored)
            return False
        if not needs_write(status, current.status):
            return False
        try:
            await self.link.persist(
                "update blueprint status",
                lambda: self.client.update_blueprint_status(self.colony, name, stamp(status, now)),
            )
        except NotFoundError:
            log.info("not writing status: the blueprint was removed meanwhile")
            return False
        self.metrics.status_written()
        return True
