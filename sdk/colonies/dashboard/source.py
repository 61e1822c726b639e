"""Reads what the dashboard shows from a ColonyOS server through the async client.

Read-only except :meth:`ClientSource.force_reconcile`, which the app routes to only when
actions were enabled. The client is created lazily by the caller's factory and owned by the
caller, so a reconciler can share its own client with a mounted dashboard."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime

from colonies.client import AsyncColoniesClient
from colonies.dashboard.views import (
    Detail,
    Overview,
    ProcessView,
    blueprint_view,
    group_blueprints,
    history_views,
    process_view,
)
from colonies.errors import NotFoundError, ServerError
from colonies.models import Blueprint, Log, Process, ProcessState

_MAX_PROCESSES_PER_STATE = 100  # the server's limit per getprocessesmsg call
_OLDEST = datetime.min.replace(tzinfo=UTC)


class ClientSource:
    """The data behind every page, fetched fresh on each request (level-based, like the runtime)."""

    def __init__(
        self,
        client_factory: Callable[[], AsyncColoniesClient],
        colony_name: str,
        *,
        history_limit: int = 20,
        process_limit: int = 10,
        log_limit: int = 50,
    ) -> None:
        self._client_factory = client_factory
        self._client: AsyncColoniesClient | None = None
        self._colony = colony_name
        self._history_limit = history_limit
        self._process_limit = process_limit
        self._log_limit = log_limit

    @property
    def client(self) -> AsyncColoniesClient:
        if self._client is None:
            self._client = self._client_factory()
        return self._client

    async def overview(self) -> Overview:
        blueprints = await self.client.get_blueprints(self._colony)
        return Overview(self._colony, group_blueprints(blueprint_view(b) for b in blueprints))

    async def detail(self, name: str) -> Detail:
        blueprint = await self.client.get_blueprint(self._colony, name)
        history, processes = await asyncio.gather(
            self.client.get_blueprint_history(blueprint.blueprint_id, limit=self._history_limit),
            self._recent_processes(blueprint),
        )
        return Detail(self._colony, blueprint_view(blueprint), history_views(history), processes)

    async def force_reconcile(self, name: str) -> None:
        """Ask the server for a forced reconcile: a new generation, so the reconciler re-observes
        the device instead of coalescing the request away."""
        await self.client.reconcile_blueprint(self._colony, name, force=True)

    async def _recent_processes(self, blueprint: Blueprint) -> list[ProcessView]:
        """Processes whose ``kwargs.blueprintName`` is this blueprint, newest first, with logs.

        Cron resyncs name only the kind, so they are not attributed to one blueprint."""
        processes = await self.client.get_processes(
            self._colony,
            state=ProcessState.ALL,
            count=_MAX_PROCESSES_PER_STATE,
            executor_type=await self._executor_type(blueprint.kind),
        )
        name = blueprint.metadata.name
        mine = [p for p in processes if p.spec.kwargs.get("blueprintName") == name]
        mine.sort(key=_submitted, reverse=True)
        recent = mine[: self._process_limit]
        logs = await asyncio.gather(*(self._logs(p.process_id) for p in recent))
        return [process_view(p, log) for p, log in zip(recent, logs, strict=True)]

    async def _logs(self, process_id: str) -> list[Log]:
        """The newest log lines; none when the process was removed since it was listed."""
        try:
            return await self.client.get_logs(
                self._colony, process_id=process_id, count=self._log_limit, latest=True
            )
        except (NotFoundError, ServerError):
            return []

    async def _executor_type(self, kind: str) -> str:
        """The handler's executor type for ``kind``, to narrow the process listing; ``""``
        (no filter) when the definition has no handler."""
        for definition in await self.client.get_blueprint_definitions(self._colony):
            handler = definition.spec.handler
            if definition.spec.names.kind == kind and handler and handler.executor_type:
                return handler.executor_type
        return ""


def _submitted(process: Process) -> datetime:
    return process.submission_time or _OLDEST
