"""Logs, files, generators and channels (protocol 3.7-3.10); their WebSocket subscriptions
are in ``test_workloads_subscriptions``."""

from __future__ import annotations

import json
from typing import Any

from tests.conformance.target import ID, ZERO_TIME, Colony, Target, normalise
from tests.conformance.test_workloads_processes import running, spec
from tests.helpers import eventually


def test_logs(target: Target, colony: Colony) -> None:
    pid = running(target, colony)
    key, name = colony.user_key, colony.name
    assert target.ok(key, "getlogsmsg", colonyname=name, processid=pid, count=10) is None
    target.ok(colony.executor_key, "addlogmsg", processid=pid, message="hello log 1\n")
    [log] = target.ok(key, "getlogsmsg", colonyname=name, processid=pid, count=10)
    assert set(log) == {"processid", "colonyname", "executorname", "message", "timestamp"}
    assert isinstance(log["timestamp"], int)
    assert target.fails(key, "addlogmsg", processid=pid, message="x") == (
        403,
        "Failed to add log, not allowed to add log, only the assigned Executor may att logs",
    )
    assert target.fails(key, "getlogsmsg", colonyname=name, processid=pid, count=501) == (
        403,
        "Count exceeds max log count (500)",
    )


def test_search_logs(target: Target, colony: Colony) -> None:
    pid = running(target, colony)
    for message in ("found the needle here\n", "nothing to see\n"):
        target.ok(colony.executor_key, "addlogmsg", processid=pid, message=message)

    def search(text: str) -> Any:
        return target.ok(colony.user_key, "searchlogsmsg", colonyname=colony.name, text=text,
                         days=1, count=10)  # fmt: skip

    [found] = search("needle")
    assert (found["processid"], found["message"]) == (pid, "found the needle here\n")
    assert search("absent") is None


def file(colony: Colony, label: str, name: str) -> dict[str, Any]:
    return {"colonyname": colony.name, "label": label, "name": name, "size": 3,
            "checksum": "abc", "checksumalg": "SHA256",
            "ref": {"protocol": "s3", "s3object": {"object": "o"}}}  # fmt: skip


def test_file_revisions(target: Target, colony: Colony) -> None:
    key, name = colony.user_key, colony.name
    first = target.ok(key, "addfilemsg", file=file(colony, "/data", "a.txt"))
    second = target.ok(key, "addfilemsg", file=file(colony, "/data", "a.txt"))
    assert second["sequencenr"] == first["sequencenr"] + 1
    assert target.ok(key, "getfilemsg", colonyname=name, fileid=first["fileid"]) == [first]
    assert target.fails(key, "getfilemsg", colonyname=name, fileid="0" * 64) == (
        400,
        "Failed to get file",
    )
    assert target.ok(key, "getfilesmsg", colonyname=name, label="/none") == []


def test_file_labels_and_removal(target: Target, colony: Colony) -> None:
    key, name = colony.user_key, colony.name

    def labels() -> Any:
        return target.ok(key, "getfilelabelsmsg", colonyname=name, name="", exact=False)

    assert labels() is None
    for label, file_name in (("/data", "a.txt"), ("/data", "b.txt")):
        target.ok(key, "addfilemsg", file=file(colony, label, file_name))
    logged = target.ok(key, "addfilemsg", file=file(colony, "/logs", "c.txt"))
    assert sorted(labels(), key=lambda label: str(label["name"])) == [
        {"name": "/data", "files": 2},
        {"name": "/logs", "files": 1},
    ]
    assert target.ok(key, "removefilemsg", colonyname=name, label="/data", name="a.txt") == {}
    assert [f["name"] for f in target.ok(key, "getfilesmsg", colonyname=name, label="/data")] == [
        "b.txt"
    ]
    assert target.ok(key, "removefilemsg", colonyname=name, fileid=logged["fileid"]) == {}
    assert target.fails(key, "getfilemsg", colonyname=name, fileid=logged["fileid"]) == (
        400,
        "Failed to get file",
    )


def generator(colony: Colony) -> dict[str, Any]:
    workflow = {"colonyname": colony.name, "functionspecs": [spec(colony, nodename="g")]}
    return {"name": "g", "colonyname": colony.name, "workflowspec": json.dumps(workflow),
            "trigger": 2, "timeout": -1}  # fmt: skip


def test_generator_get_list_and_resolve(target: Target, colony: Colony) -> None:
    key, name = colony.user_key, colony.name
    assert target.ok(key, "getgeneratorsmsg", colonyname=name, count=10) is None
    added = target.ok(key, "addgeneratormsg", generator=generator(colony))
    assert normalise(added) == {
        "generatorid": ID, "initiatorid": ID, "initiatorname": colony.user_name,
        **generator(colony), "firstpack": ZERO_TIME, "lastrun": ZERO_TIME, "queuesize": 0,
        "checkerperiod": 0,
    }  # fmt: skip
    fetched = target.ok(key, "getgeneratormsg", generatorid=added["generatorid"])
    assert fetched["checkerperiod"] > 0  # only get shows the checker period, in ms (12)
    assert {**fetched, "checkerperiod": 0} == added
    assert target.ok(key, "getgeneratorsmsg", colonyname=name, count=10) == [added]
    assert target.ok(key, "resolvegeneratormsg", colonyname=name, generatorname="g") == added
    status, _ = target.fails(key, "getgeneratormsg", generatorid="0" * 64)
    assert status == 500  # unknown generator: [src] only, so the status only


def test_generator_batches(target: Target, colony: Colony) -> None:
    key = colony.user_key
    gid = target.ok(key, "addgeneratormsg", generator=generator(colony))["generatorid"]
    for arg in ("a1", "a2"):
        target.ok(key, "packgeneratormsg", generatorid=gid, arg=arg)
    processes = eventually(
        lambda: target.ok(key, "getprocessesmsg", colonyname=colony.name, count=10, state=0)
    )
    assert [p["spec"]["args"] for p in processes] == [["a1", "a2"]]
    target.ok(key, "removegeneratormsg", generatorid=gid)


def test_channels(target: Target, colony: Colony) -> None:
    key = colony.user_key
    pid = target.ok(key, "submitfuncspecmsg", spec=spec(colony, channels=["chat"]))["processid"]
    message = {"processid": pid, "name": "chat", "sequence": 1}
    target.ok(key, "channelappendmsg", **message, payload="aGk=")
    target.ok(
        key, "channelappendmsg", **{**message, "sequence": 2}, payload=[104, 105], payloadtype="end"
    )
    assert target.fails(colony.executor_key, "channelappendmsg", **message, payload="aGk=") == (
        403,
        "Not authorized to write to channel",
    )
    entries = target.ok(key, "channelreadmsg", processid=pid, name="chat", afterseq=1, limit=0)
    assert [(e["sequence"], e["payload"], e["type"]) for e in entries] == [(2, "aGk=", "end")]
    assert target.fails(
        key, "channelreadmsg", processid=pid, name="other", afterseq=0, limit=0
    ) == (
        404,
        "Channel not found",
    )
