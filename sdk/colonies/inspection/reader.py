"""Fetches what :mod:`colonies.inspection.views` summarises, through the async client.

Read-only and level-based: every call reads the server afresh. Shared by the dashboard and the
``get``/``describe``/``history`` commands, so they show the same blueprints the same way."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from colonies.client import AsyncColoniesClient
from colonies.errors import NotFoundError, ServerError
from colonies.inspection.views import (
    GROUP_LABEL,
    Detail,
    HistoryEntryView,
    Overview,
    ProcessView,
    blueprint_view,
    group_blueprints,
    history_views,
    process_view,
)
from colonies.models import Blueprint, Log, Process, ProcessState
from colonies.runtime.definition_upgrade import effective_definition, handler_routing

_MAX_PROCESSES_PER_STATE = 100  # the server's limit per getprocessesmsg call
_OLDEST = datetime.min.replace(tzinfo=UTC)


class BlueprintReader:
    """The blueprints of one colony, summarised for people."""

    def __init__(
        self,
        client: AsyncColoniesClient,
        colony_name: str,
        *,
        history_limit: int = 20,
        process_limit: int = 10,
        log_limit: int = 50,
    ) -> None:
        self.client = client
        self.colony_name = colony_name
        self._history_limit = history_limit
        self._process_limit = process_limit
        self._log_limit = log_limit

    async def overview(self, group_label: str = GROUP_LABEL) -> Overview:
        blueprints = await self.client.get_blueprints(self.colony_name)
        views = (blueprint_view(b) for b in blueprints)
        return Overview(self.colony_name, group_blueprints(views, group_label), group_label)

    async def detail(self, name: str) -> Detail:
        blueprint = await self.client.get_blueprint(self.colony_name, name)
        history, processes = await asyncio.gather(
            self.history(blueprint), self._recent_processes(blueprint)
        )
        return Detail(self.colony_name, blueprint_view(blueprint), history, processes)

    async def history(
        self, blueprint: Blueprint, limit: int | None = None
    ) -> list[HistoryEntryView]:
        """The spec revisions, newest first (``limit`` 0: all)."""
        limit = self._history_limit if limit is None else limit
        entries = await self.client.get_blueprint_history(blueprint.blueprint_id, limit=limit)
        return history_views(entries)

    async def _recent_processes(self, blueprint: Blueprint) -> list[ProcessView]:
        """Processes whose ``kwargs.blueprintName`` is this blueprint, newest first, with logs.

        Cron resyncs name only the kind, so they are not attributed to one blueprint."""
        processes = await self.client.get_processes(
            self.colony_name,
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
                self.colony_name, process_id=process_id, count=self._log_limit, latest=True
            )
        except (NotFoundError, ServerError):
            return []

    async def _executor_type(self, kind: str) -> str:
        """The handler's executor type for ``kind`` (of the definition in effect, after an
        upgrade), to narrow the process listing; ``""`` (no filter) without a handler."""
        definitions = await self.client.get_blueprint_definitions(self.colony_name)
        definition = effective_definition(definitions, kind)
        return handler_routing(definition)[0] if definition is not None else ""


def _submitted(process: Process) -> datetime:
    return process.submission_time or _OLDEST
