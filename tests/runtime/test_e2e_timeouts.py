"""End to end: a device that hangs costs one attempt's ``timeout``, not a worker.

Each attempt of observe + apply is bounded by the reconciler's ``timeout`` (or
``COLONIES_RECONCILER_RECONCILE_TIMEOUT``); a timeout is retried like a temporary error, and
when the attempts run out the process fails and the status says so. Timeouts here are a
fifth of a second; nothing asserts on how long anything took.
"""

from __future__ import annotations

import threading

import pytest

from colonies.runtime import Diff, Phase, Reconciler, Resource, RetryPolicy
from colonies.runtime.status import stored_phase
from colonies.testing import ThrowawayColony
from colonies.testing.runner import ReconcilerRunner
from tests.helpers import eventually_async
from tests.runtime.lamps import LampBoard, Lamps, LampSpec, LampStatus
from tests.runtime.outcomes import failure_errors

TIMED_OUT = "timed out after 0.2s"


class QuickLamps(Lamps):
    """Lamps whose every attempt may take a fifth of a second."""

    timeout = 0.2


class BlockingLamps(Reconciler[LampSpec, LampStatus]):
    """Plain ``def`` device code: a hanging apply blocks a worker thread, never the loop."""

    kind = "RtBlockingLamp"
    retry = RetryPolicy(attempts=2, initial_delay=0.01, max_delay=0.05, jitter=0)
    timeout = 60.0  # COLONIES_RECONCILER_RECONCILE_TIMEOUT overrides it in the test

    def __init__(self, stuck: str) -> None:
        self.stuck = stuck
        self.release = threading.Event()
        self.devices: dict[str, LampStatus] = {}

    def observe(self, resource: Resource[LampSpec]) -> LampStatus:
        return self.devices.get(resource.name, LampStatus())

    def apply(self, resource: Resource[LampSpec], diff: Diff) -> LampStatus:
        if resource.name == self.stuck:
            self.release.wait()
        self.devices[resource.name] = LampStatus.model_validate(resource.spec.model_dump())
        return self.devices[resource.name]


async def observed_once(board: LampBoard, name: str) -> bool:
    return board.observations[name] > 0


async def test_a_hanging_observe_times_out_retries_and_frees_the_worker(
    colony: ThrowawayColony,
) -> None:
    board = LampBoard()
    device_back = board.hang_observe("stuck")
    # one worker: "fine" is only reconciled if the hung reconcile gives the worker back
    async with ReconcilerRunner(QuickLamps(board), colony, concurrency=1) as runner:
        await runner.set_spec("stuck", {"power": True})
        await eventually_async(lambda: observed_once(board, "stuck"))
        await runner.set_spec("fine", {"power": True, "level": 3})

        stuck = await runner.wait_settled("stuck")
        status = stuck.status or {}
        assert stored_phase(status) is Phase.TEMPORARY_ERROR
        assert status["lastError"] == TIMED_OUT
        assert await failure_errors(runner, 1) == [[TIMED_OUT]]
        attempts = QuickLamps.retry.attempts
        assert board.observations["stuck"] == attempts
        assert runner.metric("reconcile_errors_total", error="timeout") == attempts
        assert runner.metric("reconcile_retries_total") == attempts - 1
        assert runner.metric("reconcile_total", result="error") == 1

        await runner.wait_converged("fine")
        assert board.devices["fine"].level == 3

        # the device answers again: the next trigger of the same generation converges it
        device_back.set()
        await runner.client.reconcile_blueprint(colony.name, "stuck")
        recovered = await runner.wait_converged("stuck")
        assert "lastError" not in (recovered.status or {})


async def test_the_timeout_setting_bounds_a_blocking_apply_in_its_thread(
    colony: ThrowawayColony, lamp_kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(BlockingLamps, "kind", lamp_kind)
    lamps = BlockingLamps(stuck="stuck")
    timeout = {"COLONIES_RECONCILER_RECONCILE_TIMEOUT": "0.2"}
    async with ReconcilerRunner(lamps, colony, overrides=timeout) as runner:
        try:
            await runner.set_spec("stuck", {"power": True})
            stuck = await runner.wait_settled("stuck")
            assert stored_phase(stuck.status) is Phase.TEMPORARY_ERROR
            assert (stuck.status or {})["lastError"] == TIMED_OUT, "the setting, not the class"
            assert await failure_errors(runner, 1) == [[TIMED_OUT]]
            attempts = BlockingLamps.retry.attempts
            assert runner.metric("reconcile_errors_total", error="timeout") == attempts

            # the threads still block, yet the runtime goes on with other blueprints
            await runner.set_spec("fine", {"power": True, "level": 4})
            fine = await runner.wait_converged("fine")
            assert (fine.status or {})["level"] == 4
        finally:
            lamps.release.set()  # the abandoned threads finish on their own
