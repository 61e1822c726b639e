"""A colony on a private dev server, for the few runtime tests that need dev-only powers
(restarting the server, a short stale-executor timeout)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from colonies.config import ClientConfig
from colonies.devserver import DevServer, DevServerSettings
from colonies.testing import ServerTarget, ThrowawayColony, unique_name


@contextlib.asynccontextmanager
async def private_colony(settings: DevServerSettings) -> AsyncIterator[ThrowawayColony]:
    """Start a dev server with ``settings`` and bootstrap a colony on it."""
    server = DevServer(settings)
    await asyncio.to_thread(server.start)
    try:
        boot = server.bootstrap(unique_name("rt"))
        target = ServerTarget(
            config=ClientConfig(host=server.host, port=server.port),
            server_key=server.server_key,
            devserver=server,
        )
        yield ThrowawayColony(
            target=target,
            name=boot.colony_name,
            owner_key=boot.colony_key,
            user_key=boot.user_key,
            user_name=boot.user_name,
            executor_key=boot.executor_key,
            executor_name=boot.executor_name,
            executor_type=boot.executor_type,
        )
    finally:
        await asyncio.to_thread(server.stop)
