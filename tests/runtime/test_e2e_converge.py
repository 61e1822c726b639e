"""End to end: convergence, status content, process outcomes, coalescing, serialisation."""

from __future__ import annotations

from colonies.models import Process, ProcessState
from colonies.runtime import Phase
from colonies.runtime.status import stored_phase
from colonies.testing import ThrowawayColony
from colonies.testing.runner import ReconcilerRunner
from tests.helpers import eventually_async
from tests.runtime.lamps import LampBoard, Lamps


async def test_a_new_blueprint_converges_with_a_kubernetes_style_status(
    colony: ThrowawayColony,
) -> None:
    board = LampBoard()
    async with ReconcilerRunner(Lamps(board), colony) as runner:
        await runner.set_spec("desk", {"power": True, "level": 70})
        blueprint = await runner.wait_converged("desk")
        status = blueprint.status or {}
        assert status["power"] is True
        assert status["level"] == 70
        assert status["observedGeneration"] == blueprint.metadata.generation
        assert "lastReconcileTime" in status
        assert "lastError" not in status
        assert [c["type"] for c in status["conditions"]] == [
            "Ready",
            "Reconciling",
            "Degraded",
            "Failed",
            "Drifted",
            "ManualOverride",
        ]
        assert blueprint.spec == {"power": True, "level": 70}, "the runtime never touches spec"
        assert board.devices["desk"].level == 70

        async def succeeded() -> list[Process]:
            # the status is written before the process is closed, in the background
            return await runner.client.get_processes(colony.name, state=ProcessState.SUCCESS)

        processes = await eventually_async(succeeded)
        assert len(processes) == 1
        summary, *changes = processes[0].output
        assert "level: 0 -> 70" in summary
        assert "changed level: 0 -> 70" in changes, "the output lists each change"
        logs = await runner.client.get_logs(colony.name, process_id=processes[0].process_id)
        assert logs == [], "no process-log call: the close's output carries the changes"


async def test_a_burst_of_changes_coalesces_into_one_device_command(
    colony: ThrowawayColony,
) -> None:
    board = LampBoard()
    async with ReconcilerRunner(Lamps(board), colony, concurrency=4) as runner:
        release = board.hold("desk")
        await runner.set_spec("desk", {"power": True, "level": 10})
        await board.entered["desk"].wait()
        for level in (20, 30, 40, 50, 60):
            await runner.set_spec("desk", {"power": True, "level": level})

        async def all_assigned() -> bool:
            waiting = await runner.client.get_processes(colony.name, state=ProcessState.WAITING)
            return not waiting and runner.runtime.metrics.value("pending_processes") == 5

        await eventually_async(all_assigned)
        release.set()
        blueprint = await runner.wait_converged("desk")
        assert blueprint.metadata.generation == 5

        async def all_closed() -> bool:
            done = await runner.client.get_processes(colony.name, state=ProcessState.SUCCESS)
            return len(done) == 6

        await eventually_async(all_closed)
        assert [command.generation for command in board.commands_for("desk")] == [0, 5]
        assert board.commands_for("desk")[1].changes == {"level": 60}
        assert board.max_active["desk"] == 1
        assert runner.metric("processes_total", trigger="targeted") == 6
        assert runner.metric("reconcile_total", result="success") == 2, "6 processes, 2 reconciles"


async def test_other_blueprints_proceed_while_one_is_held(colony: ThrowawayColony) -> None:
    board = LampBoard()
    async with ReconcilerRunner(Lamps(board), colony, concurrency=2) as runner:
        release = board.hold("slow")
        await runner.set_spec("slow", {"power": True})
        await board.entered["slow"].wait()
        await runner.client.reconcile_blueprint(colony.name, "slow", force=True)
        for name in ("a", "b", "c"):
            await runner.set_spec(name, {"power": True, "level": 5})
        for name in ("a", "b", "c"):
            await runner.wait_converged(name)
        assert board.max_active["slow"] == 1
        assert not board.commands_for("slow"), "still held while the others converged"
        release.set()
        blueprint = await runner.wait_converged("slow")
        assert blueprint.metadata.generation == 1
        assert board.max_active["slow"] == 1
        assert len(board.commands_for("slow")) == 1
        # the forced reconcile ran after the held one and found the lamp already in sync
        assert stored_phase(blueprint.status) is Phase.CONVERGED
