"""Run a reconciler against a real colony inside a test, like Kopf's ``KopfRunner``.

    async with ReconcilerRunner(Light(), colony) as runner:   # colony: the pytest fixture
        await runner.set_spec("kitchen", {"power": True})
        blueprint = await runner.wait_converged("kitchen")

Without a colony the runner starts the embedded dev server and bootstraps one. The runtime
registers itself with the colony owner key, listens on a free port and long-polls briefly,
so tests start and stop fast. ``set_spec``, ``remove`` and ``resync`` act as a user would;
the ``wait_*`` helpers poll with a deadline and never assert on timing.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import time
from collections.abc import Awaitable, Callable, Mapping
from types import TracebackType
from typing import Any, TypeVar

from pydantic import BaseModel

from colonies.client import AsyncColoniesClient
from colonies.config import ClientConfig
from colonies.crypto import PrivateKey
from colonies.errors import NotFoundError
from colonies.inspection.conditions import Verdict, WantedCondition, read_condition
from colonies.inspection.waiting import WaitError, wait_for_condition
from colonies.models import Blueprint, Process, ProcessState
from colonies.runtime.reconciler import Reconciler
from colonies.runtime.runtime import Runtime
from colonies.runtime.settings import (
    HttpSettings,
    IdentitySettings,
    Settings,
    WorkerSettings,
)
from colonies.runtime.status import generation_observed
from colonies.testing.targets import ThrowawayColony, unique_name

T = TypeVar("T")

DEFAULT_TIMEOUT = 30.0


def converged(blueprint: Blueprint) -> bool:
    """The status describes the current generation and says Ready."""
    return read_condition(blueprint, WantedCondition()).verdict is Verdict.MET


def settled(blueprint: Blueprint) -> bool:
    """The status describes the current generation, whatever the outcome."""
    return generation_observed(blueprint.status) == blueprint.metadata.generation


async def poll(
    check: Callable[[], Awaitable[T | None]], *, timeout: float, what: str, interval: float = 0.05
) -> T:
    """Call ``check`` until it returns a truthy value; ``AssertionError`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    last: T | None = None
    while time.monotonic() < deadline:
        last = await check()
        if last:
            return last
        await asyncio.sleep(interval)
    raise AssertionError(f"{what} not reached within {timeout}s; last value: {last!r}")


async def wait_process(
    client: AsyncColoniesClient, process_id: str, *, timeout: float = DEFAULT_TIMEOUT
) -> Process:
    """Wait until a process is closed (successful, failed or cancelled)."""

    async def check() -> Process | None:
        process = await client.get_process(process_id)
        return process if process.state >= ProcessState.SUCCESS else None

    return await poll(check, timeout=timeout, what=f"the end of process {process_id}")


async def trigger_resync(
    client: AsyncColoniesClient,
    colony: str,
    kind: str,
    location: str | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
) -> Process:
    """Fire the kind's resync cron (``reconcile-<Kind>[-<location>]``) now and return its
    process once it finished, whoever runs the reconciler."""
    cron_name = f"reconcile-{kind}" + (f"-{location}" if location else "")
    cron = next((c for c in await client.get_crons(colony) if c.name == cron_name), None)
    if cron is None:
        raise AssertionError(f"no cron {cron_name!r}: add a blueprint first")
    before = cron.prev_process_graph_id
    await client.run_cron(cron.cron_id)

    async def new_graph() -> str | None:
        current = await client.get_cron(cron.cron_id)
        changed = current.prev_process_graph_id != before
        return current.prev_process_graph_id if changed else None

    graph_id = await poll(new_graph, timeout=timeout, what=f"a new run of {cron_name}")
    graph = await client.get_process_graph(graph_id)
    return await wait_process(client, graph.process_ids[0], timeout=timeout)


def runner_settings(
    config: ClientConfig, colony: str, owner_key: PrivateKey, **worker: Any
) -> Settings:
    """Runtime settings for a test: self-registration, unique executor name, free HTTP port,
    one-second long polls (fast shutdown), membership read every second (a replica joining
    another writes statuses after about two seconds, not sixteen)."""
    return Settings(
        connection=dataclasses.replace(config, colony_name=colony),
        identity=IdentitySettings(colony_prvkey=owner_key, executor_name=unique_name("runtime")),
        worker=dataclasses.replace(
            WorkerSettings(
                assign_timeout=1, grace_period=10.0, reconnect_max_delay=1.0, shard_refresh=1.0
            ),
            **worker,
        ),
        http=HttpSettings(port=0),
    )


class ReconcilerRunner:
    """A running reconciler plus a user's client for one colony, for one ``async with``."""

    def __init__(
        self,
        reconciler: Reconciler[Any, Any] | type[Reconciler[Any, Any]],
        colony: ThrowawayColony | None = None,
        *,
        settings: Settings | None = None,
        overrides: Mapping[str, str] | None = None,
        **worker: Any,
    ) -> None:
        """``settings`` replaces the generated test settings; ``overrides`` (env variable
        names to values) and ``worker`` (WorkerSettings fields) adjust them."""
        self._reconciler = reconciler
        self._colony = colony
        self._settings = settings
        self._overrides = dict(overrides or {})
        self._worker = worker
        self._stack = contextlib.AsyncExitStack()
        self._runtime: Runtime | None = None
        self._client: AsyncColoniesClient | None = None
        self.colony_name = ""
        kind_source = reconciler if isinstance(reconciler, type) else type(reconciler)
        self.kind = kind_source.kind

    @property
    def runtime(self) -> Runtime:
        if self._runtime is None:
            raise RuntimeError("the runner is not started")
        return self._runtime

    @property
    def client(self) -> AsyncColoniesClient:
        """A client signing as the colony's user."""
        if self._client is None:
            raise RuntimeError("the runner is not started")
        return self._client

    def metric(self, name: str, **labels: str) -> float:
        """A runtime metric by name without prefix, e.g. ``"status_writes_total"``."""
        return self.runtime.metrics.value(name, **labels)

    async def __aenter__(self) -> ReconcilerRunner:
        try:
            config, owner_key, user_key = await self._target()
            settings = self._settings or runner_settings(
                config, self.colony_name, owner_key, **self._worker
            )
            if self._overrides:
                settings = settings.with_values(self._overrides)
            self._client = AsyncColoniesClient.from_config(config, key=user_key)
            self._stack.push_async_callback(self._client.aclose)
            self._runtime = Runtime(self._reconciler, settings)
            self._stack.push_async_callback(self._runtime.stop)
            await self._runtime.start()
        except BaseException:
            await self._stack.aclose()
            raise
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self._stack.aclose()

    async def _target(self) -> tuple[ClientConfig, PrivateKey, PrivateKey]:
        if self._colony is not None:
            self.colony_name = self._colony.name
            return self._colony.target.config, self._colony.owner_key, self._colony.user_key
        from colonies.devserver import DevServer

        server = DevServer()
        await asyncio.to_thread(server.start)
        self._stack.callback(server.stop)
        boot = server.bootstrap(unique_name("runner"))
        self.colony_name = boot.colony_name
        return ClientConfig(host=server.host, port=server.port), boot.colony_key, boot.user_key

    # -- acting as a user ----------------------------------------------------------------

    async def set_spec(
        self,
        name: str,
        spec: BaseModel | Mapping[str, Any],
        *,
        location: str | None = None,
        labels: Mapping[str, str] | None = None,
    ) -> Blueprint:
        """Create blueprint ``name`` with ``spec``, or replace the spec of the existing one."""
        document = (
            spec.model_dump(mode="json", by_alias=True, exclude_none=True)
            if isinstance(spec, BaseModel)
            else dict(spec)
        )
        try:
            return await self.client.update_blueprint_spec(
                self.colony_name, name, lambda _: dict(document)
            )
        except NotFoundError:
            blueprint = Blueprint.model_validate(
                {
                    "kind": self.kind,
                    "metadata": {
                        "name": name,
                        "colonyname": self.colony_name,
                        "locationname": location or "",
                        "labels": dict(labels or {}),
                    },
                    "spec": document,
                }
            )
            return await self.client.add_blueprint(blueprint)

    async def remove(self, name: str) -> None:
        """Remove the blueprint (the server submits a cleanup process)."""
        await self.client.remove_blueprint(self.colony_name, name)

    async def blueprint(self, name: str) -> Blueprint:
        return await self.client.get_blueprint(self.colony_name, name)

    async def resync(
        self, location: str | None = None, timeout: float = DEFAULT_TIMEOUT
    ) -> Process:
        """Fire the kind's resync cron now and return its process once it finished."""
        return await trigger_resync(
            self.client, self.colony_name, self.kind, location, timeout=timeout
        )

    # -- waiting ---------------------------------------------------------------------------

    async def _fetch(self, name: str) -> Blueprint | None:
        try:
            return await self.blueprint(name)
        except NotFoundError:
            return None

    async def wait_for(
        self,
        name: str,
        predicate: Callable[[Blueprint], bool],
        *,
        timeout: float = DEFAULT_TIMEOUT,
        what: str = "condition",
    ) -> Blueprint:
        """Poll blueprint ``name`` until ``predicate`` holds for it; on timeout the error says
        where the blueprint stood (its generation and Ready), not just that it did not get there."""
        seen = "not found"

        async def check() -> Blueprint | None:
            nonlocal seen
            blueprint = await self._fetch(name)
            if blueprint is None:
                return None
            seen = read_condition(blueprint, WantedCondition()).seen
            return blueprint if predicate(blueprint) else None

        try:
            return await poll(check, timeout=timeout, what=f"{what} of blueprint {name}")
        except AssertionError:
            raise AssertionError(
                f"{what} of blueprint {name} not reached within {timeout}s; last seen: {seen}"
            ) from None

    async def wait_converged(self, name: str, *, timeout: float = DEFAULT_TIMEOUT) -> Blueprint:
        """Wait until the status describes the current generation and says Ready, as
        ``colonies-sdk wait --for condition=Ready`` does: a terminal failure of the current
        generation fails at once with the condition's message."""
        try:
            return await wait_for_condition(
                lambda: self._fetch(name),
                WantedCondition(),
                timeout=timeout,
                what=f"blueprint {name}",
                interval=0.05,
            )
        except WaitError as error:
            raise AssertionError(str(error)) from None

    async def wait_settled(self, name: str, *, timeout: float = DEFAULT_TIMEOUT) -> Blueprint:
        """Wait until the current generation was handled, successfully or not."""
        return await self.wait_for(name, settled, timeout=timeout, what="a settled status")

    async def wait_process(self, process_id: str, *, timeout: float = DEFAULT_TIMEOUT) -> Process:
        """Wait until a process is closed (successful, failed or cancelled)."""
        return await wait_process(self.client, process_id, timeout=timeout)
