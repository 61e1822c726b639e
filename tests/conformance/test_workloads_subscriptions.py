"""WebSocket subscriptions on ``/pubsub`` (protocol 4): one process, the processes of an
executor type, and a process channel.

A server registers a subscription before it reads the socket's next frame, and a
subscription to a process already in the wanted state answers at once. A second, such
"probe" subscription on the same socket therefore tells when the first one is in place,
without sleeping. The first subscription on a socket to time out closes the whole socket,
so probes get long timeouts and the subscription under test a short one.
"""

from __future__ import annotations

from typing import Any

from colonies.crypto import PrivateKey
from tests.conformance.target import Colony, PubSub, Target
from tests.conformance.test_workloads_executor_records import function
from tests.conformance.test_workloads_processes import ZERO, assign, submit

SHORT = 2  # seconds: the timeout of a subscription the test waits out
LONG = 30  # seconds: longer than any test on the socket


def probe(socket: PubSub, key: PrivateKey, colony: Colony, pid: str) -> None:
    """Wait until the subscriptions sent before are in place: subscribe to the WAITING
    process ``pid`` in state WAITING, which answers at once."""
    socket.subscribe(key, "subscribeprocessmsg", colonyname=colony.name, processid=pid,
                     executortype="", state=0, timeout=LONG)  # fmt: skip
    reply = socket.receive()
    assert (reply.payloadtype, reply.result["processid"]) == ("subscribeprocessmsg", pid)


def test_process_subscription(target: Target, colony: Colony) -> None:
    pid = submit(target, colony)["processid"]
    stranger = PrivateKey.generate()  # any signer may subscribe: no membership check

    def subscribe(socket: PubSub, **fields: Any) -> None:
        socket.subscribe(stranger, "subscribeprocessmsg", colonyname=colony.name, **fields)

    with target.pubsub() as socket:
        subscribe(socket, processid="0" * 64, executortype="", state=0, timeout=LONG)
        error = socket.receive()
        assert (error.error, error.status, error.message) == (
            True,
            403,
            f"Invalid process with Id {'0' * 64}",
        )
        subscribe(socket, processid=pid, executortype="", state=1, timeout=SHORT)
        probe(socket, stranger, colony, pid)  # the socket stayed open after the error
        assign(target, colony)
        entered = socket.receive()
        assert entered.payloadtype == "subscribeprocessmsg"
        assert (entered.result["processid"], entered.result["state"]) == (pid, 1)
        assert socket.dropped()  # at the timeout: no close frame, no final message


def test_processes_subscription_is_for_executors(target: Target) -> None:
    with target.pubsub() as socket:
        socket.subscribe(PrivateKey.generate(), "subscribeprocessesmsg", colonyname="",
                         executortype="none", state=0, timeout=LONG)  # fmt: skip
        refused = socket.receive()
        assert (refused.error, refused.status, refused.message) == (
            True,
            403,
            "executor not found",
        )


def test_processes_subscription_delivers_processes_entering_the_state(
    target: Target, colony: Colony
) -> None:
    waiting = submit(target, colony)["processid"]
    executor = colony.executor_key
    with target.pubsub() as socket:
        socket.subscribe(executor, "subscribeprocessesmsg", colonyname=colony.name,
                         executortype=colony.executor_type, state=0, timeout=SHORT)  # fmt: skip
        probe(socket, executor, colony, waiting)
        new = submit(target, colony)["processid"]
        entered = socket.receive()
        assert entered.payloadtype == "subscribeprocessmsg"  # singular, as for one process
        assert (entered.result["processid"], entered.result["state"]) == (new, 0)
        assert socket.dropped()


def append(target: Target, colony: Colony, pid: str, sequence: int) -> None:
    target.ok(colony.user_key, "channelappendmsg", processid=pid, name="chat",
              sequence=sequence, payload="aGk=")  # fmt: skip


def chat_with_one_entry(target: Target, colony: Colony) -> str:
    """A waiting process of the user's with a ``chat`` channel holding entry 1."""
    pid = str(submit(target, colony, channels=["chat"])["processid"])
    append(target, colony, pid, 1)
    return pid


def test_channel_subscription_sends_the_backlog_then_each_entry(
    target: Target, colony: Colony
) -> None:
    key, pid = colony.user_key, chat_with_one_entry(target, colony)

    def subscribe(socket: PubSub, name: str) -> None:
        socket.subscribe(key, "subscribechannelmsg", processid=pid, name=name, afterseq=0,
                         timeout=LONG)  # fmt: skip

    with target.pubsub() as socket:
        subscribe(socket, "other")
        missing = socket.receive()
        assert (missing.error, missing.status) == (True, 404)  # the error texts are [src]
        subscribe(socket, "chat")
        backlog = socket.receive()
        assert backlog.payloadtype == "subscribechannelmsg"
        [entry] = backlog.result
        assert set(entry) == {"sequence", "timestamp", "senderid", "payload", "type"}
        assert (entry["sequence"], entry["senderid"], entry["payload"], entry["type"]) == (
            1,
            key.id,
            "aGk=",
            "data",
        )
        append(target, colony, pid, 2)
        pushed = socket.receive()
        assert [e["sequence"] for e in pushed.result] == [2]


def test_channel_subscription_ends_with_an_empty_list_on_an_open_socket(
    target: Target, colony: Colony
) -> None:
    key, pid = colony.user_key, chat_with_one_entry(target, colony)
    with target.pubsub() as socket:
        socket.subscribe(key, "subscribechannelmsg", processid=pid, name="chat", afterseq=1,
                         timeout=1)  # fmt: skip
        final = socket.receive()  # nothing after position 1: only the final message
        assert (final.payloadtype, final.error, final.result) == ("subscribechannelmsg", False, [])
        probe(socket, key, colony, pid)  # the server reads the socket again


def closed_while_subscribed(
    target: Target, colony: Colony, wanted: int, close: str, **fields: Any
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Subscribe to a new process entering ``wanted``, run and close it with ``close``:
    the event's process and the process read afterwards."""
    key, pid = colony.user_key, submit(target, colony)["processid"]
    with target.pubsub() as socket:
        socket.subscribe(key, "subscribeprocessmsg", colonyname=colony.name, processid=pid,
                         executortype="", state=wanted, timeout=LONG)  # fmt: skip
        probe(socket, key, colony, pid)
        assert assign(target, colony).result["processid"] == pid
        target.ok(colony.executor_key, close, processid=pid, **fields)
        event = socket.receive()
    return event.result, target.ok(key, "getprocessmsg", processid=pid)


def test_a_successful_close_publishes_the_copy_read_before_it(
    target: Target, colony: Colony
) -> None:
    event, stored = closed_while_subscribed(target, colony, 2, "closesuccessfulmsg", out=["ok"])
    assert (event["state"], event["out"], event["endtime"]) == (2, [], ZERO)
    assert (stored["state"], stored["out"]) == (2, ["ok"])
    with target.pubsub() as socket:  # a subscription opened after the close: a fresh copy
        socket.subscribe(colony.user_key, "subscribeprocessmsg", colonyname=colony.name,
                         processid=stored["processid"], executortype="", state=2,
                         timeout=LONG)  # fmt: skip
        assert socket.receive().result["out"] == ["ok"]


def test_a_successful_close_of_a_registered_function_publishes_a_fresh_copy(
    target: Target, colony: Colony
) -> None:
    target.ok(colony.executor_key, "addfunctionmsg", fun=function(colony))
    event, _ = closed_while_subscribed(target, colony, 2, "closesuccessfulmsg", out=["ok"])
    assert event["out"] == ["ok"]
    assert event["endtime"] != ZERO


def test_a_failed_close_publishes_a_fresh_copy(target: Target, colony: Colony) -> None:
    event, _ = closed_while_subscribed(target, colony, 3, "closefailedmsg", errors=["boom"])
    assert (event["state"], event["errors"]) == (3, ["boom"])
    assert event["endtime"] != ZERO
