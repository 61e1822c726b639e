"""The asyncio client."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator
from types import TracebackType
from typing import Self, TypeVar

import httpx

from colonies.client._api import Operations
from colonies.client._base import ClientBase
from colonies.client._call import Call, Subscription
from colonies.client._core import API_PATH, HEALTH_PATH, PreparedCall
from colonies.client._http11 import AsyncHttp11Pool
from colonies.client._operation import AsyncExecutor
from colonies.client._pubsub import stream_async
from colonies.errors import ColoniesError

__all__ = ["AsyncColoniesClient"]

T = TypeVar("T")


class AsyncColoniesClient(ClientBase, AsyncExecutor, Operations):
    """An asyncio ColonyOS client: the same methods as :class:`ColoniesClient`, awaited.

    Subscriptions are async iterators. Use ``async with`` or ``await client.aclose()``.
    """

    _pool: AsyncHttp11Pool

    def _open_transport(self) -> None:
        self._pool = AsyncHttp11Pool(self._core.config)

    async def health(self) -> bool:
        """True when the server answers ``GET /health`` with 200."""
        try:
            status, _ = await self._pool.request("GET", HEALTH_PATH, b"", self.config.timeout)
        except httpx.HTTPError:
            return False
        return status == 200

    async def aclose(self) -> None:
        """Close the connection pool (not for clients made by :meth:`with_key`)."""
        if self._owns_transport:
            await self._pool.aclose()

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
        status, content = await self._pool.request(
            "POST", API_PATH, prepared.body, prepared.timeout
        )
        return self._core.interpret(call, status, content, started)

    async def _execute(self, call: Call[T]) -> T:
        prepared = self._core.prepare(call, self._key)
        attempt = 0
        try:
            while True:
                attempt += 1
                try:
                    return await self._send(call, prepared)
                except (httpx.HTTPError, ColoniesError) as error:
                    delay = self._core.retry_delay(call, error, attempt)
                    if delay is None:
                        raise
                await asyncio.sleep(delay)
        except httpx.HTTPError as error:
            raise self._core.transport_error(call, error) from None
        except ColoniesError as error:
            return call.on_error(error)

    def _stream(self, sub: Subscription[T]) -> AsyncGenerator[T, None]:
        return stream_async(sub, self._core, self._key)
