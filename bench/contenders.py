"""The contenders of the reconcile benchmarks, on one colony each of the same server: the
runtime with a bench reconciler, the hand-written bare loop, and runtime replicas in their
own processes. All command the same kind of counting lamps, so device commands compare one
to one."""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel

from bench.bare_loop import BareLoop
from bench.process_probe import runtime_process
from bench.shared_lamps import LOG_VARIABLE, LampLog
from colonies.models import Blueprint, BlueprintDefinition, ProcessState
from colonies.runtime import Diff, Reconciler, Resource
from colonies.runtime.settings import WorkerSettings
from colonies.runtime.status import generation_observed
from colonies.testing.runner import ReconcilerRunner
from colonies.testing.targets import ThrowawayColony

KIND = "BenchLamp"


class LampSpec(BaseModel):
    level: int = 0


class LampStatus(BaseModel):
    level: int | None = None


class Lamps(Protocol):
    """What a bench reconciler commands and the bench counts."""

    @property
    def levels(self) -> dict[str, int]: ...

    @property
    def commands(self) -> int: ...

    @property
    def duplicates(self) -> int: ...

    def command(self, name: str, spec: dict[str, Any], generation: int | None = None) -> None: ...


class CountingDevice:
    """Lamps in memory; counts every command so a storm's cost is visible, and each
    (blueprint, generation) applied, so replicas that apply one generation twice show."""

    def __init__(self) -> None:
        self.levels: dict[str, int] = {}
        self.commands = 0
        self.applied: Counter[tuple[str, int]] = Counter()

    def command(self, name: str, spec: dict[str, Any], generation: int | None = None) -> None:
        self.commands += 1
        self.levels[name] = int(spec.get("level", 0))
        if generation is not None:
            self.applied[(name, generation)] += 1

    @property
    def duplicates(self) -> int:
        """Commands that applied a (blueprint, generation) already applied."""
        return sum(count - 1 for count in self.applied.values())


class BenchLamp(Reconciler[LampSpec, LampStatus]):
    """The runtime's contender: observe the lamp, command it when it differs."""

    kind = KIND

    def __init__(self, device: Lamps | None = None) -> None:
        self.device = device or CountingDevice()

    async def observe(self, resource: Resource[LampSpec]) -> LampStatus:
        return LampStatus(level=self.device.levels.get(resource.name))

    async def apply(self, resource: Resource[LampSpec], diff: Diff) -> LampStatus:
        self.device.command(resource.name, resource.spec.model_dump(), resource.generation)
        return LampStatus(level=resource.spec.level)

    async def cleanup(self, name: str) -> None:
        self.device.levels.pop(name, None)


class MirrorLamp(BenchLamp):
    """A lamp that is always as its spec says: every resync finds it converged."""

    async def observe(self, resource: Resource[LampSpec]) -> LampStatus:
        return LampStatus(level=resource.spec.level)


class SharedLamp(BenchLamp):
    """BenchLamp in a replica's own process, on the lamps of the file ``BENCH_LAMP_LOG``."""

    def __init__(self) -> None:
        super().__init__(LampLog(Path(os.environ[LOG_VARIABLE])))


@dataclass(frozen=True)
class Contender:
    """A running contender: the lamps it commands and how many RPCs it has sent so far."""

    device: Lamps
    rpcs: Callable[[], float]


def requests_sent(runner: ReconcilerRunner) -> float:
    """Every RPC the runtime sent, from its ``client_requests_total`` samples."""
    return sum(
        sample.value
        for family in runner.runtime.metrics.registry.collect()
        for sample in family.samples
        if sample.name.endswith("client_requests_total")
    )


StartContender = Callable[[ThrowawayColony, int], AbstractAsyncContextManager[Contender]]


def runtime_in_process(**worker: Any) -> StartContender:
    """The runtime reconciling a colony with ``concurrency`` workers, in the bench's own
    process, as the bare loop runs; ``worker`` overrides worker settings (say,
    ``debounce=0``)."""

    @contextlib.asynccontextmanager
    async def start(colony: ThrowawayColony, concurrency: int) -> AsyncIterator[Contender]:
        # as deployed, not the testing runner's one-second long polls and membership
        # reads: idle workers would re-poll assign, which the server runs one at a time;
        # the grace outlasts a long poll, so stopping hands nothing back
        deployed = WorkerSettings()
        settings = {
            "assign_timeout": deployed.assign_timeout,
            "grace_period": deployed.grace_period,
            "shard_refresh": deployed.shard_refresh,
            **worker,
        }
        settings["concurrency"] = concurrency
        device = CountingDevice()
        async with ReconcilerRunner(BenchLamp(device), colony, **settings) as runner:
            await runner.runtime.joined()
            yield Contender(device, lambda: requests_sent(runner))

    return start


runtime_contender = runtime_in_process()


def replica_processes(count: int, env: dict[str, str] | None = None) -> StartContender:
    """``count`` runtimes on one kind and colony, each ``colonies-sdk run`` in its own
    process with deployed settings, as the Helm chart's ``replicaCount`` runs them, driving
    one set of lamps (a shared file). Yields once every replica writes statuses (one joining
    others holds its writes for a membership period, ``colonies/runtime/writers.py``);
    ``env`` adds settings (``COLONIES_RECONCILER_*``) to each replica's environment."""

    @contextlib.asynccontextmanager
    async def start(colony: ThrowawayColony, concurrency: int) -> AsyncIterator[Contender]:
        with tempfile.TemporaryDirectory() as directory, contextlib.ExitStack() as stack:
            log = Path(directory) / "lamps"
            replicas = [
                stack.enter_context(
                    runtime_process(
                        colony,
                        concurrency=concurrency,
                        target="bench.contenders:SharedLamp",
                        env={**(env or {}), LOG_VARIABLE: str(log)},
                    )
                )
                for _ in range(count)
            ]
            deadline = time.monotonic() + 120
            while any(replica.writes_held() for replica in replicas):
                if time.monotonic() > deadline:
                    raise TimeoutError("a replica still holds its status writes after 120 s")
                await asyncio.sleep(0.5)

            def sent() -> float:
                return sum(replica.metric("client_requests_total") for replica in replicas)

            yield Contender(LampLog(log), sent)

    return start


@contextlib.asynccontextmanager
async def bare_contender(colony: ThrowawayColony, concurrency: int) -> AsyncIterator[Contender]:
    """The bare loop reconciling ``colony``: its definition is added by hand, as users do."""
    definition = BlueprintDefinition.model_validate(
        {
            "kind": KIND,
            "metadata": {"name": "benchlamp-def", "colonyname": colony.name},
            "spec": {
                "names": {"kind": KIND, "singular": "benchlamp", "plural": "benchlamps"},
                "handler": {"executorType": colony.executor_type, "functionName": "reconcile"},
            },
        }
    )
    async with colony.async_client(colony.owner_key) as owner:
        await owner.add_blueprint_definition(definition)
    device = CountingDevice()
    loop = BareLoop(
        colony.target.url,
        colony.name,
        colony.executor_key.hex(),
        device,
        concurrency=concurrency,
        verify=colony.target.config.ssl_context() or True,
    )
    task = asyncio.create_task(loop.run())
    try:
        yield Contender(device, lambda: loop.rpcs)
    finally:
        loop.stop()
        await task


def lamp(colony: ThrowawayColony, name: str, level: int) -> Blueprint:
    """A BenchLamp blueprint."""
    return Blueprint.model_validate(
        {
            "kind": KIND,
            "metadata": {"name": name, "colonyname": colony.name},
            "spec": {"level": level},
        }
    )


async def wait_all_observed(
    colony: ThrowawayColony, expected: dict[str, int], *, timeout: float
) -> dict[str, float]:
    """Poll the blueprint list until every expected blueprint's status shows its expected
    generation (others of the kind are ignored); returns when each was first seen so
    (monotonic seconds)."""
    seen: dict[str, float] = {}
    deadline = time.monotonic() + timeout
    async with colony.async_client() as client:
        while len(seen) < len(expected):
            if time.monotonic() > deadline:
                raise TimeoutError(f"only {len(seen)} of {len(expected)} blueprints converged")
            now = time.monotonic()
            for blueprint in await client.get_blueprints(colony.name, kind=KIND):
                name = blueprint.metadata.name
                observed = generation_observed(blueprint.status)
                wanted = expected.get(name)
                if name in seen or wanted is None or observed is None:
                    continue
                if observed >= wanted:
                    seen[name] = now
            # Listing N blueprints costs the server and us O(N): poll large sets less often,
            # so the benchmark does not starve what it measures.
            await asyncio.sleep(max(0.01, len(expected) / 20_000))
    return seen


async def wait_queue_drained(colony: ThrowawayColony, *, timeout: float) -> None:
    """Wait until no process of the colony is waiting or running: every queued reconcile,
    redundant or not, has had its chance to command the device."""
    deadline = time.monotonic() + timeout
    async with colony.async_client() as client:
        while any(
            [
                await client.get_processes(colony.name, state=state, count=1)
                for state in (ProcessState.WAITING, ProcessState.RUNNING)
            ]
        ):
            if time.monotonic() > deadline:
                raise TimeoutError("the process queue did not drain")
            await asyncio.sleep(0.1)
