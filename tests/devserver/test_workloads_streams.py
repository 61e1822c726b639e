"""Generators, channels and the three WebSocket subscriptions (protocol 3.7, 3.9, 4)."""

from __future__ import annotations

import asyncio
import base64
import json
from datetime import datetime
from typing import Any

import pytest
import websockets

from colonies.crypto import PrivateKey
from colonies.devserver import Bootstrap, DevServer
from colonies.devserver.generators import batches_due
from colonies.wire import decode_reply, encode_request
from tests.devserver.test_workloads_wire import (
    Wire,
    boot_fixture,
    eventually,
    fn_spec,
    server_fixture,
    wire_fixture,
)

server = server_fixture(cron_tick=0.1, generator_tick=0.1)
wire = wire_fixture()
boot = boot_fixture()

ZERO = "0001-01-01T00:00:00Z"


# -- generators --


def generator(boot: Bootstrap, **fields: Any) -> dict[str, Any]:
    spec = {"colonyname": boot.colony_name, "functionspecs": [fn_spec(boot, nodename="gen")]}
    base = {"name": "batcher", "colonyname": boot.colony_name, "workflowspec": json.dumps(spec),
            "trigger": 2, "timeout": -1}  # fmt: skip
    return {**base, **fields}


def waiting_args(wire: Wire, boot: Bootstrap) -> list[Any]:
    processes = wire.ok(
        boot.user_key, "getprocessesmsg", colonyname=boot.colony_name, count=10, state=0
    )
    return [p["spec"]["args"] for p in processes or []]


def test_generator_batches_packed_args(wire: Wire, boot: Bootstrap) -> None:
    key = boot.user_key
    added = wire.ok(key, "addgeneratormsg", generator=generator(boot))
    assert (added["firstpack"], added["lastrun"], added["initiatorname"]) == (
        ZERO,
        ZERO,
        boot.user_name,
    )
    gid = added["generatorid"]
    wire.ok(key, "packgeneratormsg", generatorid=gid, arg="a1")
    assert wire.ok(key, "getgeneratormsg", generatorid=gid)["queuesize"] == 1
    assert waiting_args(wire, boot) == []
    wire.ok(key, "packgeneratormsg", generatorid=gid, arg="a2")
    assert waiting_args(wire, boot) == [["a1", "a2"]]
    fetched = wire.ok(key, "getgeneratormsg", generatorid=gid)
    assert (fetched["queuesize"], fetched["lastrun"] != ZERO) == (0, True)
    assert (
        wire.ok(key, "resolvegeneratormsg", colonyname=boot.colony_name, generatorname="batcher")[
            "generatorid"
        ]
        == gid
    )
    assert [
        g["generatorid"]
        for g in wire.ok(key, "getgeneratorsmsg", colonyname=boot.colony_name, count=10)
    ] == [gid]
    wire.ok(key, "removegeneratormsg", generatorid=gid)
    assert wire.fails(key, "getgeneratormsg", generatorid=gid) == (
        500,
        "Failed to get generator, generator is nil",
    )
    assert wire.ok(key, "getgeneratorsmsg", colonyname=boot.colony_name, count=10) is None


def test_generator_timeout_submits_a_partial_batch(wire: Wire, boot: Bootstrap) -> None:
    added = wire.ok(
        boot.user_key, "addgeneratormsg", generator=generator(boot, trigger=10, timeout=1)
    )
    wire.ok(boot.user_key, "packgeneratormsg", generatorid=added["generatorid"], arg="only")
    assert eventually(lambda: waiting_args(wire, boot)) == [["only"]]


def test_batch_decisions() -> None:
    never_run = {"trigger": 2, "timeout": 5, "lastrun": ZERO, "firstpack": "2026-01-01T00:00:00Z"}
    now = datetime.fromisoformat("2026-01-01T00:00:03Z")
    assert batches_due(never_run, 5, now) == [2, 2]
    assert batches_due(never_run, 1, now) == []
    assert batches_due(never_run, 1, datetime.fromisoformat("2026-01-01T00:00:06Z")) == [1]
    assert (
        batches_due({**never_run, "timeout": -1}, 1, datetime.fromisoformat("2027-01-01T00:00:00Z"))
        == []
    )


# -- channels --


def channel_process(wire: Wire, boot: Bootstrap) -> str:
    spec = fn_spec(boot, channels=["chat"])
    return str(wire.ok(boot.user_key, "submitfuncspecmsg", spec=spec)["processid"])


def append(wire: Wire, key: PrivateKey, pid: str, sequence: int, payload: Any, **extra: Any) -> Any:
    return wire.call(key, "channelappendmsg", processid=pid, name="chat", sequence=sequence,
                     payload=payload, **extra)  # fmt: skip


def read(
    wire: Wire, key: PrivateKey, pid: str, after: int = 0, limit: int = 0
) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = wire.ok(
        key, "channelreadmsg", processid=pid, name="chat", afterseq=after, limit=limit
    )
    return entries


def test_channel_access_rules(wire: Wire, boot: Bootstrap) -> None:
    pid = channel_process(wire, boot)
    assert read(wire, boot.user_key, pid) == []
    assert not append(wire, boot.user_key, pid, 1, "aGk=").error  # submitter before assignment
    early = append(wire, boot.executor_key, pid, 1, "aGk=")
    assert (early.status, early.message) == (403, "Not authorized to write to channel")
    assert wire.fails(boot.user_key, "channelreadmsg", processid=pid, name="other") == (
        404,
        "Channel not found",
    )
    assert wire.fails(boot.user_key, "channelreadmsg", processid="nope", name="chat") == (
        404,
        "Process not found",
    )
    wire.ok(boot.executor_key, "assignprocessmsg", colonyname=boot.colony_name, timeout=-1)
    assert not append(wire, boot.executor_key, pid, 1, list(b"yo"), payloadtype="end").error
    entries = read(wire, boot.executor_key, pid)
    assert [(e["senderid"], e["payload"], e["type"]) for e in entries] == [
        (boot.user_key.id, "aGk=", "data"),
        (boot.executor_key.id, base64.b64encode(b"yo").decode(), "end"),
    ]
    assert "inreplyto" not in entries[0]
    assert "error" not in entries[0]
    wire.ok(boot.executor_key, "closesuccessfulmsg", processid=pid)
    assert wire.fails(boot.user_key, "channelreadmsg", processid=pid, name="chat") == (
        404,
        "Channel not found",
    )


def test_channel_order_and_positions(wire: Wire, boot: Bootstrap) -> None:
    pid = channel_process(wire, boot)
    for sequence in (2, 1, 3, 3):  # out of order and a duplicate: both accepted
        assert not append(wire, boot.user_key, pid, sequence, "", inreplyto=7).error
    entries = read(wire, boot.user_key, pid)
    assert [e["sequence"] for e in entries] == [1, 2, 3, 3]
    assert entries[0]["inreplyto"] == 7
    assert entries[0]["payload"] == ""
    assert [e["sequence"] for e in read(wire, boot.user_key, pid, after=1, limit=2)] == [2, 3]
    assert append(wire, boot.user_key, pid, 4, "%%%").status == 400  # not base64


# -- WebSocket subscriptions --


def ws_url(server: DevServer) -> str:
    return server.url.replace("http://", "ws://") + "/pubsub"


def frame(key: PrivateKey, msgtype: str, **fields: Any) -> str:
    return json.dumps(encode_request({"msgtype": msgtype, **fields}, key))


async def receive(socket: Any) -> Any:
    return decode_reply(await asyncio.wait_for(socket.recv(), 30), 200)


async def test_subscribe_process_already_in_state_then_on_change(
    server: DevServer, boot: Bootstrap, wire: Wire
) -> None:
    pid = wire.ok(boot.user_key, "submitfuncspecmsg", spec=fn_spec(boot))["processid"]
    stranger = PrivateKey.generate()  # any signer may subscribe
    async with websockets.connect(ws_url(server)) as socket:
        await socket.send(
            frame(stranger, "subscribeprocessmsg", processid=pid, state=0, timeout=30)
        )
        first = await receive(socket)
        assert (first.payloadtype, first.result["processid"]) == ("subscribeprocessmsg", pid)
        await socket.send(
            frame(stranger, "subscribeprocessmsg", processid=pid, state=1, timeout=30)
        )
        await asyncio.to_thread(
            wire.ok, boot.executor_key, "assignprocessmsg", colonyname=boot.colony_name, timeout=-1
        )
        running = await receive(socket)
        assert running.result["state"] == 1


async def test_subscribe_process_errors_keep_the_socket_and_timeout_drops_it(
    server: DevServer, boot: Bootstrap, wire: Wire
) -> None:
    async with websockets.connect(ws_url(server)) as socket:
        await socket.send(
            frame(boot.user_key, "subscribeprocessmsg", processid="nope", state=0, timeout=5)
        )
        error = await receive(socket)
        assert (error.status, error.message) == (403, "Invalid process with Id nope")
        await socket.send(
            frame(boot.user_key, "subscribeprocessesmsg", executortype="t", state=0, timeout=5)
        )
        assert (await receive(socket)).message == "executor not found"
        pid = (
            await asyncio.to_thread(wire.ok, boot.user_key, "submitfuncspecmsg", spec=fn_spec(boot))
        )["processid"]
        await socket.send(
            frame(boot.user_key, "subscribeprocessmsg", processid=pid, state=2, timeout=1)
        )
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(socket.recv(), 30)
        assert closed.value.rcvd is None  # no close frame: an abrupt drop


async def test_bad_signature_closes_silently(server: DevServer) -> None:
    async with websockets.connect(ws_url(server)) as socket:
        envelope = json.loads(frame(PrivateKey.generate(), "subscribeprocessmsg", processid="x"))
        envelope["signature"] = "00"
        await socket.send(json.dumps(envelope))
        with pytest.raises(websockets.ConnectionClosed):
            await asyncio.wait_for(socket.recv(), 30)


async def test_subscribe_processes_of_a_type(
    server: DevServer, boot: Bootstrap, wire: Wire
) -> None:
    async with websockets.connect(ws_url(server)) as socket:
        await socket.send(
            frame(
                boot.executor_key,
                "subscribeprocessesmsg",
                executortype=boot.executor_type,
                state=0,
                timeout=30,
            )
        )
        # frames are served in order: once the next one is answered, the first listens
        await socket.send(frame(boot.user_key, "subscribeprocessmsg", processid="x", timeout=1))
        assert (await receive(socket)).status == 403
        submitted = []
        for _ in range(2):
            submitted.append(
                (
                    await asyncio.to_thread(
                        wire.ok, boot.user_key, "submitfuncspecmsg", spec=fn_spec(boot)
                    )
                )["processid"]
            )
        received = [await receive(socket) for _ in range(2)]
        assert {r.payloadtype for r in received} == {"subscribeprocessmsg"}
        assert [r.result["processid"] for r in received] == submitted


async def test_subscribe_channel_backlog_live_and_final_empty(
    server: DevServer, boot: Bootstrap, wire: Wire
) -> None:
    pid = await asyncio.to_thread(channel_process, wire, boot)
    await asyncio.to_thread(append, wire, boot.user_key, pid, 1, "YQ==")
    async with websockets.connect(ws_url(server)) as socket:
        await socket.send(
            frame(
                boot.user_key,
                "subscribechannelmsg",
                processid=pid,
                name="chat",
                afterseq=0,
                timeout=2,
            )
        )
        backlog = await receive(socket)
        assert (backlog.payloadtype, [e["sequence"] for e in backlog.result]) == (
            "subscribechannelmsg",
            [1],
        )
        await asyncio.to_thread(append, wire, boot.user_key, pid, 2, "Yg==")
        live = await receive(socket)
        assert [e["sequence"] for e in live.result] == [2]
        final = await receive(socket)
        assert final.result == []
        # the socket stays open: another request is still served
        await socket.send(
            frame(boot.user_key, "subscribechannelmsg", processid=pid, name="nope", timeout=1)
        )
        assert (await receive(socket)).message == "Channel not found"


def test_only_get_reports_the_generator_checker_period_in_ms(wire: Wire, boot: Bootstrap) -> None:
    key = boot.user_key
    added = wire.ok(key, "addgeneratormsg", generator=generator(boot, name="period"))
    assert added["checkerperiod"] == 0
    fetched = wire.ok(key, "getgeneratormsg", generatorid=added["generatorid"])
    assert fetched["checkerperiod"] == 100  # generator_tick=0.1
    listed = wire.ok(key, "getgeneratorsmsg", colonyname=boot.colony_name, count=10)
    assert {g["checkerperiod"] for g in listed} == {0}


def test_a_generator_workflow_without_node_names_fails_silently(
    wire: Wire, boot: Bootstrap
) -> None:
    key = boot.user_key
    nameless = {"colonyname": boot.colony_name, "functionspecs": [fn_spec(boot)]}
    added = wire.ok(key, "addgeneratormsg", generator=generator(boot, name="nameless",
                    workflowspec=json.dumps(nameless)))  # fmt: skip
    for arg in ("a1", "a2"):  # the pack is accepted; only the submit behind it fails
        wire.ok(key, "packgeneratormsg", generatorid=added["generatorid"], arg=arg)
    assert wire.ok(key, "getgeneratormsg", generatorid=added["generatorid"])["queuesize"] == 2
    assert waiting_args(wire, boot) == []
