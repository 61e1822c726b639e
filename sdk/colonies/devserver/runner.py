"""``DevServer``: runs the app with uvicorn on its own thread and event loop, so that sync
tests, async tests and the CLI can all start a ColonyOS-compatible server in milliseconds."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import threading
from collections.abc import Callable
from types import TracebackType
from typing import TypeVar

import uvicorn

from colonies.crypto import PrivateKey
from colonies.devserver import registry
from colonies.devserver.app import create_app
from colonies.devserver.bootstrap import Bootstrap, bootstrap_colony
from colonies.devserver.read_timeouts import with_header_deadline
from colonies.devserver.settings import DevServerSettings
from colonies.devserver.state import ServerState
from colonies.devserver.store import Store

__all__ = ["DevServer"]

T = TypeVar("T")
log = logging.getLogger("colonies.devserver")
_START_TIMEOUT = 30.0


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio only sets TCP_NODELAY on accepted sockets of that
    # protocol, and without it every reply waits ~40 ms for a delayed ACK (Nagle).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(512)
    sock.setblocking(False)
    return sock


async def _run_periodic(state: ServerState, task: registry.PeriodicTask) -> None:
    interval = float(getattr(state.settings, task.setting_name))
    while True:
        await asyncio.sleep(interval)
        try:
            if task.is_async:
                await task.fn(state)
            else:
                task.fn(state)
            state.store.commit()
        except Exception:
            state.store.rollback()
            log.exception("dev server periodic task %s failed", task.fn.__name__)


class _Uvicorn(uvicorn.Server):
    """uvicorn that reports readiness to the starting thread and runs the periodic tasks."""

    def __init__(self, config: uvicorn.Config, state: ServerState) -> None:
        super().__init__(config)
        self.state = state
        self.ready = threading.Event()
        self.exit_requested = asyncio.Event()
        self.periodic: list[asyncio.Task[None]] = []

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        self.periodic = [
            asyncio.create_task(_run_periodic(self.state, task))
            for task in registry.periodic_tasks()
        ]
        self.ready.set()

    async def main_loop(self) -> None:
        # uvicorn polls should_exit every 0.1 s; waking on an event makes stop() immediate.
        ticks = 0
        while not await self.on_tick(ticks):
            ticks += 10  # on_tick refreshes the Date header every 10 ticks: once a second here
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.exit_requested.wait(), 1.0)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        # uvicorn's own shutdown sleeps 0.1 s for connections to drain; a dev server stops at
        # once (its remaining request tasks are cancelled by DevServer._main).
        for server in self.servers:
            server.close()
        for sock in sockets or []:
            sock.close()
        for connection in list(self.server_state.connections):
            connection.shutdown()

    def request_exit(self) -> None:
        self.should_exit = True
        self.force_exit = True  # do not wait for long polls and WebSockets to finish
        self.exit_requested.set()


class DevServer:
    """An embedded ColonyOS-compatible server; a sync and async context manager."""

    def __init__(self, settings: DevServerSettings | None = None) -> None:
        self.settings = settings or DevServerSettings()
        self._port = self.settings.port
        self._store: Store | None = None
        self._state: ServerState | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._uvicorn: _Uvicorn | None = None

    # -- properties --

    @property
    def host(self) -> str:
        return self.settings.host

    @property
    def port(self) -> int:
        return self._port

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self._port}"

    @property
    def state(self) -> ServerState:
        if self._state is None:
            raise RuntimeError("the dev server is not running")
        return self._state

    @property
    def server_key(self) -> PrivateKey:
        return self.state.server_key

    @property
    def running(self) -> bool:
        return self._thread is not None

    # -- lifecycle --

    def start(self) -> DevServer:
        """Start serving; returns once the server accepts connections."""
        if self._thread is not None:
            return self
        registry.load_handlers()
        sock = _bind(self.host, self._port)
        self._port = sock.getsockname()[1]
        if self._store is None or self._store.persistent:
            self._store = Store(self.settings.database)
        state = ServerState(self.settings, self._store, self._port)
        config = uvicorn.Config(
            create_app(state),
            log_level="warning",
            access_log=False,
            lifespan="off",
            ws="websockets-sansio",
            http=with_header_deadline(self.settings.header_timeout),
            ws_ping_interval=None,
        )
        server = _Uvicorn(config, state)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._serve_forever,
            args=(self._loop, server, sock),
            name=f"colonies-devserver-{self._port}",
            daemon=True,
        )
        self._state, self._uvicorn = state, server
        self._thread.start()
        if not server.ready.wait(_START_TIMEOUT) or not server.started:
            self.stop()
            raise RuntimeError(f"the dev server did not start on {self.host}:{self._port}")
        return self

    @staticmethod
    def _serve_forever(
        loop: asyncio.AbstractEventLoop, server: _Uvicorn, sock: socket.socket
    ) -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(DevServer._main(server, sock))
        finally:
            server.ready.set()  # unblock start() if startup failed
            loop.close()

    @staticmethod
    async def _main(server: _Uvicorn, sock: socket.socket) -> None:
        with contextlib.suppress(Exception):
            await server.serve(sockets=[sock])
        sock.close()
        current = asyncio.current_task()
        leftovers = [t for t in asyncio.all_tasks() if t is not current]
        for task in leftovers:
            task.cancel()
        await asyncio.gather(*leftovers, return_exceptions=True)

    def stop(self) -> None:
        """Stop serving. Uncommitted changes are discarded; committed ones survive a restart."""
        thread, loop, server = self._thread, self._loop, self._uvicorn
        if thread is None or loop is None or server is None:
            return

        with contextlib.suppress(RuntimeError):  # the loop may already be closed
            loop.call_soon_threadsafe(server.request_exit)
        thread.join()
        self._thread = self._loop = self._uvicorn = None
        self._state = None
        if self._store is not None:
            self._store.rollback()
            if self._store.persistent:
                self._store.close()

    def restart(self) -> None:
        """Stop and start again on the same port (and database)."""
        self.stop()
        self.start()

    # -- in-process access --

    def invoke(self, fn: Callable[[ServerState], T]) -> T:
        """Run ``fn(state)`` on the server's loop as a handler would (committed afterwards,
        rolled back if it raises) and return its result. For tests and bootstrapping."""
        loop = self._loop
        if loop is None:
            raise RuntimeError("the dev server is not running")
        state = self.state

        async def run() -> T:
            try:
                result = fn(state)
                state.store.commit()
            except BaseException:
                state.store.rollback()
                raise
            return result

        return asyncio.run_coroutine_threadsafe(run(), loop).result()

    def bootstrap(
        self,
        colony_name: str,
        *,
        executor_type: str = "dev-executor",
        executor_name: str = "dev-executor",
        user_name: str = "dev-user",
    ) -> Bootstrap:
        """A colony with a user and an APPROVED executor, created in-process (no RPC).
        Calling it again for the same colony returns the same keys."""
        return self.invoke(
            lambda state: bootstrap_colony(
                state,
                colony_name,
                executor_type=executor_type,
                executor_name=executor_name,
                user_name=user_name,
            )
        )

    def environment(self, boot: Bootstrap | None = None) -> dict[str, str]:
        """The ``COLONIES_*`` variables that point a client at this server (and, with
        ``boot``, at its colony). The values include private keys: they are for the user's
        own local server only."""
        env = {
            "COLONIES_SERVER_HOST": self.host,
            "COLONIES_SERVER_PORT": str(self.port),
            "COLONIES_TLS": "false",
        }
        if boot is not None:
            env |= {
                "COLONIES_COLONY_NAME": boot.colony_name,
                "COLONIES_COLONY_PRVKEY": boot.colony_key.hex(),
                "COLONIES_PRVKEY": boot.user_key.hex(),
                "COLONIES_EXECUTOR_PRVKEY": boot.executor_key.hex(),
            }
        env["COLONIES_SERVER_PRVKEY"] = self.server_key.hex()
        return env

    # -- context managers --

    def __enter__(self) -> DevServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    async def __aenter__(self) -> DevServer:
        return await asyncio.to_thread(self.start)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await asyncio.to_thread(self.stop)

    def __repr__(self) -> str:
        return f"DevServer(url={self.url!r}, running={self.running})"
