"""Logs, functions, attributes and files over the wire (protocol 3.4, 3.8, 3.10)."""

from __future__ import annotations

from typing import Any

from colonies.crypto import PrivateKey
from colonies.devserver import Bootstrap, DevServer, events
from colonies.devserver.functions import updated_statistics
from colonies.devserver.logs import select_logs
from colonies.devserver.state import ServerState
from tests.devserver.test_workloads_wire import (
    Wire,
    boot_fixture,
    server_fixture,
    start_process,
    wire_fixture,
)

server = server_fixture()
wire = wire_fixture()
boot = boot_fixture()


# -- logs --


def test_add_and_get_logs(wire: Wire, boot: Bootstrap) -> None:
    pid = start_process(wire, boot)
    key, name = boot.user_key, boot.colony_name
    assert wire.ok(key, "getlogsmsg", colonyname=name, processid=pid, count=10) is None
    for n in range(3):
        wire.ok(boot.executor_key, "addlogmsg", processid=pid, message=f"line {n}\n")
    logs = wire.ok(key, "getlogsmsg", colonyname=name, processid=pid, count=10)
    assert [log["message"] for log in logs] == ["line 0\n", "line 1\n", "line 2\n"]
    assert set(logs[0]) == {"processid", "colonyname", "executorname", "message", "timestamp"}
    assert logs[0]["executorname"] == boot.executor_name
    since = wire.ok(
        key, "getlogsmsg", colonyname=name, processid=pid, count=10, since=logs[0]["timestamp"]
    )
    assert [log["message"] for log in since] == ["line 1\n", "line 2\n"]
    latest = wire.ok(key, "getlogsmsg", colonyname=name, processid=pid, count=1, latest=True)
    assert [log["message"] for log in latest] == ["line 2\n"]
    by_executor = wire.ok(
        key, "getlogsmsg", colonyname=name, executorname=boot.executor_name, count=10
    )
    assert len(by_executor) == 3
    found = wire.ok(key, "searchlogsmsg", colonyname=name, text="line 1", days=1, count=10)
    assert [log["message"] for log in found] == ["line 1\n"]


def test_log_errors(wire: Wire, boot: Bootstrap) -> None:
    pid = start_process(wire, boot)
    key, name = boot.user_key, boot.colony_name
    assert wire.fails(key, "addlogmsg", processid=pid, message="x") == (
        403,
        "Failed to add log, not allowed to add log, only the assigned Executor may att logs",
    )
    assert wire.fails(key, "getlogsmsg", colonyname=name, processid=pid, count=501) == (
        403,
        "Count exceeds max log count (500)",
    )
    assert wire.fails(key, "getlogsmsg", colonyname=name, processid="nope", count=1) == (
        500,
        "Failed to get logs, process does not exist",
    )
    assert wire.fails(key, "getlogsmsg", colonyname=name, executorname="ghost", count=1) == (
        500,
        "Failed to get logs, executor does not exist",
    )
    wire.ok(boot.executor_key, "closesuccessfulmsg", processid=pid)
    assert wire.fails(boot.executor_key, "addlogmsg", processid=pid, message="late") == (
        403,
        "Failed to set output, process is not running",
    )


def test_log_selection() -> None:
    logs = [{"timestamp": t} for t in (30, 10, 20)]
    assert select_logs(logs, count=2, since=0, latest=False) == [
        {"timestamp": 10},
        {"timestamp": 20},
    ]
    assert select_logs(logs, count=2, since=0, latest=True) == [
        {"timestamp": 20},
        {"timestamp": 30},
    ]
    assert select_logs(logs, count=5, since=15, latest=False) == [
        {"timestamp": 20},
        {"timestamp": 30},
    ]


# -- functions --


def function(boot: Bootstrap, **fields: Any) -> dict[str, Any]:
    return {
        "executorname": boot.executor_name,
        "executortype": boot.executor_type,
        "colonyname": boot.colony_name,
        "funcname": "echo",
        **fields,
    }


def test_functions(wire: Wire, boot: Bootstrap) -> None:
    key, name = boot.user_key, boot.colony_name
    assert wire.ok(key, "getfunctionsmsg", colonyname=name) is None
    added = wire.ok(boot.executor_key, "addfunctionmsg", fun=function(boot))
    assert list(added) == [
        "functionid", "executorname", "executortype", "colonyname", "funcname", "counter",
        "minwaittime", "maxwaittime", "minexectime", "maxexectime", "avgwaittime", "avgexectime",
    ]  # fmt: skip
    assert wire.fails(key, "addfunctionmsg", fun=function(boot)) == (
        403,
        "Not allowed to add a function to another executor",
    )
    assert wire.fails(
        boot.executor_key, "addfunctionmsg", fun=function(boot, executorname="x")
    ) == (
        400,
        "Failed to add function, Executor with name <x> does not exist",
    )
    pid = start_process(wire, boot)
    wire.ok(boot.executor_key, "closesuccessfulmsg", processid=pid)
    [listed] = wire.ok(key, "getfunctionsmsg", colonyname=name, executorname=boot.executor_name)
    assert listed["counter"] == 1
    assert wire.fails(key, "removefunctionmsg", functionid=added["functionid"]) == (
        403,
        "Not allowed to remove a function from another executor",
    )
    wire.ok(boot.executor_key, "removefunctionmsg", functionid=added["functionid"])
    assert wire.ok(key, "getfunctionsmsg", colonyname=name) is None


def test_unregistering_an_executor_removes_its_functions(
    server: DevServer, wire: Wire, boot: Bootstrap
) -> None:
    wire.ok(boot.executor_key, "addfunctionmsg", fun=function(boot))

    def unregister(state: ServerState) -> None:
        state.events.emit(
            events.EXECUTOR_UNREGISTERED, state.executor(boot.colony_name, boot.executor_name)
        )

    server.invoke(unregister)
    assert wire.ok(boot.user_key, "getfunctionsmsg", colonyname=boot.colony_name) is None


def test_function_statistics() -> None:
    fresh = {"counter": 0, **dict.fromkeys(("minwaittime", "maxwaittime", "minexectime",
             "maxexectime", "avgwaittime", "avgexectime"), 0)}  # fmt: skip
    once = updated_statistics(fresh, 2.0, 4.0)
    twice = updated_statistics(once, 1.0, 8.0)
    assert twice["counter"] == 2
    assert (twice["minwaittime"], twice["maxwaittime"], twice["avgwaittime"]) == (1.0, 2.0, 1.5)
    assert (twice["minexectime"], twice["maxexectime"], twice["avgexectime"]) == (4.0, 8.0, 6.0)


# -- attributes --


def test_attributes(wire: Wire, boot: Bootstrap) -> None:
    pid = start_process(wire, boot)
    attribute = {"targetid": pid, "targetcolonyname": boot.colony_name, "attributetype": 1,
                 "key": "progress", "value": "50"}  # fmt: skip
    assert wire.fails(boot.user_key, "addattributemsg", attribute=attribute) == (
        403,
        f"Failed to add attribute, only executor with id <{boot.executor_key.id}> "
        "is allowed to set attributes",
    )
    added = wire.ok(boot.executor_key, "addattributemsg", attribute=attribute)
    assert (added["state"], added["key"], added["value"]) == (0, "progress", "50")
    assert wire.ok(boot.user_key, "getattributemsg", attributeid=added["attributeid"]) == added
    process = wire.ok(boot.user_key, "getprocessmsg", processid=pid)
    assert process["attributes"] == [added]


# -- files --


def file(boot: Bootstrap, name: str = "a.txt", **fields: Any) -> dict[str, Any]:
    ref = {"protocol": "s3", "s3object": {"object": f"obj-{name}", "bucket": "b"}}
    return {"colonyname": boot.colony_name, "label": "/data", "name": name, "size": 3,
            "checksum": "abc", "checksumalg": "SHA256", "ref": ref, **fields}  # fmt: skip


def test_file_revisions_and_lookups(wire: Wire, boot: Bootstrap) -> None:
    key, name = boot.user_key, boot.colony_name
    first = wire.ok(key, "addfilemsg", file=file(boot))
    second = wire.ok(key, "addfilemsg", file=file(boot, checksum="def"))
    assert (first["sequencenr"], second["sequencenr"]) == (1, 2)
    assert first["ref"]["s3object"]["port"] == 0
    assert wire.ok(key, "getfilemsg", colonyname=name, fileid=first["fileid"]) == [first]
    assert wire.fails(key, "getfilemsg", colonyname=name, fileid="nope") == (
        400,
        "Failed to get file",
    )
    both = wire.ok(key, "getfilemsg", colonyname=name, label="/data", name="a.txt")
    assert [f["sequencenr"] for f in both] == [1, 2]
    latest = wire.ok(key, "getfilemsg", colonyname=name, label="/data", name="a.txt", latest=True)
    assert latest == [second]
    assert wire.ok(key, "getfilesmsg", colonyname=name, label="/data") == [
        {"name": "a.txt", "checksum": "def", "size": 3, "s3filename": "obj-a.txt"}
    ]
    assert wire.ok(key, "getfilesmsg", colonyname=name, label="/none") == []
    wire.ok(key, "addfilemsg", file=file(boot, "b.txt", label="/data/sub"))
    labels = wire.ok(key, "getfilelabelsmsg", colonyname=name)
    assert labels == [{"name": "/data", "files": 1}, {"name": "/data/sub", "files": 1}]
    exact = wire.ok(key, "getfilelabelsmsg", colonyname=name, name="/data", exact=True)
    assert exact == [{"name": "/data", "files": 1}]
    assert wire.ok(key, "getfilelabelsmsg", colonyname=name, name="/zzz") is None
    wire.ok(key, "removefilemsg", colonyname=name, label="/data", name="a.txt")
    assert wire.fails(key, "getfilemsg", colonyname=name, label="/data", name="a.txt") == (
        404,
        "Failed to get file",
    )
    assert (
        wire.fails(PrivateKey.generate(), "getfilesmsg", colonyname=name, label="/data")[0] == 403
    )
