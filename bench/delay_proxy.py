"""A TCP front that holds every request for a fixed time: the dev server answers a signed RPC
in well under a millisecond, a real ColonyOS server takes 5-13 ms (protocol notes), and
which contender wins depends on which of the two a loop is bound by."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Iterator

from colonies.config import ClientConfig
from colonies.testing.targets import ServerTarget

_CHUNK = 256 * 1024


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, delay: float) -> None:
    try:
        while data := await reader.read(_CHUNK):
            if delay:
                await asyncio.sleep(delay)
            writer.write(data)
            await writer.drain()
    except OSError:
        pass
    finally:
        writer.close()


@contextlib.contextmanager
def delayed(target: ServerTarget, delay: float) -> Iterator[ServerTarget]:
    """The dev server ``target`` behind a front that delays each client-to-server chunk by
    ``delay`` seconds (a request is one chunk); replies pass straight through. For the dev
    server only: a real server has its own RPC time (and a certificate for its own name)."""
    loop = asyncio.new_event_loop()
    started = threading.Event()
    ports: list[int] = []
    stop = asyncio.Event()
    open_writers: set[asyncio.StreamWriter] = set()

    async def handle(client_reader: asyncio.StreamReader, client: asyncio.StreamWriter) -> None:
        try:
            server_reader, server = await asyncio.open_connection(target.host, target.port)
        except OSError:
            client.close()
            return
        open_writers.update((client, server))
        try:
            await asyncio.gather(
                _pipe(client_reader, server, delay), _pipe(server_reader, client, 0.0)
            )
        finally:
            open_writers.difference_update((client, server))

    async def serve() -> None:
        front = await asyncio.start_server(handle, "127.0.0.1", 0)
        ports.append(front.sockets[0].getsockname()[1])
        started.set()
        async with front:
            await stop.wait()
        # Connections still open (a long poll in flight) are closed here, while the loop
        # runs, rather than left to be closed on a closed loop when they are collected.
        for writer in list(open_writers):
            writer.close()
        pending = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        if pending:
            await asyncio.wait(pending, timeout=5)

    thread = threading.Thread(target=loop.run_until_complete, args=(serve(),), daemon=True)
    thread.start()
    started.wait()
    try:
        config = ClientConfig(host="127.0.0.1", port=ports[0])
        yield ServerTarget(config=config, server_key=target.server_key)
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(timeout=10)
        if not thread.is_alive():
            loop.close()
