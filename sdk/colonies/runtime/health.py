"""``/healthz``, ``/readyz`` and ``/metrics`` on one small HTTP server.

Liveness is about the intake loop: every loop of the runtime promises to report progress
before a deadline (a worker before its assign returns or its reconcile times out, the
heartbeat before its next tick); a missed promise or a crashed loop makes ``/healthz``
answer 503 so Kubernetes restarts the pod. Readiness means registered and connected.
Extra ASGI apps (a dashboard) can be mounted next to the probes.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Callable, Generator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from colonies.runtime.errors import ConfigurationError
from colonies.runtime.metrics import CONTENT_TYPE, RuntimeMetrics
from colonies.runtime.settings import HttpSettings

current_loop: ContextVar[str | None] = ContextVar("colonies_runtime_loop", default=None)
"""The runtime loop (worker) the current task belongs to, so deep code can report progress."""


class Liveness:
    """Deadlines the runtime's loops promise to meet; a missed one means a stalled loop."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._deadlines: dict[str, float] = {}

    def promise(self, loop: str, within: float) -> None:
        """``loop`` will report again within ``within`` seconds."""
        self._deadlines[loop] = self._clock() + within

    def retire(self, loop: str) -> None:
        """``loop`` ended on purpose; stop watching it."""
        self._deadlines.pop(loop, None)

    def stalled(self) -> list[str]:
        now = self._clock()
        return sorted(loop for loop, deadline in self._deadlines.items() if deadline < now)


@dataclass(frozen=True)
class Probe:
    """A probe answer: ``ok`` and a few facts for whoever is debugging."""

    ok: bool
    detail: dict[str, object]


class _QuietServer(uvicorn.Server):
    """uvicorn without its own signal handling: the runtime owns SIGTERM/SIGINT."""

    @contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


class HealthServer:
    """Serves the probes and metrics on ``settings.host:settings.port`` inside the runtime's loop."""

    def __init__(
        self,
        settings: HttpSettings,
        live: Callable[[], Probe],
        ready: Callable[[], Probe],
        metrics: RuntimeMetrics,
        extra_routes: Sequence[BaseRoute] = (),
    ) -> None:
        self.settings = settings
        self._live = live
        self._ready = ready
        self._metrics = metrics
        self._extra_routes = list(extra_routes)
        self._server: _QuietServer | None = None
        self._task: asyncio.Task[None] | None = None
        self.port: int | None = None

    @property
    def url(self) -> str:
        return f"http://{self.settings.host}:{self.port}"

    def app(self) -> Starlette:
        def probe(check: Callable[[], Probe]) -> Callable[[Request], Response]:
            def endpoint(_: Request) -> Response:
                answer = check()
                status = "ok" if answer.ok else "failing"
                return JSONResponse(
                    {"status": status, **answer.detail}, status_code=200 if answer.ok else 503
                )

            return endpoint

        def metrics(_: Request) -> Response:
            return Response(self._metrics.exposition(), media_type=CONTENT_TYPE)

        routes: list[BaseRoute] = [
            Route("/healthz", probe(self._live)),
            Route("/readyz", probe(self._ready)),
            Route("/metrics", metrics),
            *self._extra_routes,
        ]
        return Starlette(routes=routes)

    async def start(self) -> None:
        """Bind (port 0 picks a free one) and serve in the background."""
        family = socket.AF_INET6 if ":" in self.settings.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.settings.host, self.settings.port))
        except OSError as error:
            sock.close()
            raise ConfigurationError(
                f"cannot serve health and metrics on {self.settings.host}:{self.settings.port} "
                f"({error.strerror}); set COLONIES_RECONCILER_HTTP_PORT"
            ) from None
        sock.setblocking(False)
        self.port = sock.getsockname()[1]
        # ws="none": probes and metrics are plain HTTP, so no WebSocket stack is loaded
        config = uvicorn.Config(
            self.app(), log_level="warning", lifespan="off", access_log=False, ws="none"
        )
        self._server = _QuietServer(config)
        self._task = asyncio.create_task(self._server.serve(sockets=[sock]), name="health-server")
        while not self._server.started:
            if self._task.done():
                self._task.result()  # raise the start-up error
            await asyncio.sleep(0.01)

    async def stop(self) -> None:
        if self._server is None or self._task is None:
            return
        self._server.should_exit = True
        await self._task
        self._server = None
        self._task = None
