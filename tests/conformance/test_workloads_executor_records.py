"""What an executor records while it works (protocol 3.4, 3.8, 9): output set on a running
process, process attributes, and the functions it registers."""

from __future__ import annotations

from typing import Any

from colonies.crypto import PrivateKey
from colonies.testing.targets import unique_name
from tests.conformance.target import ID, Colony, Target, normalise
from tests.conformance.test_workloads_processes import running

NOT_RUNNING = "Failed to set output, process is not running"


def output_of(target: Target, colony: Colony, pid: str) -> Any:
    return target.ok(colony.user_key, "getprocessmsg", processid=pid)["out"]


def test_set_output_replaces_out_while_running(target: Target, colony: Colony) -> None:
    executor, pid = colony.executor_key, running(target, colony)
    assert target.ok(executor, "setoutputmsg", processid=pid, out=["a", 1]) == {}
    assert output_of(target, colony, pid) == ["a", 1]
    target.ok(executor, "setoutputmsg", processid=pid, out=[])  # an empty list is a no-op
    assert output_of(target, colony, pid) == ["a", 1]
    target.ok(executor, "setoutputmsg", processid=pid, out=["b"])
    assert output_of(target, colony, pid) == ["b"]
    # Only the assigned executor may set output: the status is [src] (its message is the
    # close-as-successful text there), so only the status is compared.
    status, _ = target.fails(colony.user_key, "setoutputmsg", processid=pid, out=["x"])
    assert status == 403
    target.ok(executor, "closesuccessfulmsg", processid=pid, out=["done"])
    assert target.fails(executor, "setoutputmsg", processid=pid, out=["late"]) == (
        403,
        NOT_RUNNING,
    )
    assert output_of(target, colony, pid) == ["done"]


def attribute(colony: Colony, pid: str, **fields: Any) -> dict[str, Any]:
    return {"targetid": pid, "targetcolonyname": colony.name, "targetprocessgraphid": "",
            "attributetype": 1, "key": "progress", "value": "50", **fields}  # fmt: skip


def test_attributes_of_a_running_process(target: Target, colony: Colony) -> None:
    pid = running(target, colony)
    added = target.ok(colony.executor_key, "addattributemsg", attribute=attribute(colony, pid))
    assert normalise(added) == {
        "attributeid": ID, "targetid": ID, "targetcolonyname": colony.name,
        "targetprocessgraphid": "", "state": 0, "attributetype": 1, "key": "progress",
        "value": "50",
    }  # fmt: skip
    assert added["targetid"] == pid
    fetched = target.ok(colony.user_key, "getattributemsg", attributeid=added["attributeid"])
    assert fetched == added
    process = target.ok(colony.user_key, "getprocessmsg", processid=pid)
    assert [(a["attributeid"], a["key"], a["value"]) for a in process["attributes"]] == [
        (added["attributeid"], "progress", "50")
    ]
    assert target.fails(
        colony.user_key, "addattributemsg", attribute=attribute(colony, pid, key="other")
    ) == (
        403,
        "Failed to add attribute, only executor with id "
        f"<{colony.executor_key.id}> is allowed to set attributes",
    )


def function(colony: Colony, **fields: Any) -> dict[str, Any]:
    return {"executorname": colony.executor_name, "executortype": colony.executor_type,
            "colonyname": colony.name, "funcname": "echo", "description": "d",
            "args": [{"name": "a", "type": "string"}], **fields}  # fmt: skip


def test_functions_register_list_and_remove(target: Target, colony: Colony) -> None:
    key, executor = colony.user_key, colony.executor_key

    def listed(executor_name: str = "") -> Any:
        return target.ok(key, "getfunctionsmsg", executorname=executor_name, colonyname=colony.name)

    assert listed() is None
    added = target.ok(executor, "addfunctionmsg", fun=function(colony))
    statistics = ("minwaittime", "maxwaittime", "minexectime", "maxexectime", "avgwaittime",
                  "avgexectime")  # fmt: skip
    assert normalise(added) == {
        "functionid": ID,
        **function(colony),
        "counter": 0,
        **dict.fromkeys(statistics, 0),
    }
    other, other_name = PrivateKey.generate(), unique_name("executor")
    target.add_executor(colony, other, other_name)
    target.ok(
        colony.owner_key, "approveexecutormsg", colonyname=colony.name, executorname=other_name
    )
    bare = function(colony, executorname=other_name, funcname="bare", description="", args=[])
    assert set(target.ok(other, "addfunctionmsg", fun=bare)).isdisjoint({"description", "args"})
    assert [f["funcname"] for f in listed(colony.executor_name)] == ["echo"]
    assert sorted(f["funcname"] for f in listed()) == ["bare", "echo"]  # the whole colony
    # Registering or removing another executor's function: [src] only, so status only.
    status, _ = target.fails(key, "addfunctionmsg", fun=function(colony, funcname="theirs"))
    assert status == 403
    status, _ = target.fails(key, "removefunctionmsg", functionid=added["functionid"])
    assert status == 403
    assert target.ok(executor, "removefunctionmsg", functionid=added["functionid"]) == {}
    assert [f["funcname"] for f in listed()] == ["bare"]
