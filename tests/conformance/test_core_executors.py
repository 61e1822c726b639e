"""Executors (protocol 3.2, 6): registration by the owner, states, soft removal, re-adding."""

from __future__ import annotations

from typing import Any

from colonies.crypto import PrivateKey
from tests.conformance.target import ID, TIME, Colony, Target, normalise

ZERO = "0001-01-01T00:00:00Z"
CAPABILITIES = {
    "hardware": [
        {
            "model": "m",
            "cpu": "4000m",
            "cores": 4,
            "mem": "8Gi",
            "gpu": {"name": "a100", "count": 1},
        }
    ],
    "software": [{"name": "py", "type": "t", "version": "3"}],
}


def _state(target: Target, colony: Colony, name: str) -> int:
    executor = target.ok(
        colony.user_key, "getexecutormsg", colonyname=colony.name, executorname=name
    )
    return int(executor["state"])


def test_added_executors_are_pending_with_the_documented_shape(
    target: Target, colony: Colony
) -> None:
    key = PrivateKey.generate()
    added = target.add_executor(colony, key, "w2", state=1)
    assert normalise(added) == {
        "executorid": ID,
        "executortype": colony.executor_type,
        "executorname": "w2",
        "colonyname": colony.name,
        "state": 0,
        "requirefuncreg": False,
        "commissiontime": TIME,
        "lastheardfromtime": ZERO,
        "capabilities": {"hardware": None, "software": None},
        "allocations": {"projects": None},
    }
    assert added["executorid"] == key.id


def test_location_and_capabilities_are_echoed(target: Target, colony: Colony) -> None:
    added = target.add_executor(
        colony, PrivateKey.generate(), "w3", locationname="lab", capabilities=CAPABILITIES
    )
    assert added["locationname"] == "lab"
    assert added["capabilities"]["hardware"][0]["model"] == "m"
    assert added["capabilities"]["software"] == CAPABILITIES["software"]


def test_only_the_colony_owner_adds_executors(target: Target, colony: Colony) -> None:
    key = PrivateKey.generate()
    executor: dict[str, Any] = {
        "executorid": key.id,
        "executortype": colony.executor_type,
        "executorname": "self",
        "colonyname": colony.name,
    }
    for signer in (key, colony.user_key, colony.executor_key):
        assert target.fails(signer, "addexecutormsg", executor=executor) == (
            403,
            "Access denied, not colony owner",
        )


def test_pending_executors_list_executors_but_are_not_members(
    target: Target, colony: Colony
) -> None:
    key = PrivateKey.generate()
    target.add_executor(colony, key, "pending")
    names = {e["executorname"] for e in target.ok(key, "getexecutorsmsg", colonyname=colony.name)}
    assert names == {colony.executor_name, "pending"}
    assert target.fails(key, "getcolonymsg", colonyname=colony.name) == (
        403,
        f"Access denied, not a member of Colony with name <{colony.name}>",
    )


def test_approve_reject_and_remove_change_the_state(target: Target, colony: Colony) -> None:
    key = PrivateKey.generate()
    target.add_executor(colony, key, "w4")
    owner, name = colony.owner_key, colony.name
    assert target.ok(owner, "approveexecutormsg", colonyname=name, executorname="w4") == {}
    assert _state(target, colony, "w4") == 1
    assert target.ok(key, "getcolonymsg", colonyname=name)["name"] == name
    assert target.ok(owner, "rejectexecutormsg", colonyname=name, executorname="w4") == {}
    assert _state(target, colony, "w4") == 2
    assert target.fails(key, "getcolonymsg", colonyname=name)[0] == 403
    assert target.ok(owner, "removeexecutormsg", colonyname=name, executorname="w4") == {}
    assert _state(target, colony, "w4") == 3
    listed = target.ok(colony.user_key, "getexecutorsmsg", colonyname=name)
    assert {e["executorname"]: e["state"] for e in listed}["w4"] == 3


def test_state_changes_are_for_the_colony_owner(target: Target, colony: Colony) -> None:
    for msgtype in ("approveexecutormsg", "rejectexecutormsg", "removeexecutormsg"):
        for signer in (colony.user_key, colony.executor_key):
            assert target.fails(
                signer, msgtype, colonyname=colony.name, executorname=colony.executor_name
            ) == (403, "Access denied, not colony owner")


def test_unknown_executors(target: Target, colony: Colony) -> None:
    user, name = colony.user_key, colony.name
    assert target.fails(user, "getexecutormsg", colonyname=name, executorname="ghost") == (
        500,
        "Failed to get executor, executor is nil",
    )
    assert target.fails(
        user, "getexecutorbyidmsg", colonyname=name, executorid=PrivateKey.generate().id
    ) == (
        404,
        "Failed to get executor by ID, executor is nil",
    )
    assert target.fails(
        colony.owner_key, "approveexecutormsg", colonyname=name, executorname="ghost"
    ) == (
        500,
        "Failed to approve executor, executor is nil",
    )


def test_get_executor_by_id(target: Target, colony: Colony) -> None:
    got = target.ok(
        colony.user_key,
        "getexecutorbyidmsg",
        colonyname=colony.name,
        executorid=colony.executor_key.id,
    )
    assert (got["executorname"], got["state"]) == (colony.executor_name, 1)


def test_re_adding_a_name_takes_the_new_key_and_needs_approval(
    target: Target, colony: Colony
) -> None:
    new_key = PrivateKey.generate()
    added = target.add_executor(colony, new_key, colony.executor_name)
    assert (added["executorid"], added["state"]) == (new_key.id, 0)
    assert _state(target, colony, colony.executor_name) == 0
    assert target.fails(new_key, "getcolonymsg", colonyname=colony.name)[0] == 403
    target.ok(
        colony.owner_key,
        "approveexecutormsg",
        colonyname=colony.name,
        executorname=colony.executor_name,
    )
    assert target.ok(new_key, "getcolonymsg", colonyname=colony.name)["name"] == colony.name


def test_a_second_executor_with_the_same_id_is_stored_but_the_key_acts_as_the_first(
    target: Target, colony: Colony
) -> None:
    shared = colony.executor_key  # the approved executor's key, reused under a new name
    reply = target.add_executor(colony, shared, "second")
    assert (reply["executorname"], reply["state"]) == (colony.executor_name, 1)  # by ID (12)
    listed = target.ok(colony.user_key, "getexecutorsmsg", colonyname=colony.name)
    assert sorted(e["executorname"] for e in listed) == sorted([colony.executor_name, "second"])
    assert _state(target, colony, "second") == 0
    by_id = target.ok(shared, "getexecutorbyidmsg", colonyname=colony.name, executorid=shared.id)
    assert by_id["executorname"] == colony.executor_name
    target.ok(colony.owner_key, "rejectexecutormsg", colonyname=colony.name, executorname="second")
    assert _state(target, colony, colony.executor_name) == 2  # updated by ID: both records


def _running_process(target: Target, colony: Colony) -> dict[str, Any]:
    spec = {
        "funcname": "echo",
        "maxexectime": -1,
        "maxretries": -1,
        "conditions": {"colonyname": colony.name, "executortype": colony.executor_type},
    }
    submitted = target.ok(colony.user_key, "submitfuncspecmsg", spec=spec)
    assigned = target.ok(colony.executor_key, "assignprocessmsg", colonyname=colony.name, timeout=5)
    assert assigned["processid"] == submitted["processid"]
    return dict(assigned)


def test_removing_an_executor_requeues_its_running_processes(
    target: Target, colony: Colony
) -> None:
    process = _running_process(target, colony)
    target.ok(
        colony.owner_key,
        "removeexecutormsg",
        colonyname=colony.name,
        executorname=colony.executor_name,
    )
    after = target.ok(colony.user_key, "getprocessmsg", processid=process["processid"])
    assert (after["state"], after["isassigned"], after["assignedexecutorid"]) == (0, False, "")
    assert (after["starttime"], after["endtime"]) == (ZERO, ZERO)
    assert after["retries"] == process["retries"]


def test_re_adding_an_executor_requeues_the_old_ones_processes(
    target: Target, colony: Colony
) -> None:
    process = _running_process(target, colony)
    target.add_executor(colony, PrivateKey.generate(), colony.executor_name)
    after = target.ok(colony.user_key, "getprocessmsg", processid=process["processid"])
    assert (after["state"], after["isassigned"]) == (0, False)
