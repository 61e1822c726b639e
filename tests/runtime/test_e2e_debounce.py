"""End to end: with the debounce a burst of spec changes is one reconcile of the newest
spec, every process of the burst is closed with that reconcile's outcome, a forced
reconcile never waits, and stopping ends the windows."""

from __future__ import annotations

from colonies.models import ProcessState
from colonies.testing import ThrowawayColony
from colonies.testing.runner import ReconcilerRunner
from tests.helpers import eventually_async
from tests.runtime.lamps import LampBoard, Lamps


async def test_a_burst_inside_the_window_is_one_command_of_the_newest_spec(
    colony: ThrowawayColony,
) -> None:
    board = LampBoard()
    # a window far longer than the burst takes, capped so the test cannot wait forever
    async with ReconcilerRunner(
        Lamps(board), colony, concurrency=2, debounce=2.0, debounce_max=5.0
    ) as runner:
        for level in (10, 20, 30, 40):
            await runner.set_spec("desk", {"power": True, "level": level})
        blueprint = await runner.wait_converged("desk")

        async def all_closed() -> bool:
            done = await runner.client.get_processes(colony.name, state=ProcessState.SUCCESS)
            return len(done) == 4

        await eventually_async(all_closed)
    assert blueprint.metadata.generation == 3
    assert [(c.generation, c.changes) for c in board.commands] == [
        (3, {"power": True, "level": 40})
    ]
    assert runner.metric("reconcile_total", result="success") == 1


async def test_stopping_ends_the_windows_and_settles_their_processes(
    colony: ThrowawayColony,
) -> None:
    board = LampBoard()
    async with ReconcilerRunner(Lamps(board), colony, debounce=600.0, debounce_max=600.0) as runner:
        await runner.set_spec("desk", {"power": True, "level": 10})

        async def assigned() -> bool:
            running = await runner.client.get_processes(colony.name, state=ProcessState.RUNNING)
            return len(running) == 1

        await eventually_async(assigned)
        assert board.commands == [], "the trigger waits in its window"
    async with colony.async_client() as user:
        done = await user.get_processes(colony.name, state=ProcessState.SUCCESS)
    assert len(done) == 1, "stopping reconciled the waiting trigger instead of dropping it"
    assert [c.generation for c in board.commands] == [0]


async def test_a_forced_reconcile_never_waits_for_a_window(colony: ThrowawayColony) -> None:
    board = LampBoard()
    async with ReconcilerRunner(
        Lamps(board), colony, debounce=3600.0, debounce_max=3600.0
    ) as runner:
        await runner.set_spec("desk", {"power": True, "level": 10})
        await runner.client.reconcile_blueprint(colony.name, "desk", force=True)
        # long before the hour-long window of the add's trigger ends, which the forced
        # reconcile ends too: both processes are settled by one reconcile
        await runner.wait_converged("desk")

        async def both_closed() -> bool:
            done = await runner.client.get_processes(colony.name, state=ProcessState.SUCCESS)
            return len(done) == 2

        await eventually_async(both_closed)
    assert [c.generation for c in board.commands] == [1], "force bumps the generation"
