"""The runner's waits say where a blueprint stood when they gave up (issue 13 C4: it said
"last value: None")."""

from __future__ import annotations

import pytest

from colonies.testing.runner import ReconcilerRunner
from colonies.testing.targets import ThrowawayColony, unique_kind
from tests.dashboard.bulbs import Bulbs


async def test_a_wait_that_times_out_says_what_it_saw_last(
    colony: ThrowawayColony, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Bulbs, "kind", unique_kind("WaitBulb"))
    bulbs = Bulbs()
    async with ReconcilerRunner(bulbs, colony) as runner:
        await runner.set_spec("lamp", {"power": True})
        await runner.wait_converged("lamp")
        bulbs.gate.clear()  # the next change is held at the device
        await runner.set_spec("lamp", {"power": False})
        with pytest.raises(AssertionError, match="last seen: observedGeneration 0, generation 1"):
            await runner.wait_settled("lamp", timeout=1)
        with pytest.raises(AssertionError, match="last seen: observedGeneration 0, generation 1"):
            await runner.wait_converged("lamp", timeout=1)
        bulbs.gate.set()
