"""The dashboard's data, read through :class:`colonies.inspection.reader.BlueprintReader`,
answered within a deadline even when the ColonyOS server hangs.

A page waits at most ``answer_within`` seconds for the server. When that passes, the request
gets the "unreachable" error at once, while the fetch goes on in the background (with the
client's own timeouts and retries) and its result serves the next request. Requests for the
same data share one fetch, so a hung server costs one stuck request, not one per page refresh.

Read-only except :meth:`ClientSource.force_reconcile`, which the app routes to only when
actions were enabled. The client is created lazily by the caller's factory and owned by the
caller, so a reconciler can share its own client with a mounted dashboard."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

from colonies.client import AsyncColoniesClient
from colonies.errors import ColoniesTimeoutError
from colonies.inspection.reader import BlueprintReader
from colonies.inspection.views import GROUP_LABEL, Detail, Overview

T = TypeVar("T")

ANSWER_WITHIN = 2.0
"""Seconds a page waits for the ColonyOS server before it shows the "unreachable" banner."""


class ClientSource:
    """The data behind every page, fetched fresh on each request (level-based, like the runtime)."""

    def __init__(
        self,
        client_factory: Callable[[], AsyncColoniesClient],
        colony_name: str,
        *,
        answer_within: float = ANSWER_WITHIN,
        group_label: str = GROUP_LABEL,
    ) -> None:
        self._client_factory = client_factory
        self._reader: BlueprintReader | None = None
        self._colony = colony_name
        self._answer_within = answer_within
        self._group_label = group_label
        self._in_flight: dict[Hashable, asyncio.Future[Any]] = {}

    @property
    def reader(self) -> BlueprintReader:
        if self._reader is None:
            self._reader = BlueprintReader(self._client_factory(), self._colony)
        return self._reader

    async def overview(self) -> Overview:
        return await self._answer("overview", lambda: self.reader.overview(self._group_label))

    async def detail(self, name: str) -> Detail:
        return await self._answer(("detail", name), lambda: self.reader.detail(name))

    async def force_reconcile(self, name: str) -> None:
        """Ask the server for a forced reconcile: a new generation, so the reconciler re-observes
        the device instead of coalescing the request away."""
        client = self.reader.client
        await self._answer(
            ("reconcile", name), lambda: client.reconcile_blueprint(self._colony, name, force=True)
        )

    async def _answer(self, key: Hashable, fetch: Callable[[], Awaitable[T]]) -> T:
        """The result of the fetch for ``key`` (joining one in flight), or ``ColoniesTimeoutError``
        after ``answer_within`` seconds while the fetch carries on."""
        future = self._in_flight.get(key)
        if future is None:
            future = asyncio.ensure_future(fetch())
            self._in_flight[key] = future
            future.add_done_callback(lambda done: self._finished(key, done))
        try:
            result: T = await asyncio.wait_for(asyncio.shield(future), self._answer_within)
        except TimeoutError:
            raise ColoniesTimeoutError(
                f"no answer within {self._answer_within:g}s; still trying in the background"
            ) from None
        return result

    def _finished(self, key: Hashable, future: asyncio.Future[Any]) -> None:
        if self._in_flight.get(key) is future:
            del self._in_flight[key]
        if not future.cancelled():
            future.exception()  # retrieved: a failure nobody waited for is not logged as lost
