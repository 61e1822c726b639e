"""The runtime: wires identity, definition, intake, processing, probes and shutdown together.

``Runtime(reconciler, settings)`` is what ``colonies-sdk run`` starts; tests and the testing
kit use it as an async context manager. Start-up order: probes first (so Kubernetes sees a
live but unready pod), then identity and definition (waiting for the server if needed),
then the reconciler's ``startup`` hook, then the workers.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Sequence
from types import TracebackType
from typing import Any

from starlette.routing import BaseRoute, Mount

from colonies.client import AsyncColoniesClient
from colonies.errors import ColoniesError, ColoniesTLSError
from colonies.runtime.definitions import ensure_definition
from colonies.runtime.engine import Engine
from colonies.runtime.errors import ConfigurationError
from colonies.runtime.event_queue import EventQueue
from colonies.runtime.health import HealthServer, Liveness, Probe, current_loop
from colonies.runtime.identity import ExecutorIdentity, establish, leave, register
from colonies.runtime.intake import Intake
from colonies.runtime.link import Backoff, ServerLink, is_unreachable, sleep_unless
from colonies.runtime.metrics import RuntimeMetrics
from colonies.runtime.processes import ProcessHandler
from colonies.runtime.reconciler import Reconciler, call_user_code
from colonies.runtime.settings import Settings
from colonies.runtime.sharding import Shards

log = logging.getLogger("colonies.runtime")


class Runtime:
    """Runs one reconciler against one colony until stopped."""

    def __init__(
        self,
        reconciler: Reconciler[Any, Any] | type[Reconciler[Any, Any]],
        settings: Settings | None = None,
        *,
        extra_routes: Sequence[BaseRoute] = (),
    ) -> None:
        instance = reconciler() if isinstance(reconciler, type) else reconciler
        reconciler_class = type(instance)
        reconciler_class.check_class()
        self.reconciler = instance
        self.settings = settings if settings is not None else Settings.from_env()
        self.settings.validate()
        identity = self.settings.identity
        self.kind = reconciler_class.kind
        self.executor_type = identity.executor_type or reconciler_class.resolved_executor_type()
        self.location = identity.location or reconciler_class.location
        self.colony = self.settings.connection.colony_name or ""
        worker = self.settings.worker
        self.timeout = worker.reconcile_timeout or reconciler_class.timeout
        policy = reconciler_class.retry
        # a worker may first wait out a debounce window, then run the retried device work
        self.reconcile_budget = max(worker.debounce_max, worker.debounce) + policy.attempts * (
            self.timeout + policy.max_delay + policy.jitter
        )
        self.metrics = RuntimeMetrics(self.kind, worker.concurrency)
        self.events = EventQueue(
            self.metrics, reconciler_class.observe_interval, worker.concurrency
        )
        self.liveness = Liveness()
        self.link = ServerLink(self.metrics, worker.reconnect_max_delay)
        routes = [*extra_routes, *self._dashboard_routes()]
        self.health = HealthServer(
            self.settings.http, self._live, self._ready, self.metrics, routes
        )
        self.identity: ExecutorIdentity | None = None
        self.handler: ProcessHandler | None = None
        self._client: AsyncColoniesClient | None = None
        self._executor_client: AsyncColoniesClient | None = None
        self._intake: Intake | None = None
        self._intake_task: asyncio.Task[None] | None = None
        self._stop_requested = asyncio.Event()
        self._started = False
        self._stopped = False

    def _dashboard_routes(self) -> list[BaseRoute]:
        """The dashboard, reading the colony with the runtime's own executor key."""
        if not self.settings.http.dashboard:
            return []
        from colonies.dashboard import create_app

        def client() -> AsyncColoniesClient:
            if self._executor_client is None:
                raise RuntimeError("the runtime has not registered yet")
            return self._executor_client

        return [Mount("/dashboard", create_app(client, self.colony))]

    # -- probes ------------------------------------------------------------------------

    def _live(self) -> Probe:
        stalled = self.liveness.stalled()
        crashed = (
            self._intake_task is not None
            and self._intake_task.done()
            and not (self._intake is not None and self._intake.stopping.is_set())
        )
        return Probe(not stalled and not crashed, {"stalled": stalled, "intake_crashed": crashed})

    def _ready(self) -> Probe:
        registered = self._started and self.identity is not None
        stopping = self._stop_requested.is_set()
        ok = registered and self.link.connected and not stopping
        shards = self.events.shards
        # not a readiness condition: a joining replica takes work, only its writes wait
        writes_held = shards is not None and not shards.writers.joined
        return Probe(
            ok,
            {
                "registered": registered,
                "connected": self.link.connected,
                "stopping": stopping,
                "writes_held": writes_held,
            },
        )

    @property
    def ready(self) -> bool:
        return self._ready().ok

    # -- lifecycle ---------------------------------------------------------------------

    async def start(self) -> None:
        """Start serving; returns once the workers are taking work. A runtime runs once."""
        if self._stopped or self._started:
            raise RuntimeError("a Runtime starts once; create a new one to run again")
        if not self.colony:
            raise ConfigurationError("no colony: set COLONIES_COLONY_NAME")
        self._client = AsyncColoniesClient.from_config(
            self.settings.connection, observer=self.metrics.client_request
        )
        await self.health.start()
        log.info("health and metrics on %s", self.health.url)
        try:
            self.identity = await self._connect(self._client)
            executor_client = self._client.with_key(self.identity.key)
            self._executor_client = executor_client
            owner = self.settings.identity.colony_prvkey
            await ensure_definition(
                executor_client,
                self.colony,
                type(self.reconciler),
                self.executor_type,
                self._client.with_key(owner) if owner is not None else None,
            )
        except ColoniesTLSError as error:  # TLS against a plain server, an untrusted certificate
            raise ConfigurationError(str(error)) from None
        except ColoniesError as error:  # refused: wrong key, unknown colony ...
            raise ConfigurationError(f"the server refused start-up: {error}") from None
        self.reconciler.events = self.events.sink(asyncio.get_running_loop())
        await call_user_code(self.reconciler.startup)
        shards = Shards(
            executor_client,
            self.colony,
            self.executor_type,
            self.location,
            self.identity.name,
            self.settings.worker.shard_refresh,
        )
        engine = Engine(
            self.reconciler,
            executor_client,
            self.colony,
            self.metrics,
            self.link,
            self.timeout,
            on_progress=self._progress,
            events=self.events,
            writers=shards.writers,
        )
        self.handler = ProcessHandler(
            engine,
            executor_client,
            self.colony,
            self.link,
            self.metrics,
            self._pending_changed,
            catch_up_after=self.settings.worker.catch_up_after,
            debounce=(self.settings.worker.debounce, self.settings.worker.debounce_max),
            keep=shards.keep,
            replicas=lambda: len(shards.members),
        )
        self._intake = Intake(
            client=executor_client,
            colony=self.colony,
            settings=self.settings.worker,
            link=self.link,
            metrics=self.metrics,
            liveness=self.liveness,
            handle=self.handler.handle,
            local_work=self.handler.local_work,
            recover_identity=self._recover_identity,
            reconcile_budget=self.reconcile_budget,
            on_handoff_change=self._pending_changed,
        )
        self._intake_task = asyncio.create_task(
            self._take_work(self._intake, self.handler), name="intake"
        )
        handler = self.handler
        await self.events.start(
            handler.react,
            lambda: handler.blueprint_documents(self.location),
            shards,
        )
        self._started = True
        log.info(
            "reconciling %s in colony %s as executor %s (type %s%s), %d workers",
            self.kind,
            self.colony,
            self.identity.name,
            self.executor_type,
            f", location {self.location}" if self.location else "",
            self.settings.worker.concurrency,
        )

    async def _connect(self, client: AsyncColoniesClient) -> ExecutorIdentity:
        """Establish the identity, waiting (with backoff) for an unreachable server."""
        backoff = Backoff(self.settings.worker.reconnect_max_delay)
        while True:
            try:
                identity = await self.link.call(
                    "register executor",
                    lambda: establish(
                        client,
                        self.colony,
                        self.settings.identity,
                        self.executor_type,
                        self.location,
                    ),
                )
            except Exception as error:
                if not is_unreachable(error):
                    raise
                delay = backoff.next_delay()
                log.warning("server unreachable (%s); retrying in %.1fs", error, delay)
                await sleep_unless(self._stop_requested, delay)
                if self._stop_requested.is_set():
                    raise ConfigurationError("stopped before the server could be reached") from None
                continue
            return identity

    async def _recover_identity(self) -> None:
        """The server dropped our executor (stale, removed): register again if we may."""
        identity = self.identity
        if self._client is None or identity is None:
            return
        if identity.owner_key is None:
            log.error(
                "executor %s is no longer approved; an administrator must approve it again",
                identity.name,
            )
            return
        log.warning(
            "re-registering executor %s (executor names must be unique per running runtime, "
            "or two runtimes keep replacing each other)",
            identity.name,
        )
        try:
            await register(self._client, self.colony, identity)
        except Exception as error:
            log.warning("could not re-register executor %s: %s", identity.name, error)

    def _progress(self) -> None:
        loop = current_loop.get()
        if loop is not None:
            self.liveness.promise(loop, self.reconcile_budget)

    def _pending_changed(self, _: int = 0) -> None:
        """Keep the pending gauge at parked plus hand-off processes."""
        parked = self.handler.serializer.pending if self.handler is not None else 0
        handoff = len(self._intake.handoff) if self._intake is not None else 0
        self.metrics.set_pending(parked + handoff)

    def request_stop(self) -> None:
        """Ask the runtime to stop gracefully (what SIGTERM and SIGINT do). From here on
        it takes no new work: no assign is started, device events and timers are dropped;
        :meth:`stop` finishes what is in flight."""
        self._stop_requested.set()
        self.events.close()
        if self._intake is not None:
            self._intake.stop()
        if self.handler is not None:
            self.handler.stop_waiting()

    async def joined(self) -> None:
        """Return once this replica writes statuses: at once for a lone runtime, about
        ``shard_refresh`` seconds after start for one joining others (``writers.py``)."""
        if self.events.shards is None:
            raise RuntimeError("start the runtime first")
        await self.events.shards.writers.wait_joined()

    async def wait_stop_requested(self) -> None:
        await self._stop_requested.wait()

    @staticmethod
    async def _take_work(intake: Intake, handler: ProcessHandler) -> None:
        """Take and handle processes until stopped, then let the last closes land."""
        await intake.run()
        await handler.settled()

    async def stop(self) -> None:
        """Stop assigning, let in-flight work finish within the grace period, hand back the
        rest, and release everything."""
        self.request_stop()
        if self._stopped:
            return
        self._stopped = True
        grace = self.settings.worker.grace_period
        events_stopped = asyncio.ensure_future(self.events.stop(grace))
        if self._intake is not None and self._intake_task is not None:
            in_flight = self._intake.busy_workers
            if in_flight:
                log.info(
                    "stopping: finishing %d in-flight reconcile(s), grace %gs", in_flight, grace
                )
            else:
                log.info("stopping")
            try:
                await asyncio.wait_for(asyncio.shield(self._intake_task), grace)
            except TimeoutError:
                log.warning("grace period over; abandoning unfinished work")
                self._intake_task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._intake_task
            except Exception:
                log.exception("the intake failed")
            await self._leave()
        await events_stopped
        if self._started:
            try:
                await call_user_code(self.reconciler.shutdown)
            except Exception:
                log.exception("reconciler shutdown hook failed")
        await self.health.stop()
        if self._client is not None:
            await self._client.aclose()
        self._started = False
        log.info("stopped")

    async def _leave(self) -> None:
        """Remove our executor if we registered it (``identity.leave``); what we still hold
        goes back to the server's queue."""
        held = list(self.handler.held) if self.handler is not None else []
        if self._intake is not None:
            held += [process.process_id for process in self._intake.declined]
        if self.identity is not None and self._client is not None:
            await leave(self._client, self.colony, self.identity, held)

    async def run(self, *, handle_signals: bool = True) -> None:
        """Start, serve until SIGTERM/SIGINT (or :meth:`request_stop`), then stop gracefully."""
        loop = asyncio.get_running_loop()
        installed = []
        if handle_signals:
            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(sig, self.request_stop)
                installed.append(sig)
        try:
            await self.start()
            await self._stop_requested.wait()
        finally:
            await self.stop()
            for sig in installed:
                loop.remove_signal_handler(sig)

    async def __aenter__(self) -> Runtime:
        try:
            await self.start()
        except BaseException:
            await self.stop()
            raise
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()
