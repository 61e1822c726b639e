"""A lean HTTP/1.1 keep-alive pool for the async client: asyncio streams and h11.

The client sends one request shape to one server. httpx's general machinery (URL merging,
cookies, auth and redirect hooks, an anyio-backed pool that inspects each socket before
reuse) costs about four times the CPU of the exchange itself, and the reconciler runtime's
rate is bound by that CPU. Failures are raised as httpx's exception types, so the retry
and error mapping in ``_core`` serve the sync client (still on httpx) and this one alike.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from enum import Enum

import h11
import httpx

from colonies.config import ClientConfig

__all__ = ["AsyncHttp11Pool"]

_READ_SIZE = 256 * 1024
_CONTENT_TYPE = (b"content-type", b"application/json")


class _Phase(Enum):
    """Where a request was when it failed: decides the httpx error it surfaces as."""

    CONNECT = "connect"
    WRITE = "write"
    READ = "read"


_TIMEOUTS: dict[_Phase, type[httpx.TimeoutException]] = {
    _Phase.CONNECT: httpx.ConnectTimeout,
    _Phase.WRITE: httpx.WriteTimeout,
    _Phase.READ: httpx.ReadTimeout,
}
_IO_ERRORS: dict[_Phase, type[httpx.TransportError]] = {
    _Phase.CONNECT: httpx.ConnectError,
    _Phase.WRITE: httpx.WriteError,
    _Phase.READ: httpx.ReadError,
}


class _Connection:
    """One keep-alive connection and its HTTP state machine."""

    __slots__ = ("protocol", "reader", "writer")

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.protocol = h11.Connection(h11.CLIENT)

    def reusable(self) -> bool:
        """Idle on both sides and not closed by the server while it sat in the pool."""
        return (
            self.protocol.our_state is h11.IDLE
            and self.protocol.their_state is h11.IDLE
            and not self.reader.at_eof()
            and not self.writer.is_closing()
        )

    def close(self) -> None:
        with contextlib.suppress(RuntimeError):  # its event loop may be gone already
            self.writer.close()

    async def send(self, request: h11.Request, body: bytes) -> None:
        protocol = self.protocol
        data = protocol.send(request) or b""
        if body:
            data += protocol.send(h11.Data(data=body)) or b""
        data += protocol.send(h11.EndOfMessage()) or b""
        self.writer.write(data)
        await self.writer.drain()

    async def receive(self) -> tuple[int, bytearray]:
        """The whole response: status and body. The body grows in one buffer, so a reply of
        megabytes (a list of 10,000 blueprints) is never held twice (pieces and their join)."""
        protocol = self.protocol
        status = 0
        body = bytearray()
        while True:
            event = protocol.next_event()
            if event is h11.NEED_DATA:
                protocol.receive_data(await self.reader.read(_READ_SIZE))
            elif isinstance(event, h11.Response):
                status = event.status_code
            elif isinstance(event, h11.Data):
                body += event.data
            elif isinstance(event, h11.EndOfMessage):
                return status, body
            elif isinstance(event, h11.ConnectionClosed):
                raise httpx.RemoteProtocolError("Server disconnected without sending a response.")


class AsyncHttp11Pool:
    """Keep-alive connections to one server, at most ``max_connections`` at a time.

    Usable from one event loop at a time; moving to another loop (a second
    ``asyncio.run``) drops the old loop's connections instead of failing.
    """

    def __init__(
        self, config: ClientConfig, *, max_connections: int = 100, max_idle: int = 20
    ) -> None:
        self._host = config.host
        self._port = config.port
        self._ssl = config.ssl_context()
        self._host_header = (b"host", config.authority.encode())
        self._max_connections = max_connections
        self._max_idle = max_idle
        self._idle: list[_Connection] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._slots = asyncio.Semaphore(max_connections)  # replaced for each new loop
        self._closed = False

    async def request(
        self, method: str, path: str, body: bytes, timeout: float
    ) -> tuple[int, bytearray]:
        """``(status, body)`` of one request; httpx errors when it fails or times out."""
        if self._closed:
            raise httpx.ConnectError("the client is closed")
        self._bind_loop()
        headers = [self._host_header]
        if body or method == "POST":
            headers += [_CONTENT_TYPE, (b"content-length", str(len(body)).encode())]
        request = h11.Request(method=method, target=path, headers=headers)
        async with self._slots:
            connection = self._take_idle()
            phase = _Phase.CONNECT if connection is None else _Phase.WRITE
            deadline = asyncio.timeout(timeout)
            try:
                async with deadline:
                    if connection is None:
                        connection = await self._connect()
                        phase = _Phase.WRITE
                    await connection.send(request, body)
                    phase = _Phase.READ
                    reply = await connection.receive()
            except BaseException as error:
                if connection is not None:
                    connection.close()
                if isinstance(error, TimeoutError) and deadline.expired():
                    raise _TIMEOUTS[phase](f"timed out after {timeout:g}s") from None
                if isinstance(error, OSError):  # keep an SSL cause: it is a configuration error
                    cause = error if isinstance(error, ssl.SSLError) else None
                    raise _IO_ERRORS[phase](str(error) or type(error).__name__) from cause
                if isinstance(error, h11.ProtocolError):
                    raise httpx.RemoteProtocolError(str(error)) from None
                raise
            self._release(connection)
            return reply

    async def _connect(self) -> _Connection:
        reader, writer = await asyncio.open_connection(
            self._host,
            self._port,
            ssl=self._ssl,
            server_hostname=self._host if self._ssl is not None else None,
            limit=_READ_SIZE,
        )
        return _Connection(reader, writer)

    def _take_idle(self) -> _Connection | None:
        while self._idle:
            connection = self._idle.pop()
            if connection.reusable():
                return connection
            connection.close()
        return None

    def _release(self, connection: _Connection) -> None:
        protocol = connection.protocol
        if protocol.our_state is h11.DONE and protocol.their_state is h11.DONE:
            protocol.start_next_cycle()
            if not self._closed and len(self._idle) < self._max_idle:
                self._idle.append(connection)
                return
        connection.close()

    def _bind_loop(self) -> None:
        loop = asyncio.get_running_loop()
        if loop is not self._loop:
            self._drop_idle()
            self._slots = asyncio.Semaphore(self._max_connections)
            self._loop = loop

    def _drop_idle(self) -> None:
        while self._idle:
            self._idle.pop().close()

    async def aclose(self) -> None:
        """Close the idle connections; those in use close when their request ends."""
        self._closed = True
        self._drop_idle()
