"""A runtime that finds a backlog catches up on every changed blueprint that two lists found
quiet, and the triggers still queued for them close as no-ops."""

from __future__ import annotations

import asyncio

from colonies.models import Blueprint, ProcessState
from colonies.runtime import Diff, Resource
from colonies.testing import ThrowawayColony
from colonies.testing.runner import ReconcilerRunner
from tests.helpers import eventually_async
from tests.runtime.lamps import LampBoard, Lamps, LampSpec, LampStatus

NAMES = [f"lamp-{index}" for index in range(5)]


class SlowLamps(Lamps):
    """Each command takes a while, so the backlog outlasts the spacing between catch-ups
    however fast the server answers."""

    async def apply(self, resource: Resource[LampSpec], diff: Diff) -> LampStatus | None:
        await asyncio.sleep(0.1)
        return await super().apply(resource, diff)


async def add_while_down(colony: ThrowawayColony, kind: str, names: list[str]) -> None:
    """Add lamps while no runtime runs: their reconcile processes wait in the queue."""
    async with colony.async_client() as user:
        for name in names:
            document = {"power": True, "level": 40}
            blueprint = Blueprint.model_validate(
                {
                    "kind": kind,
                    "metadata": {"name": name, "colonyname": colony.name},
                    "spec": document,
                }
            )
            await user.add_blueprint(blueprint)


async def test_a_runtime_back_from_downtime_converges_the_backlog_with_one_command_each(
    colony: ThrowawayColony,
) -> None:
    async with ReconcilerRunner(Lamps(), colony) as first:  # defines the kind, then stops
        pass
    await add_while_down(colony, first.kind, NAMES)
    await asyncio.sleep(0.3)  # down for longer than the debounce window: a real backlog

    board = LampBoard()
    async with ReconcilerRunner(
        SlowLamps(board), colony, concurrency=1, catch_up_after=0.001
    ) as runner:
        for name in NAMES:
            await runner.wait_converged(name)

        async def queue_drained() -> bool:
            done = await runner.client.get_processes(colony.name, state=ProcessState.SUCCESS)
            return len(done) == len(NAMES)

        await eventually_async(queue_drained)
        assert sorted(command.name for command in board.commands) == NAMES, "one command each"
        assert runner.metric("catch_ups_total") >= 2, "a second list finds the backlog quiet"
        # Each lamp is reconciled once with a command (by its own process or a catch-up);
        # every other reconcile finds its generation recorded.
        assert runner.metric("reconcile_total", result="success") == len(NAMES)
        # A lamp settled from the list is not read again, before its status write or when
        # its own trigger comes: the list was made after that trigger was submitted. (The
        # first lamps are settled by their triggers, one read each, two while the runtime
        # does not yet know it writes alone.)
        reads = runner.metric("client_requests_total", msgtype="getblueprintmsg", code="200")
        done = await runner.client.get_processes(colony.name, state=ProcessState.SUCCESS)
        outputs = [" ".join(map(str, process.output)) for process in done]
        answered = [output for output in outputs if "from a read after this change" in output]
        assert answered, outputs
        assert reads < len(NAMES), "the lamps settled from the list are read by no one"


async def test_catch_ups_can_be_turned_off(colony: ThrowawayColony) -> None:
    async with ReconcilerRunner(Lamps(), colony) as first:
        pass
    await add_while_down(colony, first.kind, NAMES[:3])
    async with ReconcilerRunner(Lamps(), colony, concurrency=1, catch_up_after=0) as runner:
        for name in NAMES[:3]:
            await runner.wait_converged(name)
        assert runner.metric("catch_ups_total") == 0
        assert runner.metric("reconcile_total", result="success") == 3
