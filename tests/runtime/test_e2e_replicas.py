"""End to end: two replicas of one reconciler share the work through exclusive assign and
converge without fighting; a late result never overwrites a newer one."""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import httpx

from colonies.models import ProcessState
from colonies.runtime.sharding import owner
from colonies.testing import ThrowawayColony
from colonies.testing.runner import ReconcilerRunner
from tests.helpers import eventually_async
from tests.runtime.lamps import LampBoard, Lamps
from tests.runtime.outcomes import processes_in

NAMES = ("c", "d", "e", "f", "g")


async def test_two_replicas_share_work_and_converge(colony: ThrowawayColony) -> None:
    board = LampBoard()  # one set of devices, driven by both replicas
    async with (
        ReconcilerRunner(Lamps(board), colony, concurrency=1) as one,
        ReconcilerRunner(Lamps(board), colony, concurrency=1) as two,
    ):
        assert one.runtime.identity is not None
        assert two.runtime.identity is not None
        assert one.runtime.identity.name != two.runtime.identity.name
        # hold one replica's only worker: the other must take the next blueprint
        release = board.hold("a")
        await one.set_spec("a", {"power": True})
        await board.entered["a"].wait()
        await one.set_spec("b", {"power": True})
        await one.wait_converged("b")
        release.set()
        await one.wait_converged("a")
        assert one.metric("processes_total", trigger="targeted") == 1
        assert two.metric("processes_total", trigger="targeted") == 1

        for name in NAMES:
            await one.set_spec(name, {"power": True, "level": 10})
        for name in NAMES:
            await one.wait_converged(name)
        for name in ("a", "b", *NAMES):
            await one.set_spec(name, {"power": False, "level": 90})
        for name in ("a", "b", *NAMES):
            blueprint = await one.wait_converged(name)
            assert (blueprint.status or {})["level"] == 90

        await one.resync()
        per_generation = Counter((c.name, c.generation) for c in board.commands)
        assert set(per_generation.values()) == {1}, "no generation was applied twice"
        assert all(count <= 1 for count in board.max_active.values())
        handled = sum(runner.metric("processes_total", trigger="targeted") for runner in (one, two))
        assert handled == 2 + 2 * len(NAMES) + 2


@contextlib.asynccontextmanager
async def beside_another_replica(
    colony: ThrowawayColony, board: LampBoard, **worker: Any
) -> AsyncIterator[ReconcilerRunner]:
    """A runtime of the colony's executor type. The colony's own executor is the other
    replica: heard from once, it counts as live for three minutes, so this runtime joins it
    and reads each blueprint again before writing its status."""
    async with colony.async_client(colony.executor_key) as replica:
        assert await replica.assign(colony.name, timeout=-1) is None
    overrides = {"COLONIES_EXECUTOR_TYPE": colony.executor_type}
    async with ReconcilerRunner(Lamps(board), colony, overrides=overrides, **worker) as runner:
        yield runner


def in_shard_of(member: str, other: str) -> str:
    """A blueprint name whose device-side work falls to ``member`` of the two."""
    members = sorted([member, other])
    return next(
        name
        for name in (f"lamp-{index}" for index in range(1000))
        if owner(name, members) == member
    )


async def test_a_slow_reconcile_never_overwrites_a_newer_generation_s_status(
    colony: ThrowawayColony,
) -> None:
    board = LampBoard()
    async with beside_another_replica(colony, board, concurrency=1) as runner:
        assert runner.runtime.identity is not None
        # a lamp in the other replica's shard, so this one's shard-entry pass leaves it alone
        name = in_shard_of(colony.executor_name, runner.runtime.identity.name)
        release = board.hold(name)
        await runner.set_spec(name, {"power": True, "level": 10})  # generation 0
        await board.entered[name].wait()
        # meanwhile the spec changes and the other replica records generation 1
        newer = await runner.set_spec(name, {"power": True, "level": 20})
        assert newer.metadata.generation == 1
        replica_status = {
            "power": True,
            "level": 20,
            "observedGeneration": 1,
            "conditions": [{"type": "Ready", "status": "True", "reason": "Converged"}],
        }
        await runner.client.update_blueprint_status(colony.name, name, replica_status)

        release.set()  # generation 0 finishes late
        processes = await processes_in(runner, ProcessState.SUCCESS, 2)
        assert sorted(process.output[0] for process in processes) == [
            "generation 0: level: 0 -> 10; power: False -> True",
            "generation 1 already reconciled",
        ]
        assert (await runner.blueprint(name)).status == replica_status
        assert runner.metric("status_writes_total") == 0
        assert [c.generation for c in board.commands_for(name)] == [0]


async def test_a_replica_joining_another_holds_its_status_writes_for_a_membership_period(
    colony: ThrowawayColony,
) -> None:
    """Until the other replica's next membership read lists it, a status it wrote could be
    overwritten by that replica, which still believes itself alone (``writers.py``)."""
    board = LampBoard()
    async with beside_another_replica(colony, board, shard_refresh=4.0) as runner:
        await runner.set_spec("a", {"power": True, "level": 10})
        await eventually_async(lambda: asyncio.sleep(0, result=bool(board.commands)))
        assert (await runner.blueprint("a")).status is None, "the device work is not held"
        async with httpx.AsyncClient(base_url=runner.runtime.health.url) as http:
            ready = await http.get("/readyz")
            assert ready.status_code == 200, "a joining replica takes work"
            assert ready.json()["writes_held"] is True
            await runner.runtime.joined()
            assert (await http.get("/readyz")).json()["writes_held"] is False
        blueprint = await runner.wait_converged("a")
        assert (blueprint.status or {})["level"] == 10
        assert runner.metric("client_requests_total", msgtype="getblueprintmsg", code="200") == 2


async def test_a_lone_runtime_writes_status_without_reading_the_blueprint_again(
    colony: ThrowawayColony,
) -> None:
    board = LampBoard()
    async with ReconcilerRunner(Lamps(board), colony) as runner:
        await runner.runtime.joined()
        await runner.set_spec("a", {"power": True, "level": 10})
        await runner.wait_converged("a")
        await processes_in(runner, ProcessState.SUCCESS, 1)
        reads = runner.metric("client_requests_total", msgtype="getblueprintmsg", code="200")
        assert reads == 1, "one read per reconcile: the status write needs no second one"
        assert runner.metric("status_writes_total") == 1


async def test_a_blueprint_removed_during_its_reconcile_gets_no_status_and_no_error(
    colony: ThrowawayColony,
) -> None:
    board = LampBoard()
    async with ReconcilerRunner(Lamps(board), colony, concurrency=1) as runner:
        release = board.hold("a")
        await runner.set_spec("a", {"power": True, "level": 10})
        await board.entered["a"].wait()
        await runner.client.remove_blueprint(colony.name, "a")
        release.set()
        processes = await processes_in(runner, ProcessState.SUCCESS, 2)  # reconcile, cleanup
        assert runner.metric("status_writes_total") == 0
        assert all(not process.errors for process in processes)
