"""End to end: a change the runtime did not make is held off for its period, or adopted
until the spec changes, and the status says so (Drifted, ManualOverride since/until)."""

from __future__ import annotations

from colonies.runtime import Phase
from colonies.runtime.drift import HOLD_PERIOD_ANNOTATION, POLICY_ANNOTATION
from colonies.testing import ThrowawayColony
from colonies.testing.runner import ReconcilerRunner
from tests.runtime.wall_lamps import WallBoard, WallLamps, add_annotated, condition, in_phase

SPEC = {"power": True, "level": 70}


async def test_hold_and_adopt_leave_a_manual_change_alone_and_report_it(
    colony: ThrowawayColony,
) -> None:
    board = WallBoard()
    async with ReconcilerRunner(WallLamps(board), colony) as runner:
        await add_annotated(
            runner, "long", SPEC, {POLICY_ANNOTATION: "hold", HOLD_PERIOD_ANNOTATION: "600"}
        )
        await add_annotated(
            runner, "short", SPEC, {POLICY_ANNOTATION: "hold", HOLD_PERIOD_ANNOTATION: "1"}
        )
        await add_annotated(runner, "kept", SPEC, {POLICY_ANNOTATION: "adopt"})
        for name in ("long", "short", "kept"):
            await runner.wait_converged(name)
            board.switch(name, level=5)

        held = await runner.wait_for("long", in_phase(Phase.HELD), what="Held")
        override = condition(held, "ManualOverride")
        assert override["status"] == "True"
        assert override["until"] > override["lastTransitionTime"]
        assert condition(held, "Drifted")["status"] == "True"
        assert condition(held, "Ready")["status"] == "False"
        adopted = await runner.wait_for("kept", in_phase(Phase.ADOPTED), what="Adopted")
        assert "until" not in condition(adopted, "ManualOverride")
        assert "level" in condition(adopted, "Drifted")["message"]

        corrected = await runner.wait_converged("short")  # once its hold is over
        assert board.devices["short"].level == 70
        assert condition(corrected, "ManualOverride")["status"] == "False"

        await runner.resync()  # neither a resync nor another event ends a hold or adoption
        runner.runtime.reconciler.events.changed("long")
        await runner.wait_for("long", in_phase(Phase.HELD), what="still Held")
        await runner.wait_for("kept", in_phase(Phase.ADOPTED), what="still Adopted")
        assert board.devices["long"].level == board.devices["kept"].level == 5
        assert runner.metric("drift_held_total") == 2
        assert runner.metric("drift_adopted_total") == 1

        await runner.set_spec("kept", {"power": True, "level": 60})  # a new spec wins
        await runner.wait_converged("kept")
        assert board.devices["kept"].level == 60
        assert [len(board.commands_for(name)) for name in ("long", "short", "kept")] == [1, 2, 2]
