"""Logs, files, generators, channels and WebSocket subscriptions (protocol 3.7-3.10, 4)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import websockets

from colonies.crypto import PrivateKey
from colonies.wire import decode_reply, encode_request
from tests.conformance.target import Colony, Target
from tests.helpers import eventually


def spec(colony: Colony, **overrides: Any) -> dict[str, Any]:
    return {"funcname": "echo", "maxexectime": -1, "maxretries": -1,
            "conditions": {"colonyname": colony.name, "executortype": colony.executor_type},
            **overrides}  # fmt: skip


def running(target: Target, colony: Colony, **overrides: Any) -> str:
    target.ok(colony.user_key, "submitfuncspecmsg", spec=spec(colony, **overrides))
    process = target.ok(colony.executor_key, "assignprocessmsg", colonyname=colony.name, timeout=-1)
    return str(process["processid"])


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


def test_file_revisions(target: Target, colony: Colony) -> None:
    key, name = colony.user_key, colony.name
    file = {"colonyname": name, "label": "/data", "name": "a.txt", "size": 3, "checksum": "abc",
            "checksumalg": "SHA256", "ref": {"protocol": "s3", "s3object": {"object": "o"}}}  # fmt: skip
    first = target.ok(key, "addfilemsg", file=file)
    second = target.ok(key, "addfilemsg", file=file)
    assert second["sequencenr"] == first["sequencenr"] + 1
    assert target.ok(key, "getfilemsg", colonyname=name, fileid=first["fileid"]) == [first]
    assert target.fails(key, "getfilemsg", colonyname=name, fileid="0" * 64) == (
        400,
        "Failed to get file",
    )
    assert target.ok(key, "getfilesmsg", colonyname=name, label="/none") == []


def test_generator_batches(target: Target, colony: Colony) -> None:
    key = colony.user_key
    workflow = {"colonyname": colony.name, "functionspecs": [spec(colony, nodename="g")]}
    generator = {"name": "g", "colonyname": colony.name, "workflowspec": json.dumps(workflow),
                 "trigger": 2, "timeout": -1}  # fmt: skip
    gid = target.ok(key, "addgeneratormsg", generator=generator)["generatorid"]
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


async def test_process_subscription(target: Target, colony: Colony) -> None:
    pid = (
        await asyncio.to_thread(target.ok, colony.user_key, "submitfuncspecmsg", spec=spec(colony))
    )["processid"]

    def frame(**fields: Any) -> str:
        message = {"msgtype": "subscribeprocessmsg", "colonyname": colony.name, **fields}
        return json.dumps(encode_request(message, PrivateKey.generate()))

    config = target.server.config  # wss:// with the target's CA on a TLS server
    async with websockets.connect(config.pubsub_url, ssl=config.ssl_context()) as socket:
        await socket.send(frame(processid="0" * 64, state=0, timeout=10))
        error = decode_reply(await asyncio.wait_for(socket.recv(), 30), 200)
        assert (error.status, error.message) == (403, f"Invalid process with Id {'0' * 64}")
        await socket.send(frame(processid=pid, executortype="", state=0, timeout=10))
        reply = decode_reply(await asyncio.wait_for(socket.recv(), 30), 200)
        assert (reply.payloadtype, reply.result["processid"]) == ("subscribeprocessmsg", pid)
