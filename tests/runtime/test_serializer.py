"""One reconcile at a time per blueprint; what arrives meanwhile is settled in one batch."""

from __future__ import annotations

import asyncio

from colonies.runtime.serializer import BlueprintSerializer
from tests.helpers import eventually_async


async def test_work_for_a_busy_blueprint_is_parked_and_batched() -> None:
    pending_counts: list[int] = []
    serializer: BlueprintSerializer[str] = BlueprintSerializer(pending_counts.append)
    batches: list[list[str]] = []
    release = asyncio.Event()

    async def handle(batch: list[str]) -> None:
        batches.append(batch)
        if batch == ["first"]:
            await release.wait()

    owner = asyncio.create_task(serializer.run("lamp", "first", handle))
    await eventually_async(lambda: asyncio.sleep(0, result=batches == [["first"]]))
    assert serializer.busy("lamp")
    assert await serializer.run("lamp", "second", handle) is False
    assert await serializer.run("lamp", "third", handle) is False
    assert serializer.pending == 2
    assert await serializer.run("other", "x", handle) is True, "other blueprints are not blocked"
    release.set()
    assert await owner is True
    assert batches == [["first"], ["x"], ["second", "third"]]
    assert not serializer.busy("lamp")
    assert serializer.pending == 0
    assert max(pending_counts) == 2


async def test_a_failing_batch_does_not_wedge_the_blueprint() -> None:
    serializer: BlueprintSerializer[int] = BlueprintSerializer()

    async def explode(batch: list[int]) -> None:
        raise RuntimeError("boom")

    task = asyncio.create_task(serializer.run("lamp", 1, explode))
    await asyncio.gather(task, return_exceptions=True)
    assert not serializer.busy("lamp")
