"""End to end: once stop is requested the runtime takes no new work. A process that an
assign long-poll already in flight returns is not started but handed back, and device
events and look-again timers reconcile nothing; the reconcile in flight still finishes."""

from __future__ import annotations

import asyncio

from colonies.models import Process, ProcessState
from colonies.runtime.triggers import Targeted, classify
from colonies.testing import ThrowawayColony
from colonies.testing.runner import ReconcilerRunner, poll
from tests.runtime.lamps import LampBoard, Lamps, LampStatus


class PolledLamps(Lamps):
    observe_interval = 0.2


async def _targets(runner: ReconcilerRunner, state: ProcessState) -> list[str | None]:
    """The blueprint each of the colony's processes in ``state`` reconciles."""
    processes = await runner.client.get_processes(runner.colony_name, state=state)
    return [_target(process, runner.kind) for process in processes]


def _target(process: Process, kind: str) -> str | None:
    trigger = classify(process, kind)
    return trigger.name if isinstance(trigger, Targeted) else None


async def test_a_stopping_runtime_sends_no_command_for_work_arriving_after_stop(
    colony: ThrowawayColony,
) -> None:
    board = LampBoard()
    # two workers: one held in a reconcile, the other waiting in a long assign poll
    async with ReconcilerRunner(
        PolledLamps(board), colony, concurrency=2, assign_timeout=30
    ) as runner:
        for name in ("hall", "desk"):
            await runner.set_spec(name, {"power": True, "level": 10})
            await runner.wait_converged(name)
        board.hold("hall")
        await runner.set_spec("hall", {"power": True, "level": 20})
        await board.entered["hall"].wait()

        desk_done = await _targets(runner, ProcessState.SUCCESS)
        stopping = asyncio.create_task(runner.runtime.stop())
        await poll(lambda: _stopping(runner), timeout=30, what="stop requested")
        sent_before_stop = len(board.commands)

        # new work after stop: a spec change the in-flight poll is given, a drifted device
        # reporting in, and its look-again timer
        await runner.set_spec("desk", {"power": True, "level": 30})
        board.devices["desk"] = LampStatus(power=False)
        runner.runtime.reconciler.events.changed("desk", source="wall")

        async def desk_assigned() -> bool:
            running = await _targets(runner, ProcessState.RUNNING)
            done = await _targets(runner, ProcessState.SUCCESS)
            return "desk" in running or done.count("desk") > desk_done.count("desk")

        await poll(desk_assigned, timeout=60, what="the desk's process assigned")
        board.gates["hall"].set()
        await stopping

        after_stop = [(command.name, command.changes) for command in board.commands]
        assert after_stop[sent_before_stop:] == [("hall", {"level": 20})], (
            "only the reconcile in flight may command a device"
        )
        assert await _targets(runner, ProcessState.WAITING) == ["desk"], (
            "the process assigned after stop is handed back"
        )
        assert await _targets(runner, ProcessState.RUNNING) == []


async def _stopping(runner: ReconcilerRunner) -> bool:
    return not runner.runtime.ready
