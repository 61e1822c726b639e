"""The blocking client."""

from __future__ import annotations

import time
from collections.abc import Generator
from types import TracebackType
from typing import Self, TypeVar

import httpx

from colonies.client._api import Operations
from colonies.client._base import ClientBase
from colonies.client._call import Call, Subscription
from colonies.client._core import API_PATH, HEALTH_PATH, PreparedCall
from colonies.client._operation import SyncExecutor
from colonies.client._pubsub import stream
from colonies.errors import ColoniesError

__all__ = ["ColoniesClient"]

T = TypeVar("T")


class ColoniesClient(ClientBase, SyncExecutor, Operations):
    """A blocking ColonyOS client on one httpx connection pool.

    ``ColoniesClient("localhost", 50080, key=...)``, :meth:`from_url`, :meth:`from_env` or
    :meth:`from_config`. Every method takes a keyword-only ``key=`` override;
    :meth:`with_key` gives a client with another default key on the same pool. Use it as a
    context manager or call :meth:`close`.
    """

    _http: httpx.Client

    def _open_transport(self) -> None:
        self._http = httpx.Client(**self._core.http_options())

    def health(self) -> bool:
        """True when the server answers ``GET /health`` with 200."""
        try:
            return self._http.get(HEALTH_PATH).status_code == 200
        except httpx.HTTPError:
            return False

    def close(self) -> None:
        """Close the connection pool (not for clients made by :meth:`with_key`)."""
        if self._owns_transport:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _send(self, call: Call[T], prepared: PreparedCall) -> T:
        started = time.perf_counter()
        response = self._http.post(API_PATH, content=prepared.body, timeout=prepared.timeout)
        return self._core.interpret(call, response.status_code, response.content, started)

    def _execute(self, call: Call[T]) -> T:
        prepared = self._core.prepare(call, self._key)
        attempt = 0
        try:
            while True:
                attempt += 1
                try:
                    return self._send(call, prepared)
                except (httpx.HTTPError, ColoniesError) as error:
                    delay = self._core.retry_delay(call, error, attempt)
                    if delay is None:
                        raise
                time.sleep(delay)
        except httpx.HTTPError as error:
            raise self._core.transport_error(call, error) from None
        except ColoniesError as error:
            return call.on_error(error)

    def _stream(self, sub: Subscription[T]) -> Generator[T, None, None]:
        return stream(sub, self._core, self._key)
