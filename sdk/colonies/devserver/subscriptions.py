"""The three WebSocket subscriptions on ``/pubsub`` (protocol 4.1-4.3).

* ``subscribeprocessmsg``: any signer; one message at once (a fresh copy) if the process is
  already in the wanted state, then one each time it enters it, as published by
  :data:`PROCESS_PUBLISHED` (a successful close publishes the stale pre-close copy); the
  socket is dropped (no close frame) when ``timeout`` seconds have passed.
* ``subscribeprocessesmsg``: the signer must be an executor (of any colony); one message
  (payloadtype ``subscribeprocessmsg``) each time a process of the executor type enters
  the state. The real server wakes a single "general" listener per new WAITING process,
  round robin between these subscribers and long-polling ``assign`` calls; here every
  subscriber is told (a documented simplification).
* ``subscribechannelmsg``: blocks the socket's read loop; sends the backlog after
  ``afterseq`` in one message, then each new entry as a one-element list, and at the
  timeout (0 means 30 s) a final ``[]`` without closing the socket.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from colonies import deepjson
from colonies.devserver.call import Call
from colonies.devserver.channels import CHANNEL_APPENDED, authorised_channel
from colonies.devserver.errors import ApiError
from colonies.devserver.processes import PROCESS_PUBLISHED, get_process
from colonies.devserver.registry import Close, Send, subscription
from colonies.devserver.store import Row
from colonies.wire import encode_reply

__all__: list[str] = []

_PROCESS_MSG = "subscribeprocessmsg"
_CHANNEL_MSG = "subscribechannelmsg"
_DEFAULT_CHANNEL_TIMEOUT = 30.0


def _check_message(call: Call, failure: str) -> None:
    """Payload and msgtype errors are error envelopes; the socket stays open."""
    if call.payload_error is not None:
        raise ApiError(400, call.payload_error)
    if call.str("msgtype") != call.msgtype:
        raise ApiError(403, f"{failure}, msg.msgType does not match rpcMsg.PayloadType")


async def _relay(
    call: Call,
    topic: str,
    pick: Callable[[Any], Any | None],
    send: Callable[[Any], Any],
    timeout: float,
    first: Any | None = None,
) -> None:
    """Send ``first`` (if any), then ``pick(data)`` of every ``topic`` event (when not
    None) until ``timeout``; listening starts before ``first`` goes out, so nothing that
    happens meanwhile is lost."""
    queue: asyncio.Queue[Any] = asyncio.Queue()
    if first is not None:
        queue.put_nowait(deepjson.clone(first))

    def on_event(data: Any) -> None:
        picked = pick(data)
        if picked is not None:
            queue.put_nowait(deepjson.clone(picked))

    unsubscribe = call.state.events.on(topic, on_event)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    try:
        while (remaining := deadline - loop.time()) > 0:
            try:
                item = await asyncio.wait_for(queue.get(), remaining)
            except TimeoutError:
                return
            await send(item)
    finally:
        unsubscribe()


@subscription(_PROCESS_MSG, "Failed to subscribe to process")
async def subscribe_process(call: Call, send: Send, close: Close) -> None:
    _check_message(call, "Failed to subscribe to process")
    process_id, wanted = call.str("processid"), call.int("state")
    executor_type, timeout = call.str("executortype"), call.int("timeout")
    process = get_process(call.state, process_id)
    if process is None:
        raise ApiError(403, f"Invalid process with Id {process_id}")
    if timeout <= 0:
        await close()
        return
    executor_type = executor_type or process["spec"]["conditions"]["executortype"]

    def matches(candidate: Row) -> Row | None:
        same = candidate["processid"] == process_id and candidate["state"] == wanted
        of_type = candidate["spec"]["conditions"]["executortype"] == executor_type
        return candidate if same and of_type else None

    async def deliver(item: Row) -> None:
        await send(encode_reply(_PROCESS_MSG, item))

    await _relay(call, PROCESS_PUBLISHED, matches, deliver, float(timeout), matches(process))
    await close()


@subscription("subscribeprocessesmsg", "Failed to subscribe to processes")
async def subscribe_processes(call: Call, send: Send, close: Close) -> None:
    _check_message(call, "Failed to subscribe to processes")
    executor_type, wanted, timeout = (
        call.str("executortype"),
        call.int("state"),
        call.int("timeout"),
    )
    if call.state.executor_by_id(call.signer_id) is None:
        raise ApiError(403, "executor not found")
    if timeout <= 0:
        await close()
        return

    def matches(candidate: Row) -> Row | None:
        of_type = candidate["spec"]["conditions"]["executortype"] == executor_type
        return candidate if of_type and candidate["state"] == wanted else None

    async def deliver(item: Row) -> None:
        await send(encode_reply(_PROCESS_MSG, item))

    await _relay(call, PROCESS_PUBLISHED, matches, deliver, float(timeout))
    await close()


@subscription(_CHANNEL_MSG, "Failed to subscribe to channel", blocking=True)
async def subscribe_channel(call: Call, send: Send, close: Close) -> None:
    _check_message(call, "Failed to subscribe to channel")
    process_id, name = call.str("processid"), call.str("name")
    after, timeout = call.int("afterseq"), call.int("timeout")
    channel = authorised_channel(call, process_id, name, "subscribe")

    async def deliver(entries: list[dict[str, Any]]) -> None:
        await send(encode_reply(_CHANNEL_MSG, entries))

    def matches(data: tuple[str, str, dict[str, Any]]) -> list[dict[str, Any]] | None:
        return [data[2]] if data[:2] == (process_id, name) else None

    backlog = channel.read(after, 0) or None
    wait = float(timeout) or _DEFAULT_CHANNEL_TIMEOUT
    await _relay(call, CHANNEL_APPENDED, matches, deliver, wait, backlog)
    await deliver([])
