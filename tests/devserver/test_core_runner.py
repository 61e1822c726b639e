"""DevServer lifecycle: start, stop, restart, persistence, bootstrap and periodic tasks."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from colonies.crypto import PrivateKey
from colonies.devserver import DevServer, DevServerSettings, registry
from colonies.devserver.call import Call
from colonies.devserver.executors import APPROVED, UNREGISTERED
from colonies.devserver.state import EXECUTORS, ServerState
from colonies.devserver.store import key_of
from colonies.devserver.timefmt import format_time
from tests.conformance.target import Target
from tests.helpers import eventually


@registry.rpc("coretestwritethencrashmsg", "Failed to write then crash")
def _write_then_crash(call: Call) -> None:
    call.state.table("coretest").put("half-done", {"v": 1})
    raise RuntimeError("crash after a write")


def _target(server: DevServer) -> Target:
    return Target(server.url, server.server_key, real=False)


def test_bootstrap_gives_a_working_colony(dev_server: DevServer, dev_target: Target) -> None:
    boot = dev_server.bootstrap(
        "home", executor_type="home-reconciler", executor_name="rec-1", user_name="alice"
    )
    assert (boot.colony_name, boot.executor_type, boot.executor_name, boot.user_name) == (
        "home",
        "home-reconciler",
        "rec-1",
        "alice",
    )
    colony = {"colonyid": boot.colony_key.id, "name": "home"}
    assert dev_target.ok(boot.user_key, "getcolonymsg", colonyname="home") == colony
    executor = dev_target.ok(
        boot.executor_key, "getexecutormsg", colonyname="home", executorname="rec-1"
    )
    assert (executor["state"], executor["executortype"]) == (APPROVED, "home-reconciler")
    assert (
        dev_server.bootstrap(
            "home", executor_type="home-reconciler", executor_name="rec-1", user_name="alice"
        )
        == boot
    )


def test_bootstrap_refuses_a_colony_it_did_not_make(
    dev_server: DevServer, dev_target: Target
) -> None:
    owner = PrivateKey.generate()
    dev_target.ok(
        dev_server.server_key, "addcolonymsg", colony={"colonyid": owner.id, "name": "theirs"}
    )
    with pytest.raises(ValueError, match="not made by bootstrap"):
        dev_server.bootstrap("theirs")


def test_restart_with_a_database_keeps_everything_committed(tmp_path: Path) -> None:
    settings = DevServerSettings(database=tmp_path / "dev.sqlite")
    with DevServer(settings) as server:
        port, server_key = server.port, server.server_key
        boot = server.bootstrap("home")
        target = _target(server)
        target.ok(
            boot.colony_key, "addlocationmsg", location={"name": "Kitchen", "colonyname": "home"}
        )
        assert target.call(boot.user_key, "coretestwritethencrashmsg").status == 500
        server.restart()
        assert (server.port, server.server_key) == (port, server_key)
        assert target.ok(boot.executor_key, "getcolonymsg", colonyname="home")["name"] == "home"
        assert (
            target.ok(boot.user_key, "getlocationmsg", colonyname="home", name="Kitchen")["name"]
            == "Kitchen"
        )
        assert server.invoke(lambda state: state.table("coretest").get("half-done")) is None
        target.close()
    with DevServer(settings) as again:
        assert again.server_key == server_key
        assert again.bootstrap("home") == boot


def test_a_configured_server_key_wins_over_the_remembered_one(tmp_path: Path) -> None:
    database = tmp_path / "dev.sqlite"
    with DevServer(DevServerSettings(database=database)) as first:
        remembered = first.server_key
    configured = PrivateKey.generate()
    with DevServer(DevServerSettings(database=database, server_key=configured)) as second:
        assert second.server_key == configured != remembered
        assert second.state.server_id == configured.id


def test_restart_without_a_database_keeps_the_memory(
    dev_server: DevServer, dev_target: Target
) -> None:
    boot = dev_server.bootstrap("mem")
    dev_server.restart()
    assert dev_target.ok(boot.user_key, "getcolonymsg", colonyname="mem")["name"] == "mem"


def test_invoke_rolls_back_when_the_function_fails(dev_server: DevServer) -> None:
    def half_done(state: ServerState) -> None:
        state.table("coretest").put("x", {"v": 1})
        raise KeyError("nope")

    with pytest.raises(KeyError):
        dev_server.invoke(half_done)
    assert dev_server.invoke(lambda state: state.table("coretest").get("x")) is None


def test_a_taken_port_is_an_error(dev_server: DevServer) -> None:
    with pytest.raises(OSError):
        DevServer(DevServerSettings(port=dev_server.port)).start()


def test_stop_is_idempotent_and_state_needs_a_running_server() -> None:
    server = DevServer()
    server.stop()
    with pytest.raises(RuntimeError):
        _ = server.state
    server.start()
    assert server.running
    server.stop()
    server.stop()
    assert not server.running


async def test_async_context_manager() -> None:
    async with DevServer() as server:
        assert server.running
        assert server.url == f"http://127.0.0.1:{server.port}"
    assert not server.running


def test_stale_executors_are_unregistered_by_the_periodic_check() -> None:
    settings = DevServerSettings(stale_check_period=0.05, stale_executor_after=60.0)
    with DevServer(settings) as server:
        boot = server.bootstrap("stale")
        fresh = server.bootstrap("fresh")

        def heard(state: ServerState, colony: str, name: str, seconds_ago: float) -> None:
            row = state.executor(colony, name)
            assert row is not None
            row["lastheardfromtime"] = format_time(state.now() - timedelta(seconds=seconds_ago))
            state.table(EXECUTORS).put(key_of(colony, name), row)

        server.invoke(lambda state: heard(state, "stale", boot.executor_name, 120))
        server.invoke(lambda state: heard(state, "fresh", fresh.executor_name, 1))

        def executor_state(colony: str, name: str) -> int:
            return int(server.invoke(lambda state: (state.executor(colony, name) or {})["state"]))

        eventually(lambda: executor_state("stale", boot.executor_name) == UNREGISTERED)
        assert executor_state("fresh", fresh.executor_name) == APPROVED
