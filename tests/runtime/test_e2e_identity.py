"""End to end: who the runtime is and which definition it relies on, and the clear errors
when either does not fit."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from typing import Any

import pytest

from colonies.models import ExecutorState, ProcessState
from colonies.runtime import ConfigurationError, Runtime, Settings
from colonies.runtime.definitions import build_definition
from colonies.runtime.identity import ExecutorIdentity, register
from colonies.runtime.schema import blueprint_schema
from colonies.testing import ThrowawayColony, unique_kind, unique_name
from colonies.testing.runner import ReconcilerRunner, runner_settings
from tests.runtime.lamps import LampBoard, Lamps, LampSpec


class PreLamps(Lamps):
    """A kind of its own, so definitions made here never meet the other tests' kind."""

    kind = "RtPreLamp"


@pytest.fixture(autouse=True)
def pre_lamp_kind(monkeypatch: pytest.MonkeyPatch) -> None:
    """A new kind per test: these tests define it with different executor types, and a real
    server picks the definition for reconcile and remove by kind in any colony (7.5)."""
    monkeypatch.setattr(PreLamps, "kind", unique_kind("RtPreLamp"))


def settings_without_owner(colony: ThrowawayColony, **identity: Any) -> Settings:
    settings = runner_settings(colony.target.config, colony.name, colony.owner_key)
    return dataclasses.replace(
        settings,
        identity=dataclasses.replace(settings.identity, colony_prvkey=None, **identity),
    )


async def test_the_runtime_registers_a_definition_generated_from_the_spec_model(
    colony: ThrowawayColony,
) -> None:
    async with ReconcilerRunner(PreLamps(), colony) as runner:
        definitions = await runner.client.get_blueprint_definitions(colony.name)
        (definition,) = definitions
        assert definition.spec.names.kind == PreLamps.kind
        assert definition.spec.handler is not None
        assert definition.spec.handler.executor_type == f"{PreLamps.kind.lower()}-reconciler"
        assert definition.spec.handler.function_name == "reconcile"
        assert definition.spec.schema_ == blueprint_schema(LampSpec)
        # the server enforces it: a spec the schema rejects never reaches the runtime
        with pytest.raises(Exception, match="required field 'power' is missing"):
            await runner.set_spec("x", {"level": 1})


async def test_a_preregistered_executor_key_and_definition_work_without_the_owner_key(
    colony: ThrowawayColony,
) -> None:
    with colony.client(colony.owner_key) as owner:
        owner.add_blueprint_definition(
            build_definition(PreLamps, colony.name, colony.executor_type)
        )
    settings = settings_without_owner(
        colony, prvkey=colony.executor_key, executor_type=colony.executor_type
    )
    board = LampBoard()
    async with ReconcilerRunner(PreLamps(board), colony, settings=settings) as runner:
        identity = runner.runtime.identity
        assert identity is not None
        assert identity.name == colony.executor_name
        assert identity.owner_key is None
        await runner.set_spec("desk", {"power": True})
        await runner.wait_converged("desk")
        assert board.devices["desk"].power is True


async def test_missing_definition_without_owner_key_is_a_clear_error(
    colony: ThrowawayColony,
) -> None:
    settings = settings_without_owner(
        colony, prvkey=colony.executor_key, executor_type=colony.executor_type
    )
    with pytest.raises(ConfigurationError, match="COLONIES_COLONY_PRVKEY"):
        async with Runtime(PreLamps(), settings):
            pass


async def test_a_mismatched_definition_is_a_clear_error(colony: ThrowawayColony) -> None:
    with colony.client(colony.owner_key) as owner:
        owner.add_blueprint_definition(build_definition(PreLamps, colony.name, "someone-else"))
    settings = runner_settings(colony.target.config, colony.name, colony.owner_key)
    with pytest.raises(ConfigurationError, match="executorType is 'someone-else'"):
        async with Runtime(PreLamps(), settings):
            pass


async def test_an_unknown_executor_key_is_a_clear_error(colony: ThrowawayColony) -> None:
    settings = settings_without_owner(colony, prvkey=colony.user_key)
    with pytest.raises(ConfigurationError, match="not an approved executor"):
        async with Runtime(PreLamps(), settings):
            pass


async def test_tls_against_a_plain_server_stops_start_up(colony: ThrowawayColony) -> None:
    """A handshake failure is a configuration error, not an outage to wait out."""
    settings = runner_settings(colony.target.config, colony.name, colony.owner_key)
    if settings.connection.tls:
        pytest.skip("the target serves TLS")
    settings = dataclasses.replace(
        settings, connection=dataclasses.replace(settings.connection, tls=True)
    )
    with pytest.raises(ConfigurationError, match="TLS handshake"):
        async with asyncio.timeout(60), Runtime(PreLamps(), settings):
            pass


async def test_a_restarted_runtime_takes_over_the_work_its_predecessor_left(
    colony: ThrowawayColony,
) -> None:
    name = unique_name("pod")
    same_name = {"COLONIES_EXECUTOR_NAME": name}
    old_board, new_board = LampBoard(), LampBoard()
    old = ReconcilerRunner(
        Lamps(old_board), colony, overrides=same_name, concurrency=1, grace_period=0.1
    )
    async with contextlib.AsyncExitStack() as old_running:
        await old_running.enter_async_context(old)
        old_board.hold("a")  # the old incarnation hangs in the middle of a reconcile
        await old.set_spec("a", {"power": True, "level": 7})
        await old_board.entered["a"].wait()
        async with ReconcilerRunner(Lamps(new_board), colony, overrides=same_name) as new:
            # registering the same name again made the server re-queue the hung process
            await new.wait_converged("a")
            assert [c.generation for c in new_board.commands_for("a")] == [0]
            assert new.runtime.identity is not None
            new_key = new.runtime.identity.key
            # stopping, the old incarnation abandons its held work but leaves the new
            # registration alone
            await old_running.aclose()
            async with colony.async_client() as user:
                executor = await user.get_executor(colony.name, name)
            assert executor.executor_id == new_key.id
            assert executor.state == ExecutorState.APPROVED
    assert old_board.commands == []


async def test_work_unfinished_after_the_grace_period_is_handed_back(
    colony: ThrowawayColony,
) -> None:
    board = LampBoard()
    runner = ReconcilerRunner(Lamps(board), colony, concurrency=1, grace_period=0.1)
    async with runner:
        board.hold("a")
        await runner.set_spec("a", {"power": True})
        await board.entered["a"].wait()
        identity = runner.runtime.identity
        assert identity is not None
    async with colony.async_client() as user:
        waiting = await user.get_processes(colony.name, state=ProcessState.WAITING)
        executor = await user.get_executor(colony.name, identity.name)
    assert len(waiting) == 1, "re-queued for another runtime"
    assert executor.state == ExecutorState.UNREGISTERED


async def test_a_wrong_owner_key_is_a_clear_error(colony: ThrowawayColony) -> None:
    settings = runner_settings(colony.target.config, colony.name, colony.user_key)
    with pytest.raises(ConfigurationError, match=r"refused start-up: .*not colony owner"):
        async with Runtime(PreLamps(), settings):
            pass


async def test_a_preregistered_key_another_executor_shares_stops_with_a_clear_error(
    colony: ThrowawayColony,
) -> None:
    with colony.client(colony.owner_key) as owner:  # a second record with the same ID
        owner.add_executor(colony.executor_key.id, "second", colony.executor_type, colony.name)
    settings = settings_without_owner(
        colony, prvkey=colony.executor_key, executor_type=colony.executor_type
    )
    with pytest.raises(ConfigurationError, match=r"also belongs to executor .*own key"):
        async with Runtime(PreLamps(), settings):
            pass


async def test_registering_a_key_another_executor_has_adds_nothing(
    colony: ThrowawayColony,
) -> None:
    identity = ExecutorIdentity(
        key=colony.executor_key,  # already the colony's executor
        name=unique_name("second"),
        executor_type=colony.executor_type,
        location=None,
        owner_key=colony.owner_key,
    )
    async with colony.async_client() as client:
        with pytest.raises(ConfigurationError, match=r"also belongs to executor"):
            await register(client, colony.name, identity)
        names = [e.executor_name for e in await client.get_executors(colony.name)]
    assert identity.name not in names
    assert colony.executor_name in names
