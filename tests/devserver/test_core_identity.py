"""Identity calls known from the server source only (protocol 3.1-3.3 "[src]" rows): ID
changes, executor self-updates and user lookup by ID. Tested here, not in the conformance
suite, because they were never checked against a live server."""

from __future__ import annotations

from colonies.crypto import PrivateKey
from colonies.devserver import Bootstrap, DevServer
from tests.conformance.target import Target


def _boot(dev_server: DevServer) -> Bootstrap:
    return dev_server.bootstrap("ids")


def test_change_user_id(dev_server: DevServer, dev_target: Target) -> None:
    boot, new = _boot(dev_server), PrivateKey.generate()
    assert dev_target.fails(boot.user_key, "changeuseridmsg", colonyname="ids", userid="") == (
        400,
        "Failed to change user Id, user Id is empty",
    )
    assert dev_target.fails(boot.user_key, "changeuseridmsg", colonyname="ids", userid="abc") == (
        400,
        "Failed to change user Id, new user Id is not 64 characters",
    )
    assert dev_target.fails(
        boot.executor_key, "changeuseridmsg", colonyname="ids", userid=new.id
    ) == (
        400,
        "Failed to change user Id, user not found",
    )
    reply = dev_target.ok(boot.user_key, "changeuseridmsg", colonyname="ids", userid=new.id)
    assert reply == {"msgtype": "changeuseridmsg", "colonyname": "ids", "userid": new.id}
    assert dev_target.ok(new, "getcolonymsg", colonyname="ids")["name"] == "ids"
    assert dev_target.fails(boot.user_key, "getcolonymsg", colonyname="ids")[0] == 403


def test_change_executor_id(dev_server: DevServer, dev_target: Target) -> None:
    boot, new = _boot(dev_server), PrivateKey.generate()
    dev_target.ok(boot.executor_key, "changeexecutoridmsg", colonyname="ids", executorid=new.id)
    executor = dev_target.ok(new, "getexecutorbyidmsg", colonyname="ids", executorid=new.id)
    assert (executor["executorname"], executor["state"]) == (boot.executor_name, 1)
    assert dev_target.fails(
        boot.user_key, "changeexecutoridmsg", colonyname="ids", executorid=new.id
    ) == (
        400,
        "Failed to change executor Id, executor not found",
    )


def test_change_colony_id_is_for_the_owner(dev_server: DevServer, dev_target: Target) -> None:
    boot, new = _boot(dev_server), PrivateKey.generate()
    assert dev_target.fails(
        boot.user_key, "changecolonyidmsg", colonyname="ids", colonyid=new.id
    ) == (
        403,
        "Access denied, not colony owner",
    )
    assert dev_target.fails(
        boot.colony_key, "changecolonyidmsg", colonyname="ids", colonyid="x"
    ) == (
        400,
        "Failed to change colony Id, new colony Id is not 64 characters",
    )
    dev_target.ok(boot.colony_key, "changecolonyidmsg", colonyname="ids", colonyid=new.id)
    assert dev_target.ok(boot.user_key, "getcolonymsg", colonyname="ids")["colonyid"] == new.id
    assert dev_target.ok(new, "removeusermsg", colonyname="ids", name=boot.user_name) == {}


def test_change_server_id_hands_over_ownership(dev_server: DevServer, dev_target: Target) -> None:
    new = PrivateKey.generate()
    dev_target.ok(dev_server.server_key, "changeserveridmsg", serverid=new.id)
    assert dev_target.ok(new, "getcoloniesmsg") is None
    assert dev_target.fails(dev_server.server_key, "getcoloniesmsg") == (
        403,
        "Access denied, not server owner",
    )
    dev_server.restart()
    assert dev_target.ok(new, "getcoloniesmsg") is None


def test_executors_update_only_themselves(dev_server: DevServer, dev_target: Target) -> None:
    boot = _boot(dev_server)
    capabilities = {"hardware": [{"model": "pi"}], "software": None}
    fields = {"colonyname": "ids", "executorname": boot.executor_name}
    dev_target.ok(boot.executor_key, "updateexecutormsg", capabilities=capabilities, **fields)
    dev_target.ok(
        boot.executor_key, "reportallocationmsg", allocations={"projects": {"p": {}}}, **fields
    )
    executor = dev_target.ok(boot.user_key, "getexecutormsg", **fields)
    assert executor["capabilities"] == capabilities
    assert executor["allocations"] == {"projects": {"p": {}}}
    assert dev_target.fails(
        boot.user_key, "updateexecutormsg", capabilities=capabilities, **fields
    ) == (
        400,
        "Only an executor can update its own capabilities",
    )
    assert dev_target.fails(
        boot.executor_key, "reportallocationmsg", colonyname="ids", executorname="ghost"
    ) == (
        400,
        "Executor with name <ghost> does not exist",
    )


def test_get_user_by_id(dev_server: DevServer, dev_target: Target) -> None:
    boot = _boot(dev_server)
    user = dev_target.ok(
        boot.executor_key, "getuserbyidmsg", colonyname="ids", userid=boot.user_key.id
    )
    assert user["name"] == boot.user_name
    assert dev_target.fails(boot.user_key, "getuserbyidmsg", colonyname="ids", userid="nope") == (
        404,
        "Failed to get user, user is nil",
    )
