"""End to end: device events reconcile a blueprint at once, outside the server's resync;
bursts coalesce, echoes of the runtime's own commands are no drift, an unavailable device
gets no command, and requeue-after and observe_interval bring a blueprint back."""

from __future__ import annotations

from colonies.runtime import Diff, Phase, Resource
from colonies.testing import ThrowawayColony
from colonies.testing.runner import ReconcilerRunner, poll
from tests.runtime.lamps import LampBoard, Lamps, LampSpec, LampStatus
from tests.runtime.wall_lamps import SOURCE, WallBoard, WallLamps, condition, in_phase


async def quiet(runner: ReconcilerRunner) -> bool:
    """No event waiting or being reconciled, nothing parked."""
    handler = runner.runtime.handler
    return (
        runner.runtime.events.pending == 0
        and handler is not None
        and not handler.serializer.pending
    )


async def test_a_change_at_the_wall_is_corrected_by_its_event_and_echoes_are_no_drift(
    colony: ThrowawayColony,
) -> None:
    board = WallBoard()
    async with ReconcilerRunner(WallLamps(board), colony) as runner:
        await runner.set_spec("hall", {"power": True, "level": 80})
        await runner.wait_converged("hall")
        await poll(lambda: quiet(runner), timeout=30, what="the echo handled")
        assert runner.metric("device_events_total", source=SOURCE, event="changed") >= 1
        assert runner.metric("drift_events_total", source=SOURCE) == 0, "an echo is no drift"

        board.switch("hall", power=False)

        async def corrected() -> bool:
            return board.devices["hall"].power and await quiet(runner)

        await poll(corrected, timeout=30, what="the wall switch corrected")
        assert [command.changes for command in board.commands_for("hall")] == [
            {"power": True, "level": 80},
            {"power": True},
        ]
        assert runner.metric("drift_events_total", source=SOURCE) == 1
        assert runner.metric("drift_correction_seconds_count") == 1
        assert runner.metric("processes_total", trigger="resync") == 0
        status = (await runner.wait_converged("hall")).status or {}
        assert condition_status(status, "Drifted") == "False"


def condition_status(status: dict[str, object], condition_type: str) -> object:
    conditions = status["conditions"]
    assert isinstance(conditions, list)
    return next(item["status"] for item in conditions if item["type"] == condition_type)


async def test_a_burst_of_events_is_one_reconcile_running_and_one_waiting(
    colony: ThrowawayColony,
) -> None:
    board = WallBoard()
    async with ReconcilerRunner(WallLamps(board), colony) as runner:
        await runner.set_spec("desk", {"power": True})
        await runner.wait_converged("desk")
        await poll(lambda: quiet(runner), timeout=30, what="the echo handled")
        observed = board.observations["desk"]
        gate = board.hang_observe("desk")
        events = runner.runtime.reconciler.events
        events.changed("desk", source="burst")

        async def observing() -> bool:
            return board.observations["desk"] == observed + 1

        await poll(observing, timeout=30, what="the first event's observe")
        for _ in range(10):
            events.changed("desk", source="burst")
        gate.set()
        await poll(lambda: quiet(runner), timeout=30, what="the burst handled")
        assert board.observations["desk"] == observed + 2
        assert runner.metric("device_events_coalesced_total") == 9
        assert len(board.commands_for("desk")) == 1, "in sync: no command"


async def test_an_unavailable_device_gets_no_command_and_is_reconciled_when_back(
    colony: ThrowawayColony,
) -> None:
    board = WallBoard()
    async with ReconcilerRunner(WallLamps(board), colony) as runner:
        await runner.set_spec("plug", {"power": True, "level": 10})
        await runner.wait_converged("plug")
        events = runner.runtime.reconciler.events
        events.unavailable("plug", source=SOURCE)
        away = await runner.wait_for("plug", in_phase(Phase.UNAVAILABLE), what="Unavailable")
        assert condition(away, "Degraded")["status"] == "True"
        assert condition(away, "Degraded")["reason"] == "Unavailable"

        board.devices["plug"] = LampStatus(power=False, level=0)  # the power cut
        await runner.set_spec("plug", {"power": True, "level": 30})
        await runner.wait_for("plug", in_phase(Phase.UNAVAILABLE), what="new spec held back")
        assert len(board.commands_for("plug")) == 1, "no command to a device that is away"

        events.available("plug", source=SOURCE)
        await runner.wait_converged("plug")
        assert board.devices["plug"] == LampStatus(power=True, level=30)
        assert runner.metric("processes_total", trigger="resync") == 0


async def test_a_reconnect_reconciles_every_blueprint_whose_events_were_missed(
    colony: ThrowawayColony,
) -> None:
    board = WallBoard()
    async with ReconcilerRunner(WallLamps(board), colony) as runner:
        for name in ("a", "b"):
            await runner.set_spec(name, {"power": True})
            await runner.wait_converged(name)
            board.devices[name] = LampStatus(power=False)  # changed while the broker was down
        runner.runtime.reconciler.events.reconnected(source="broker")

        async def healed() -> bool:
            return all(board.devices[name].power for name in ("a", "b"))

        await poll(healed, timeout=30, what="both lamps corrected")
        assert runner.metric("device_events_total", source="broker", event="reconnected") == 1


class MovingLamps(Lamps):
    """A device that moves toward the commanded level a step per look, like a cover:
    ``observe`` asks to be looked at again while it is still moving."""

    def __init__(self, board: LampBoard) -> None:
        super().__init__(board)
        self.targets: dict[str, int] = {}

    async def observe(self, resource: Resource[LampSpec]) -> LampStatus:
        current = await super().observe(resource)
        target = self.targets.get(resource.name)
        if target is None or current.level == target:
            return current
        step = max(-40, min(40, target - current.level))
        moved = current.model_copy(update={"level": current.level + step})
        self.board.devices[resource.name] = moved
        if moved.level != target:
            resource.requeue_after(0.05)
        return moved

    async def apply(self, resource: Resource[LampSpec], diff: Diff) -> LampStatus | None:
        self.targets[resource.name] = resource.spec.level
        self.board.devices[resource.name] = self.board.devices.get(
            resource.name, LampStatus()
        ).model_copy(update={"power": resource.spec.power})
        return None


async def test_requeue_after_looks_again_until_a_moving_device_arrives(
    colony: ThrowawayColony,
) -> None:
    board = LampBoard()
    async with ReconcilerRunner(MovingLamps(board), colony) as runner:
        await runner.set_spec("cover", {"power": True, "level": 100})
        await runner.wait_converged("cover")
        assert board.devices["cover"].level == 100
        assert runner.metric("device_events_total", source="requeue", event="requeue") >= 1
        assert runner.metric("processes_total", trigger="resync") == 0


class PolledLamps(Lamps):
    """No events at all: the runtime polls every blueprint it handles."""

    observe_interval = 0.2


async def test_observe_interval_polls_a_device_that_sends_no_events(
    colony: ThrowawayColony,
) -> None:
    board = LampBoard()
    async with ReconcilerRunner(PolledLamps(board), colony) as runner:
        await runner.set_spec("lamp", {"power": True, "level": 40})
        await runner.wait_converged("lamp")
        board.devices["lamp"] = LampStatus(power=False, level=40)  # silently switched off

        async def corrected() -> bool:
            return board.devices["lamp"].power

        await poll(corrected, timeout=30, what="the poll's correction")
        assert runner.metric("device_events_total", source="poll", event="poll") >= 1
        assert runner.metric("drift_events_total", source="poll") == 1
        assert runner.metric("processes_total", trigger="resync") == 0
