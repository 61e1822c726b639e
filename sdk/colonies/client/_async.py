"""The asyncio client."""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator
from types import TracebackType
from typing import Self, TypeVar

import httpx
from tenacity import AsyncRetrying

from colonies.client._api import Operations
from colonies.client._base import ClientBase
from colonies.client._call import Call, Subscription
from colonies.client._core import API_PATH, HEALTH_PATH, PreparedCall
from colonies.client._operation import AsyncExecutor
from colonies.client._pubsub import stream_async
from colonies.errors import ColoniesError

__all__ = ["AsyncColoniesClient"]

T = TypeVar("T")


class AsyncColoniesClient(ClientBase, AsyncExecutor, Operations):
    """An asyncio ColonyOS client: the same methods as :class:`ColoniesClient`, awaited.

    Subscriptions are async iterators. Use ``async with`` or ``await client.aclose()``.
    """

    _http: httpx.AsyncClient

    def _open_transport(self) -> None:
        self._http = httpx.AsyncClient(**self._core.http_options())

    async def health(self) -> bool:
        """True when the server answers ``GET /health`` with 200."""
        try:
            return (await self._http.get(HEALTH_PATH)).status_code == 200
        except httpx.HTTPError:
            return False

    async def aclose(self) -> None:
        """Close the connection pool (not for clients made by :meth:`with_key`)."""
        if self._owns_transport:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def _send(self, call: Call[T], prepared: PreparedCall) -> T:
        started = time.perf_counter()
        response = await self._http.post(
            API_PATH, content=prepared.body, headers=prepared.headers, timeout=prepared.timeout
        )
        return self._core.interpret(call, response.status_code, response.content, started)

    async def _execute(self, call: Call[T]) -> T:
        prepared = self._core.prepare(call, self._key)
        retrying = AsyncRetrying(**self._core.retry_options(call))
        try:
            return await retrying(self._send, call, prepared)
        except httpx.HTTPError as error:
            raise self._core.transport_error(call, error) from None
        except ColoniesError as error:
            return call.on_error(error)

    def _stream(self, sub: Subscription[T]) -> AsyncGenerator[T, None]:
        return stream_async(sub, self._core, self._key)
