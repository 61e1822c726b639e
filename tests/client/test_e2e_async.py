"""The asyncio client end to end: same operations, awaited, on one shared pool."""

from __future__ import annotations

import asyncio

import pytest

from colonies.client import AsyncColoniesClient
from colonies.errors import ForbiddenError, NotFoundError
from colonies.models import (
    Blueprint,
    BlueprintDefinition,
    BlueprintDefinitionSpec,
    BlueprintHandler,
    BlueprintMetadata,
    BlueprintNames,
    ProcessState,
)
from colonies.testing import ThrowawayColony, unique_kind
from tests.client.conftest import echo_spec


async def test_submit_assign_close(
    colony: ThrowawayColony, async_user: AsyncColoniesClient
) -> None:
    executor = async_user.with_key(colony.executor_key)
    assert await async_user.health()
    submitted = await asyncio.gather(*(async_user.submit(echo_spec(colony)) for _ in range(3)))
    assert len({p.process_id for p in submitted}) == 3
    for _ in submitted:
        process = await executor.assign(colony.name, 5)
        assert process is not None
        await executor.close_process(process.process_id, [process.process_id])
    done = await async_user.get_processes(colony.name, ProcessState.SUCCESS)
    assert {p.process_id for p in done} == {p.process_id for p in submitted}
    assert await executor.assign(colony.name, -1) is None
    await executor.aclose()  # a with_key client leaves the shared pool open
    assert (await async_user.get_colony(colony.name)).name == colony.name


async def test_errors_and_flows(colony: ThrowawayColony, async_user: AsyncColoniesClient) -> None:
    owner = async_user.with_key(colony.owner_key)
    with pytest.raises(ForbiddenError):
        await owner.get_colony(colony.name)
    with pytest.raises(NotFoundError):
        await async_user.get_process("0" * 64)
    kind = unique_kind("AsyncLamp")  # protocol 7.5: definitions are found by kind server-wide
    definition = BlueprintDefinition(
        kind=kind,
        metadata=BlueprintMetadata(name="asynclamp", colony_name=colony.name),
        spec=BlueprintDefinitionSpec(
            names=BlueprintNames(kind=kind),
            handler=BlueprintHandler(executor_type=colony.executor_type, function_name="reconcile"),
        ),
    )
    await owner.add_blueprint_definition(definition)
    metadata = BlueprintMetadata(name="lamp", colony_name=colony.name)
    await async_user.add_blueprint(Blueprint(kind=kind, metadata=metadata, spec={"on": False}))
    await async_user.update_blueprint_status(colony.name, "lamp", {"on": False})
    updated = await async_user.update_blueprint_spec(colony.name, "lamp", {"on": True})
    assert updated.metadata.generation == 1
    stored = await async_user.get_blueprint(colony.name, "lamp")
    assert stored.spec == {"on": True}
    assert stored.status == {"on": False}
    graphs = await async_user.get_process_graphs(colony.name, ProcessState.ALL)
    assert graphs == []
