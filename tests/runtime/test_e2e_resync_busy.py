"""End to end: a resync reaches every blueprint, also one that is busy when its turn comes."""

from __future__ import annotations

import asyncio

from colonies.models import ProcessState
from colonies.testing import ThrowawayColony
from colonies.testing.runner import ReconcilerRunner
from tests.helpers import eventually_async
from tests.runtime.lamps import LampBoard, Lamps

NAMES = ("a", "b", "c")


async def test_a_busy_blueprint_is_reconciled_by_the_resync_after_its_reconcile(
    colony: ThrowawayColony,
) -> None:
    board = LampBoard()
    async with ReconcilerRunner(Lamps(board), colony, concurrency=2) as runner:
        for name in NAMES:
            await runner.set_spec(name, {"power": True, "level": 40})
        for name in NAMES:
            await runner.wait_converged(name)
        release = board.hold("b")
        await runner.set_spec("b", {"power": True, "level": 70})
        await board.entered["b"].wait()
        observed = dict(board.observations)
        handler = runner.runtime.handler
        assert handler is not None
        serializer = handler.serializer

        resync = asyncio.create_task(runner.resync())
        await eventually_async(lambda: asyncio.sleep(0, result=serializer.pending == 1))
        assert not resync.done()
        release.set()
        process = await resync

        assert process.state == ProcessState.SUCCESS
        assert process.output == [
            f"resync of 3 {Lamps.kind} blueprint(s): 0 changed, 0 failed, 3 in sync"
        ]
        assert board.observations["a"] == observed["a"] + 1
        assert board.observations["c"] == observed["c"] + 1
        # b: once after its held apply, once more for the resync parked behind it
        assert board.observations["b"] == observed["b"] + 2
        assert board.devices["b"].level == 70


async def test_a_resync_reads_again_a_blueprint_changed_since_its_list(
    colony: ThrowawayColony,
) -> None:
    """The resync's list is older than b's change, which b's own trigger applied while the
    resync waited on a: the resync must not command b with the listed, replaced spec."""
    board = LampBoard()
    async with ReconcilerRunner(Lamps(board), colony, concurrency=2) as runner:
        for name in ("a", "b"):
            await runner.set_spec(name, {"power": True, "level": 40})
            await runner.wait_converged(name)
        looks = board.observations["a"]
        release = board.hang_observe("a")
        resync = asyncio.create_task(runner.resync())
        await eventually_async(lambda: asyncio.sleep(0, result=board.observations["a"] > looks))
        await runner.set_spec("b", {"power": True, "level": 70})
        await runner.wait_converged("b")
        release.set()
        process = await resync

        assert process.output == [
            f"resync of 2 {Lamps.kind} blueprint(s): 0 changed, 0 failed, 2 in sync"
        ]
        assert [command.changes for command in board.commands_for("b")][-1] == {"level": 70}
        assert board.devices["b"].level == 70
