"""End to end: kind-wide resyncs (cheap when converged, corrective on drift) and cleanup."""

from __future__ import annotations

from colonies.models import ProcessState
from colonies.testing import ThrowawayColony
from colonies.testing.runner import ReconcilerRunner
from tests.helpers import eventually_async
from tests.runtime.lamps import LampBoard, Lamps, LampStatus

NAMES = ("a", "b", "c", "d")


def requests_sent(runner: ReconcilerRunner, msgtype: str) -> float:
    """RPCs of one message type the runtime sent, whatever the server answered."""
    return sum(
        sample.value
        for family in runner.runtime.metrics.registry.collect()
        for sample in family.samples
        if sample.name == "colonies_runtime_client_requests_total"
        and sample.labels["msgtype"] == msgtype
    )


async def test_a_resync_of_converged_blueprints_writes_nothing(colony: ThrowawayColony) -> None:
    board = LampBoard()
    async with ReconcilerRunner(Lamps(board), colony) as runner:
        for name in NAMES:
            await runner.set_spec(name, {"power": True, "level": 40})
        for name in NAMES:
            await runner.wait_converged(name)
        before = {name: (await runner.blueprint(name)).status for name in NAMES}
        writes = runner.metric("status_writes_total")
        observations = sum(board.observations.values())
        lists = runner.metric("client_requests_total", msgtype="getblueprintsmsg", code="200")
        gets = requests_sent(runner, "getblueprintmsg")
        status_updates = requests_sent(runner, "updateblueprintstatusmsg")

        process = await runner.resync()

        assert process.state == ProcessState.SUCCESS
        assert "4 in sync" in process.output[0]
        listed = runner.metric("client_requests_total", msgtype="getblueprintsmsg", code="200")
        assert listed == lists + 1, "one list call"
        assert requests_sent(runner, "getblueprintsmsg") == listed
        assert requests_sent(runner, "getblueprintmsg") == gets, "no get per blueprint"
        assert requests_sent(runner, "updateblueprintstatusmsg") == status_updates
        assert runner.metric("status_writes_total") == writes, "zero writes"
        assert sum(board.observations.values()) == observations + len(NAMES), "N observations"
        assert len(board.commands) == len(NAMES), "no device command"
        assert {name: (await runner.blueprint(name)).status for name in NAMES} == before


async def test_a_resync_corrects_drift(colony: ThrowawayColony) -> None:
    board = LampBoard()
    async with ReconcilerRunner(Lamps(board), colony) as runner:
        await runner.set_spec("a", {"power": True, "level": 40})
        await runner.set_spec("b", {"power": True, "level": 40})
        await runner.wait_converged("a")
        await runner.wait_converged("b")
        board.devices["a"] = LampStatus(power=False, level=40)  # someone flipped the switch

        process = await runner.resync()

        assert "1 changed" in process.output[0]
        assert board.devices["a"].power is True
        assert board.commands_for("a")[-1].changes == {"power": True}
        assert runner.metric("drift_detected_total") == 3  # two creations, one drift


async def test_removal_cleans_up_by_name(colony: ThrowawayColony) -> None:
    board = LampBoard()
    async with ReconcilerRunner(Lamps(board), colony) as runner:
        await runner.set_spec("a", {"power": True})
        await runner.wait_converged("a")
        await runner.remove("a")

        async def cleanup_closed() -> list[str]:
            done = await runner.client.get_processes(colony.name, state=ProcessState.SUCCESS)
            return [p.output[0] for p in done if p.spec.func_name == "cleanup"]

        outputs = await eventually_async(cleanup_closed)
        assert outputs == ["cleaned up a"]
        assert board.cleaned == ["a"]
        assert "a" not in board.devices
