"""Processes and assignment (protocol 3.4, 5): shapes, statuses and messages."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from colonies.crypto import PrivateKey
from colonies.wire import encode_request
from tests.conformance.target import ID, TIME, Colony, Target, normalise
from tests.helpers import eventually

ZERO = "0001-01-01T00:00:00Z"


def spec(colony: Colony, **overrides: Any) -> dict[str, Any]:
    conditions = {"colonyname": colony.name, "executortype": colony.executor_type}
    conditions.update(overrides.pop("conditions", {}))
    return {"funcname": "echo", "maxexectime": -1, "maxretries": -1, "conditions": conditions,
            **overrides}  # fmt: skip


def submit(target: Target, colony: Colony, **overrides: Any) -> dict[str, Any]:
    result: dict[str, Any] = target.ok(
        colony.user_key, "submitfuncspecmsg", spec=spec(colony, **overrides)
    )
    return result


def assign(target: Target, colony: Colony, timeout: int = -1) -> Any:
    return target.call(
        colony.executor_key, "assignprocessmsg", colonyname=colony.name, timeout=timeout
    )


def running(target: Target, colony: Colony) -> str:
    """The ID of a process of the colony, assigned to its executor."""
    submit(target, colony)
    process = target.ok(colony.executor_key, "assignprocessmsg", colonyname=colony.name, timeout=-1)
    return str(process["processid"])


def test_submitted_process_has_the_documented_shape(target: Target, colony: Colony) -> None:
    process = submit(
        target, colony, nodename="n", args=[], kwargs={"k": 1}, env={}, priority=0, maxwaittime=0
    )
    assert normalise(process) == {
        "processid": ID, "initiatorid": ID, "initiatorname": colony.user_name,
        "assignedexecutorid": "", "isassigned": False, "state": 0,
        "prioritytime": process["prioritytime"], "submissiontime": TIME,
        "starttime": ZERO, "endtime": ZERO, "waitdeadline": ZERO, "execdeadline": ZERO,
        "retries": 0, "attributes": [],
        "spec": {
            "nodename": "n", "funcname": "echo", "args": [], "kwargs": {"k": 1}, "priority": 0,
            "maxwaittime": 0, "maxexectime": -1, "maxretries": -1,
            "conditions": {
                "colonyname": colony.name, "executornames": None,
                "executortype": colony.executor_type, "dependencies": [], "nodes": 0,
                "cpu": "0m", "processes": 0, "processespernode": 0, "mem": "0Mi",
                "storage": "0Mi", "gpu": {"name": "", "mem": "0Mi", "count": 0, "nodecount": 0},
                "walltime": 0,
            },
            "label": "", "fs": {"mount": "", "snapshots": None, "dirs": None}, "env": {},
        },
        "waitforparents": False, "parents": [], "children": [], "processgraphid": "",
        "in": [], "out": [], "errors": [],
    }  # fmt: skip
    assert isinstance(process["prioritytime"], int)


def test_submit_errors(target: Target, colony: Colony) -> None:
    key = colony.user_key
    assert target.fails(key, "submitfuncspecmsg") == (
        400,
        "Failed to submit process spec, msg.FunctionSpec is nil",
    )
    assert target.fails(key, "submitfuncspecmsg", spec=spec(colony, priority=-50001)) == (
        400,
        "Failed to submit function spec, priority outside range [-50000, 50000]",
    )
    assert target.fails(
        key, "submitfuncspecmsg", spec=spec(colony, conditions={"colonyname": ""})
    ) == (403, "Colony with name <> does not exists")


def test_get_and_list(target: Target, colony: Colony) -> None:
    key, name = colony.user_key, colony.name
    assert target.fails(PrivateKey.generate(), "getprocessmsg", processid="0" * 64) == (
        404,
        "Failed to get process, process not found",
    )
    assert target.ok(key, "getprocessesmsg", colonyname=name, count=10, state=0) is None
    assert target.fails(key, "getprocessesmsg", colonyname=name, count=101, state=0) == (
        400,
        "Count is larger than MaxCount limit <100>",
    )
    assert target.fails(key, "getprocessesmsg", colonyname=name, count=10, state=-1) == (
        400,
        "Failed to get processes, invalid msg.State",
    )
    ordered = [submit(target, colony, priority=p, label=str(p)) for p in (5, 5, 0, -5)]
    listed = target.ok(key, "getprocessesmsg", colonyname=name, count=10, state=0)
    assert [p["processid"] for p in listed] == [p["processid"] for p in ordered]


def test_assign_outcomes(target: Target, colony: Colony) -> None:
    name = colony.name
    assert target.fails(colony.executor_key, "assignprocessmsg", colonyname=name, timeout=0) == (
        400,
        "Invalid timeout value, timeout cannot be zero",
    )
    assert target.fails(colony.executor_key, "assignprocessmsg", colonyname=name, timeout=-1) == (
        404,
        "No process available for assignment",
    )
    assert target.fails(colony.user_key, "assignprocessmsg", colonyname=name, timeout=-1) == (
        500,
        "Failed to assign process, executor not found",
    )
    submit(target, colony, maxexectime=600)
    reply = assign(target, colony)
    assert (reply.result["state"], reply.result["isassigned"]) == (1, True)
    assert reply.result["execdeadline"] == ZERO
    fetched = target.ok(colony.user_key, "getprocessmsg", processid=reply.result["processid"])
    assert fetched["execdeadline"] != ZERO


def test_a_long_poll_given_up_by_its_client_takes_no_process(
    target: Target, colony: Colony
) -> None:
    message = {"msgtype": "assignprocessmsg", "colonyname": colony.name, "timeout": 20}
    with pytest.raises(httpx.ReadTimeout):  # the client closes the connection mid-poll
        target.http.post("/api", json=encode_request(message, colony.executor_key), timeout=0.5)
    submitted = submit(target, colony)
    assert assign(target, colony).result["processid"] == submitted["processid"], (
        "the abandoned poll ended with its request, as Go's request context does"
    )


def test_paused_assignments(target: Target, colony: Colony) -> None:
    owner, name = colony.owner_key, colony.name
    target.ok(owner, "pauseassignmentsmsg", colonyname=name)
    try:
        status = target.call(colony.user_key, "getpausestatusmsg", colonyname=name)
        assert status.payloadtype == "pausestatusreplymsg"
        assert status.result == {
            "msgtype": "pausestatusreplymsg",
            "colonyname": name,
            "ispaused": True,
        }
        assert target.fails(
            colony.executor_key, "assignprocessmsg", colonyname=name, timeout=-1
        ) == (
            503,
            "No processes available: colony assignments are paused",
        )
    finally:
        target.ok(owner, "resumeassignmentsmsg", colonyname=name)


def test_close_cancel_and_remove(target: Target, colony: Colony) -> None:
    key, executor = colony.user_key, colony.executor_key
    waiting = submit(target, colony)
    assert target.fails(executor, "closefailedmsg", processid=waiting["processid"]) == (
        403,
        "Failed to close process as failed, process is not assigned",
    )
    pid = assign(target, colony).result["processid"]
    assert target.fails(key, "closesuccessfulmsg", processid=pid) == (
        403,
        "Failed to close process as successful, not allowed to close process as successful",
    )
    assert target.fails(key, "removeprocessmsg", processid=pid) == (
        400,
        "Failed to remove process, cannot remove a running process",
    )
    target.ok(key, "cancelprocessmsg", processid=pid)
    assert target.fails(executor, "closesuccessfulmsg", processid=pid) == (
        400,
        "Tried to set cancelled process as successful",
    )
    assert target.fails(key, "cancelprocessmsg", processid=pid) == (
        400,
        "Tried to cancel already cancelled process",
    )
    assert target.fails(key, "removeprocessmsg", processid="0" * 64) == (
        500,
        "Failed to remove process, process is nil",
    )
    assert target.fails(
        colony.owner_key, "removeallprocessesmsg", colonyname=colony.name, state=1
    ) == (400, "Not possible to remove running processes")


def test_exec_time_zero_fails_after_assignment(target: Target, colony: Colony) -> None:
    key = colony.user_key
    target.ok(key, "submitfuncspecmsg", spec={"funcname": "trap", "conditions": {
        "colonyname": colony.name, "executortype": colony.executor_type}})  # fmt: skip
    pid = assign(target, colony).result["processid"]
    failed = eventually(
        lambda: (p := target.ok(key, "getprocessmsg", processid=pid))["state"] == 3 and p
    )
    assert failed["errors"] == ["Maximum execution time limit exceeded"]


def test_history_for_a_non_member_is_an_empty_200(target: Target, colony: Colony) -> None:
    message = {"msgtype": "getprocesshistmsg", "colonyname": colony.name, "seconds": 60, "state": 0}
    response = target.send(message, PrivateKey.generate())
    assert (response.status_code, response.content) == (200, b"")
