"""Deadlines for reading a request, as a production HTTP server has them.

Why: uvicorn waits for a request's headers and body forever, so a client that connects and
sends one byte holds a connection (and a file descriptor) for good; a few hundred of them
exhaust the process. Like Go's ``ReadHeaderTimeout``, a connection whose request headers
are not complete ``header_timeout`` seconds after it opened (or after its first byte of a
later request) is closed. The body has its own deadline, applied by the app (see
:func:`read_body`), which answers 408.
"""

from __future__ import annotations

import asyncio
from typing import Any

import h11
from starlette.requests import Request
from uvicorn.protocols.http.h11_impl import H11Protocol

__all__ = ["BodyTimeoutError", "BodyTooLargeError", "read_body", "with_header_deadline"]


class BodyTooLargeError(Exception):
    """The body is larger than the server accepts."""


class BodyTimeoutError(Exception):
    """The body did not arrive in time."""


async def read_body(request: Request, limit: int, timeout: float) -> bytes:
    """The whole body: ``BodyTooLargeError`` past ``limit`` bytes, ``BodyTimeoutError`` when
    it is not complete within ``timeout`` seconds."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLargeError
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(timeout):
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise BodyTooLargeError
                chunks.append(chunk)
    except TimeoutError:
        raise BodyTimeoutError from None
    return b"".join(chunks)


class _HeaderDeadlineProtocol(H11Protocol):
    """uvicorn's h11 protocol that closes a connection whose request headers are late."""

    header_timeout = 10.0
    _header_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is h11.IDLE:
            self._arm()  # the first bytes of a request: its headers are due
        else:
            self._disarm()  # headers complete (or the connection switched protocol)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        if self._header_deadline is None:
            self._header_deadline = self.loop.call_later(self.header_timeout, self._expire)

    def _disarm(self) -> None:
        if self._header_deadline is not None:
            self._header_deadline.cancel()
            self._header_deadline = None

    def _expire(self) -> None:
        self._header_deadline = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()


def with_header_deadline(header_timeout: float) -> type[Any]:
    """The protocol class to pass as uvicorn's ``http``."""
    attributes = {"header_timeout": header_timeout}
    return type("HeaderDeadlineProtocol", (_HeaderDeadlineProtocol,), attributes)
