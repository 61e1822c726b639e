"""The async client's HTTP/1.1 pool against raw asyncio servers that misbehave on purpose:
connections reused, stale ones dropped, timeouts and broken replies mapped to the client's
errors."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest

from colonies.client import AsyncColoniesClient
from colonies.client._http11 import AsyncHttp11Pool
from colonies.config import ClientConfig
from colonies.errors import ColoniesConnectionError, ColoniesTimeoutError
from colonies.testing import ThrowawayColony
from tests.helpers import eventually_async

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@contextlib.asynccontextmanager
async def raw_server(handler: Handler) -> AsyncIterator[tuple[int, list[int]]]:
    """Serve ``handler`` on a free loopback port; yields the port and a list that gets one
    entry per accepted connection."""
    connections: list[int] = []

    async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(len(connections))
        try:
            await handler(reader, writer)
        finally:
            writer.close()

    server = await asyncio.start_server(accept, "127.0.0.1", 0)
    async with server:
        yield server.sockets[0].getsockname()[1], connections


async def read_request(reader: asyncio.StreamReader) -> bytes:
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    return await reader.readexactly(length) if length else b""


def local(port: int) -> ClientConfig:
    return ClientConfig(host="127.0.0.1", port=port)


def reply(body: bytes, *, close: bool = False) -> bytes:
    connection = b"connection: close\r\n" if close else b""
    return b"HTTP/1.1 200 OK\r\ncontent-length: %d\r\n%s\r\n%s" % (len(body), connection, body)


async def echo_forever(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(asyncio.IncompleteReadError, ConnectionError):
        while True:
            writer.write(reply(await read_request(reader)))
            await writer.drain()


async def test_sequential_requests_share_one_connection() -> None:
    async with raw_server(echo_forever) as (port, connections):
        pool = AsyncHttp11Pool(local(port))
        for index in range(5):
            assert await pool.request("POST", "/api", b"%d" % index, 5.0) == (
                200,
                bytearray(b"%d" % index),
            )
        await pool.aclose()
    assert len(connections) == 1


async def test_concurrent_requests_open_connections_up_to_the_limit() -> None:
    async def slow_echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        body = await read_request(reader)
        await asyncio.sleep(0.05)
        writer.write(reply(body, close=True))
        await writer.drain()

    async with raw_server(slow_echo) as (port, connections):
        pool = AsyncHttp11Pool(local(port), max_connections=2)
        replies = await asyncio.gather(*(pool.request("POST", "/api", b"x", 5.0) for _ in range(6)))
        await pool.aclose()
    assert replies == [(200, bytearray(b"x"))] * 6
    assert len(connections) == 6  # each reply said "connection: close": none reused


async def test_a_connection_the_server_closed_while_idle_is_not_reused() -> None:
    async def one_reply_then_close(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        writer.write(reply(await read_request(reader)))  # keep-alive promised, then broken
        await writer.drain()

    async with raw_server(one_reply_then_close) as (port, connections):
        pool = AsyncHttp11Pool(local(port))
        assert await pool.request("POST", "/api", b"a", 5.0) == (200, bytearray(b"a"))

        async def closed_by_server() -> bool:  # the close has reached the idle connection
            return all(connection.reader.at_eof() for connection in pool._idle)

        await eventually_async(closed_by_server)
        assert await pool.request("POST", "/api", b"b", 5.0) == (200, bytearray(b"b"))
        await pool.aclose()
    assert len(connections) == 2


async def test_a_silent_server_times_out_as_a_read_timeout() -> None:
    async def never_answers(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        await asyncio.sleep(10)

    async with raw_server(never_answers) as (port, _):
        pool = AsyncHttp11Pool(local(port))
        with pytest.raises(httpx.ReadTimeout):
            await pool.request("POST", "/api", b"x", 0.2)
        await pool.aclose()
        client = AsyncColoniesClient("127.0.0.1", port, timeout=0.2, retries=0)
        async with client:
            with pytest.raises(ColoniesTimeoutError, match="no reply"):
                await client.version()


async def test_a_reply_cut_short_is_a_protocol_error_not_a_hang() -> None:
    async def cut_short(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nonly this")
        await writer.drain()

    async with raw_server(cut_short) as (port, _):
        pool = AsyncHttp11Pool(local(port))
        with pytest.raises(httpx.RemoteProtocolError):
            await pool.request("POST", "/api", b"x", 5.0)
        await pool.aclose()
        async with AsyncColoniesClient("127.0.0.1", port, retries=0) as client:
            with pytest.raises(ColoniesConnectionError):
                await client.version()


async def test_a_closed_pool_refuses_new_requests() -> None:
    async with raw_server(echo_forever) as (port, _):
        pool = AsyncHttp11Pool(local(port))
        await pool.aclose()
        with pytest.raises(httpx.ConnectError, match="closed"):
            await pool.request("GET", "/health", b"", 5.0)


def test_a_client_moves_to_a_new_event_loop(colony: ThrowawayColony) -> None:
    """Each ``asyncio.run`` is a new loop; the old loop's connections are dropped."""
    client = colony.async_client()
    assert asyncio.run(client.get_colony(colony.name)).name == colony.name
    assert asyncio.run(client.get_colony(colony.name)).name == colony.name
    asyncio.run(client.aclose())
