"""End to end: two replicas that both hear every device event send one command per event,
because each blueprint's events belong to one replica's shard."""

from __future__ import annotations

from colonies.testing import ThrowawayColony
from colonies.testing.runner import ReconcilerRunner, poll
from tests.runtime.wall_lamps import SOURCE, WallBoard, WallLamps

NAMES = [f"lamp-{index}" for index in range(6)]
LATENCY = 0.2
"""Long enough that both replicas would see the drift before either command lands."""


def quiet(*runners: ReconcilerRunner) -> bool:
    return all(
        runner.runtime.events.pending == 0
        and runner.runtime.handler is not None
        and not runner.runtime.handler.serializer.pending
        for runner in runners
    )


async def test_two_replicas_send_one_command_per_device_event(colony: ThrowawayColony) -> None:
    board = WallBoard()  # one set of devices; both replicas subscribe to every report
    async with (
        ReconcilerRunner(WallLamps(board, LATENCY), colony) as one,
        ReconcilerRunner(WallLamps(board, LATENCY), colony) as two,
    ):

        async def both_see_both() -> bool:
            for runner in (one, two):
                shards = runner.runtime.events.shards
                assert shards is not None
                await shards.refresh()
                if len(shards.members) != 2:
                    return False
            return True

        await poll(both_see_both, timeout=30, what="a membership of two")
        for name in NAMES:
            await one.set_spec(name, {"power": True, "level": 50})
        for name in NAMES:
            await one.wait_converged(name)

        async def settled() -> bool:
            return quiet(one, two)

        await poll(settled, timeout=30, what="the echoes handled")
        before = len(board.commands)
        for name in NAMES:
            board.switch(name, power=False)

        async def corrected() -> bool:
            return all(board.devices[name].power for name in NAMES) and quiet(one, two)

        await poll(corrected, timeout=30, what="every lamp corrected")
        assert len(board.commands) - before == len(NAMES), "one command per event"
        drift = [runner.metric("drift_events_total", source=SOURCE) for runner in (one, two)]
        assert sum(drift) == len(NAMES)
        heard = [
            runner.metric("device_events_total", source=SOURCE, event="changed")
            for runner in (one, two)
        ]
        assert min(heard) >= len(NAMES), "both replicas heard every event"
