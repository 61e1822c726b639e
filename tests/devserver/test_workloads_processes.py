"""Process RPCs over the wire: submit, get, list, history, remove, cancel, close, set output."""

from __future__ import annotations

import httpx

from colonies.crypto import PrivateKey
from colonies.devserver import Bootstrap, DevServer
from colonies.wire import encode_request
from tests.devserver.test_workloads_wire import (
    Wire,
    assign,
    boot_fixture,
    fn_spec,
    server_fixture,
    submit,
    wire_fixture,
)

server = server_fixture()
wire = wire_fixture()
boot = boot_fixture()


# -- submit --


def test_submit_returns_the_servers_process_json(wire: Wire, boot: Bootstrap) -> None:
    process = submit(wire, boot, kwargs={"a": 1}, channels=["chat"])
    assert list(process) == [
        "processid", "initiatorid", "initiatorname", "assignedexecutorid", "isassigned",
        "state", "prioritytime", "submissiontime", "starttime", "endtime", "waitdeadline",
        "execdeadline", "retries", "attributes", "spec", "waitforparents", "parents",
        "children", "processgraphid", "in", "out", "errors",
    ]  # fmt: skip
    assert process["state"] == 0
    assert process["initiatorid"] == boot.user_key.id
    assert process["initiatorname"] == boot.user_name
    assert process["starttime"] == "0001-01-01T00:00:00Z"
    assert process["attributes"] == process["parents"] == process["in"] == []
    spec = process["spec"]
    assert isinstance(spec, dict)
    conditions = spec["conditions"]
    assert conditions["cpu"] == "0m"
    assert conditions["mem"] == conditions["storage"] == conditions["gpu"]["mem"] == "0Mi"
    assert conditions["executornames"] is None
    assert conditions["dependencies"] == []
    assert "locationname" not in conditions
    assert spec["env"] == {}
    assert spec["channels"] == ["chat"]


def test_env_becomes_env_attributes(wire: Wire, boot: Bootstrap) -> None:
    process = submit(wire, boot, env={"MODE": "fast"})
    [attribute] = process["attributes"]
    assert attribute["attributetype"] == 3
    assert (attribute["key"], attribute["value"]) == ("MODE", "fast")
    assert attribute["targetid"] == process["processid"]


def test_priority_moves_prioritytime_by_days(wire: Wire, boot: Bootstrap) -> None:
    low = submit(wire, boot, priority=0)
    high = submit(wire, boot, priority=2)
    day = 86_400 * 10**9
    assert int(low["prioritytime"]) - int(high["prioritytime"]) > 2 * day - 10 * 10**9


def test_waitdeadline_is_set_at_submit(wire: Wire, boot: Bootstrap) -> None:
    process = submit(wire, boot, maxwaittime=60)
    assert process["waitdeadline"] != "0001-01-01T00:00:00Z"


def test_submit_errors(wire: Wire, boot: Bootstrap) -> None:
    key = boot.user_key
    assert wire.fails(key, "submitfuncspecmsg") == (
        400,
        "Failed to submit process spec, msg.FunctionSpec is nil",
    )
    assert wire.fails(key, "submitfuncspecmsg", spec=fn_spec(boot, priority=50001)) == (
        400,
        "Failed to submit function spec, priority outside range [-50000, 50000]",
    )
    spec = fn_spec(boot, conditions={"colonyname": ""})
    assert wire.fails(key, "submitfuncspecmsg", spec=spec) == (
        403,
        "Colony with name <> does not exists",
    )
    assert wire.fails(key, "submitfuncspecmsg", spec=fn_spec(boot, priority="high"))[0] == 400
    stranger = PrivateKey.generate()
    assert wire.fails(stranger, "submitfuncspecmsg", spec=fn_spec(boot)) == (
        403,
        f"Access denied, not a member of Colony with name <{boot.colony_name}>",
    )


def test_executor_submits_under_its_own_name(wire: Wire, boot: Bootstrap) -> None:
    process = wire.ok(boot.executor_key, "submitfuncspecmsg", spec=fn_spec(boot))
    assert process["initiatorname"] == boot.executor_name


# -- get and list --


def test_get_checks_existence_before_membership(wire: Wire, boot: Bootstrap) -> None:
    stranger = PrivateKey.generate()
    assert wire.fails(stranger, "getprocessmsg", processid="nope") == (
        404,
        "Failed to get process, process not found",
    )
    process = submit(wire, boot)
    assert wire.fails(stranger, "getprocessmsg", processid=process["processid"])[0] == 403
    assert wire.ok(boot.user_key, "getprocessmsg", processid=process["processid"]) == process


def test_list_validation_and_null_when_empty(wire: Wire, boot: Bootstrap) -> None:
    key, name = boot.user_key, boot.colony_name
    assert wire.ok(key, "getprocessesmsg", colonyname=name, count=10, state=0) is None
    assert wire.fails(key, "getprocessesmsg", colonyname=name, count=101, state=0) == (
        400,
        "Count is larger than MaxCount limit <100>",
    )
    for state in (-1, 5):
        assert wire.fails(key, "getprocessesmsg", colonyname=name, count=10, state=state) == (
            400,
            "Failed to get processes, invalid msg.State",
        )
    assert wire.fails(
        key, "getprocessesmsg", colonyname=name, count=10, state=0, initiator="ghost"
    ) == (400, "User <ghost> does not exist")


def test_list_orders_waiting_by_priority_and_applies_one_filter(
    wire: Wire, boot: Bootstrap
) -> None:
    key, name = boot.user_key, boot.colony_name
    first = submit(wire, boot, label="a")
    urgent = submit(wire, boot, label="b", priority=5)
    other_type = submit(wire, boot, label="a", conditions={"executortype": "other"})
    listed = wire.ok(key, "getprocessesmsg", colonyname=name, count=10, state=0)
    assert [p["processid"] for p in listed] == [
        urgent["processid"],
        first["processid"],
        other_type["processid"],
    ]
    by_label = wire.ok(key, "getprocessesmsg", colonyname=name, count=10, state=0, label="a")
    assert {p["processid"] for p in by_label} == {first["processid"], other_type["processid"]}
    # executortype wins over label
    by_type = wire.ok(
        key, "getprocessesmsg", colonyname=name, count=10, state=0, label="a", executortype="other"
    )
    assert [p["processid"] for p in by_type] == [other_type["processid"]]
    assert len(wire.ok(key, "getprocessesmsg", colonyname=name, count=1, state=0)) == 1


def test_history_for_a_non_member_is_an_empty_200(server: DevServer, boot: Bootstrap) -> None:
    message = {"msgtype": "getprocesshistmsg", "colonyname": boot.colony_name, "seconds": 60}
    response = httpx.post(f"{server.url}/api", json=encode_request(message, PrivateKey.generate()))
    assert (response.status_code, response.content) == (200, b"")


def test_history_lists_recent_processes_in_a_state(wire: Wire, boot: Bootstrap) -> None:
    process = submit(wire, boot)
    found = wire.ok(
        boot.user_key, "getprocesshistmsg", colonyname=boot.colony_name, seconds=60, state=0
    )
    assert [p["processid"] for p in found] == [process["processid"]]


# -- remove and cancel --


def test_remove_rules(wire: Wire, boot: Bootstrap) -> None:
    key = boot.user_key
    assert wire.fails(key, "removeprocessmsg", processid="nope") == (
        500,
        "Failed to remove process, process is nil",
    )
    running = submit(wire, boot)
    assign(wire, boot)
    assert wire.fails(key, "removeprocessmsg", processid=running["processid"]) == (
        400,
        "Failed to remove process, cannot remove a running process",
    )
    waiting = submit(wire, boot)
    wire.ok(key, "removeprocessmsg", processid=waiting["processid"])
    assert wire.fails(key, "getprocessmsg", processid=waiting["processid"])[0] == 404
    graph = wire.ok(
        key,
        "submitworkflowspecmsg",
        spec={"colonyname": boot.colony_name, "functionspecs": [fn_spec(boot, nodename="n")]},
    )
    assert wire.fails(key, "removeprocessmsg", processid=graph["processids"][0]) == (
        400,
        "Failed to remove, cannot remove a process part of a workflow, "
        "delete the entire workflow instead",
    )


def test_remove_all_by_state(wire: Wire, boot: Bootstrap) -> None:
    owner, name = boot.colony_key, boot.colony_name
    submit(wire, boot)
    submit(wire, boot)
    assign(wire, boot)
    assert wire.fails(owner, "removeallprocessesmsg", colonyname=name, state=1) == (
        400,
        "Not possible to remove running processes",
    )
    assert wire.fails(owner, "removeallprocessesmsg", colonyname=name, state=7) == (
        400,
        "Invalid state when deleting all processes",
    )
    assert wire.fails(boot.user_key, "removeallprocessesmsg", colonyname=name, state=-1) == (
        403,
        "Access denied, not colony owner",
    )
    wire.ok(owner, "removeallprocessesmsg", colonyname=name, state=0)
    assert wire.ok(boot.user_key, "getprocessesmsg", colonyname=name, count=10, state=0) is None
    assert len(wire.ok(boot.user_key, "getprocessesmsg", colonyname=name, count=10, state=1)) == 1
    wire.ok(owner, "removeallprocessesmsg", colonyname=name, state=-1)
    assert wire.ok(boot.user_key, "getprocessesmsg", colonyname=name, count=10, state=1) is None


def test_cancel_waiting_and_running(wire: Wire, boot: Bootstrap) -> None:
    key = boot.user_key
    waiting = submit(wire, boot)
    wire.ok(key, "cancelprocessmsg", processid=waiting["processid"])
    assert wire.ok(key, "getprocessmsg", processid=waiting["processid"])["state"] == 4
    assert wire.fails(key, "cancelprocessmsg", processid=waiting["processid"]) == (
        400,
        "Tried to cancel already cancelled process",
    )
    running = submit(wire, boot)
    assign(wire, boot)
    wire.ok(key, "cancelprocessmsg", processid=running["processid"])
    cancelled = wire.ok(key, "getprocessmsg", processid=running["processid"])
    assert (cancelled["state"], cancelled["isassigned"]) == (4, True)
    assert cancelled["assignedexecutorid"] == boot.executor_key.id
    assert wire.fails(boot.executor_key, "closesuccessfulmsg", processid=running["processid"]) == (
        400,
        "Tried to set cancelled process as successful",
    )


# -- close and set output --


def test_close_permissions_and_texts(wire: Wire, boot: Bootstrap) -> None:
    executor = boot.executor_key
    assert wire.fails(executor, "closesuccessfulmsg", processid="nope") == (
        500,
        "Failed to close process as successful, process is nil",
    )
    waiting = submit(wire, boot)
    assert wire.fails(executor, "closefailedmsg", processid=waiting["processid"]) == (
        403,
        "Failed to close process as failed, process is not assigned",
    )
    process = assign(wire, boot)
    pid = process["processid"]
    assert wire.fails(boot.user_key, "closesuccessfulmsg", processid=pid) == (
        403,
        "Failed to close process as successful, not allowed to close process as successful",
    )
    assert wire.fails(boot.user_key, "closefailedmsg", processid=pid) == (
        403,
        "Failed to close process as failed, not allowed to close process as failed",
    )
    wire.ok(executor, "closesuccessfulmsg", processid=pid, out=["done"])
    wire.ok(executor, "closesuccessfulmsg", processid=pid)  # closing twice is allowed
    closed = wire.ok(boot.user_key, "getprocessmsg", processid=pid)
    assert (closed["state"], closed["out"]) == (2, ["done"])
    assert closed["endtime"] != "0001-01-01T00:00:00Z"
    assert wire.fails(executor, "closefailedmsg", processid=pid) == (
        400,
        "Tried to set successful process as failed",
    )


def test_close_failed_records_errors(wire: Wire, boot: Bootstrap) -> None:
    submit(wire, boot)
    pid = assign(wire, boot)["processid"]
    wire.ok(boot.executor_key, "closefailedmsg", processid=pid, errors=["boom"])
    failed = wire.ok(boot.user_key, "getprocessmsg", processid=pid)
    assert (failed["state"], failed["errors"]) == (3, ["boom"])
    assert wire.fails(boot.executor_key, "closesuccessfulmsg", processid=pid) == (
        400,
        "Tried to set failed process as successful",
    )


def test_set_output(wire: Wire, boot: Bootstrap) -> None:
    submit(wire, boot)
    pid = assign(wire, boot)["processid"]
    wire.ok(boot.executor_key, "setoutputmsg", processid=pid, out=[1, 2])
    wire.ok(boot.executor_key, "setoutputmsg", processid=pid, out=[])  # empty: no-op
    assert wire.ok(boot.user_key, "getprocessmsg", processid=pid)["out"] == [1, 2]
    assert wire.fails(boot.user_key, "setoutputmsg", processid=pid, out=[3])[0] == 403
    wire.ok(boot.executor_key, "closesuccessfulmsg", processid=pid)
    assert wire.fails(boot.executor_key, "setoutputmsg", processid=pid, out=[3]) == (
        403,
        "Failed to set output, process is not running",
    )
