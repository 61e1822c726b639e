"""End to end: temporary errors retry, permanent ones and invalid specs fail cleanly."""

from __future__ import annotations

from colonies.models import Conditions, FunctionSpec, ProcessState
from colonies.runtime import PermanentError, Phase, TemporaryError
from colonies.runtime.status import stored_phase
from colonies.testing import ThrowawayColony
from colonies.testing.runner import ReconcilerRunner
from tests.runtime.lamps import LampBoard, Lamps
from tests.runtime.outcomes import failure_errors


async def test_temporary_errors_are_retried_then_succeed(colony: ThrowawayColony) -> None:
    board = LampBoard(failures={"desk": [TemporaryError("bus busy"), ConnectionError("flaky")]})
    async with ReconcilerRunner(Lamps(board), colony) as runner:
        await runner.set_spec("desk", {"power": True, "level": 30})
        blueprint = await runner.wait_converged("desk")
        assert stored_phase(blueprint.status) is Phase.CONVERGED
        assert len(board.commands_for("desk")) == 1
        assert runner.metric("reconcile_retries_total") == 2
        assert runner.metric("reconcile_errors_total", error="temporary") == 2
        failed = await runner.client.get_processes(colony.name, state=ProcessState.FAILED)
        assert failed == []


async def test_exhausted_retries_fail_the_process_and_mark_the_status(
    colony: ThrowawayColony,
) -> None:
    board = LampBoard(failures={"desk": [TemporaryError("offline")] * 3})
    async with ReconcilerRunner(Lamps(board), colony) as runner:
        await runner.set_spec("desk", {"power": True})
        blueprint = await runner.wait_settled("desk")
        status = blueprint.status or {}
        assert stored_phase(status) is Phase.TEMPORARY_ERROR
        assert status["lastError"] == "offline"
        conditions = {c["type"]: c["status"] for c in status["conditions"]}
        assert conditions == {
            "Ready": "False",
            "Reconciling": "True",
            "Degraded": "True",
            "Failed": "False",
            "Drifted": "False",
            "ManualOverride": "False",
        }
        assert await failure_errors(runner, 1) == [["offline"]]
        assert runner.metric("reconcile_total", result="error") == 1

        # the same generation is tried again on the next trigger, and now succeeds
        await runner.client.reconcile_blueprint(colony.name, "desk")
        blueprint = await runner.wait_converged("desk")
        assert "lastError" not in (blueprint.status or {})


async def test_permanent_errors_are_not_retried(colony: ThrowawayColony) -> None:
    board = LampBoard(failures={"desk": [PermanentError("model cannot dim")]})
    async with ReconcilerRunner(Lamps(board), colony) as runner:
        await runner.set_spec("desk", {"power": True, "level": 5})
        blueprint = await runner.wait_settled("desk")
        assert stored_phase(blueprint.status) is Phase.PERMANENT_ERROR
        assert runner.metric("reconcile_retries_total") == 0
        assert await failure_errors(runner, 1) == [["model cannot dim"]]

        # a non-forced trigger for the same generation fails at once, without the device
        process = await runner.client.reconcile_blueprint(colony.name, "desk")
        done = await runner.wait_process(process.process_id)
        assert done.state == ProcessState.FAILED
        assert "already failed" in done.errors[0]
        assert board.commands == []

        # a spec change gets a fresh chance
        await runner.set_spec("desk", {"power": True, "level": 6})
        await runner.wait_converged("desk")
        assert board.devices["desk"].level == 6


async def test_an_invalid_spec_fails_its_process_and_nothing_else(
    colony: ThrowawayColony,
) -> None:
    board = LampBoard()
    async with ReconcilerRunner(Lamps(board), colony) as runner:
        await runner.set_spec("good", {"power": True, "level": 1})
        # within the server's schema (integers are not checked there) but not the model's
        await runner.set_spec("bad", {"power": True, "level": 1000})
        blueprint = await runner.wait_settled("bad")
        status = blueprint.status or {}
        assert stored_phase(status) is Phase.INVALID_SPEC
        failed = {c["type"]: c for c in status["conditions"]}["Failed"]
        assert failed["status"] == "True"
        assert failed["reason"] == "InvalidSpec"
        assert "level" in status["lastError"]
        errors = await failure_errors(runner, 1)
        assert len(errors) == 1
        assert errors[0][0].startswith("invalid spec: field 'level'")
        await runner.wait_converged("good")
        assert "bad" not in board.devices
        assert runner.metric("reconcile_errors_total", error="invalid_spec") == 1


async def test_processes_for_other_functions_fail_with_a_clear_message(
    colony: ThrowawayColony,
) -> None:
    async with ReconcilerRunner(Lamps(), colony) as runner:
        spec = FunctionSpec(
            func_name="reboot",
            kwargs={"kind": Lamps.kind},
            conditions=Conditions(
                colony_name=colony.name, executor_type=runner.runtime.executor_type
            ),
        )
        submitted = await runner.client.submit(spec)
        done = await runner.wait_process(submitted.process_id)
        assert done.state == ProcessState.FAILED
        assert "unsupported function 'reboot'" in done.errors[0]


async def test_a_resync_does_not_retry_a_permanent_failure(colony: ThrowawayColony) -> None:
    board = LampBoard(failures={"desk": [PermanentError("model cannot dim")]})
    async with ReconcilerRunner(Lamps(board), colony) as runner:
        await runner.set_spec("desk", {"power": True, "level": 5})
        await runner.wait_settled("desk")
        observations = board.observations["desk"]
        process = await runner.resync()
        assert "1 failed" in process.output[0]
        assert board.observations["desk"] == observations, "the device was left alone"
