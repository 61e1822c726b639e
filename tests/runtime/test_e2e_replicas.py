"""End to end: two replicas of one reconciler share the work through exclusive assign and
converge without fighting; a late result never overwrites a newer one."""

from __future__ import annotations

from collections import Counter

from colonies.models import ProcessState
from colonies.testing import ThrowawayColony
from colonies.testing.runner import ReconcilerRunner
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


async def test_a_slow_reconcile_never_overwrites_a_newer_generation_s_status(
    colony: ThrowawayColony,
) -> None:
    board = LampBoard()
    async with ReconcilerRunner(Lamps(board), colony, concurrency=1) as runner:
        release = board.hold("a")
        await runner.set_spec("a", {"power": True, "level": 10})  # generation 0
        await board.entered["a"].wait()
        # meanwhile the spec changes and another replica records generation 1
        newer = await runner.set_spec("a", {"power": True, "level": 20})
        assert newer.metadata.generation == 1
        replica_status = {
            "power": True,
            "level": 20,
            "observedGeneration": 1,
            "conditions": [{"type": "Ready", "status": "True", "reason": "Converged"}],
        }
        await runner.client.update_blueprint_status(colony.name, "a", replica_status)

        release.set()  # generation 0 finishes late
        processes = await processes_in(runner, ProcessState.SUCCESS, 2)
        assert sorted(process.output[0] for process in processes) == [
            "generation 0: level: 0 -> 10; power: False -> True",
            "generation 1 already reconciled",
        ]
        assert (await runner.blueprint("a")).status == replica_status
        assert runner.metric("status_writes_total") == 0
        assert [c.generation for c in board.commands_for("a")] == [0]
