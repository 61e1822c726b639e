"""The /pubsub framework: signed frames in a loop, replies in the client's frame type, silent
drops on bad frames, error envelopes for handler errors, abrupt closes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from colonies.crypto import PrivateKey
from colonies.devserver import DevServer, registry
from colonies.devserver.call import Call
from colonies.devserver.errors import ApiError
from colonies.wire import decode_reply, encode_payload, encode_reply, encode_request

RELEASE = "coretest.release"


@registry.subscription("coretestechomsg", "Failed to echo")
async def _echo(call: Call, send: registry.Send, close: registry.Close) -> None:
    if call.str("fail"):
        raise ApiError(403, call.str("fail"))
    result = {"msg": call.msg, "signer": call.signer_id, "payload_error": call.payload_error}
    await send(encode_reply("coretestechomsg", result))


@registry.subscription("coretestclosemsg", "Failed to close")
async def _close(call: Call, send: registry.Send, close: registry.Close) -> None:
    await close()


@registry.subscription("coretestblockmsg", "Failed to block", blocking=True)
async def _block(call: Call, send: registry.Send, close: registry.Close) -> None:
    await send(encode_reply("coretestblockmsg", "waiting"))
    flags: list[bool] = call.state.runtime(RELEASE, list)
    released = await call.state.events.wait_for(RELEASE, lambda: flags, 10)
    await send(encode_reply("coretestblockmsg", "released" if released else "timed out"))


@pytest.fixture
def socket_(dev_server: DevServer) -> Iterator[ClientConnection]:
    with connect(dev_server.url.replace("http", "ws") + "/pubsub") as ws:
        yield ws


KEY = PrivateKey.generate()


def _frame(msgtype: str, **fields: Any) -> str:
    return json.dumps(encode_request({"msgtype": msgtype, **fields}, KEY))


def _result(frame: str | bytes) -> Any:
    reply = decode_reply(frame, 200)
    return reply.message if reply.error else reply.result


def _assert_dropped(ws: ClientConnection) -> None:
    with pytest.raises(ConnectionClosed) as closed:
        ws.recv(timeout=10)
    assert closed.value.rcvd is None  # no close frame: the TCP connection was dropped


def test_frames_are_dispatched_with_the_signer(socket_: ClientConnection) -> None:
    socket_.send(_frame("coretestechomsg", x=1))
    result = _result(socket_.recv(timeout=10))
    assert result["msg"] == {"msgtype": "coretestechomsg", "x": 1}
    assert result["signer"] == KEY.id
    assert result["payload_error"] is None


def test_binary_frames_get_binary_replies(socket_: ClientConnection) -> None:
    socket_.send(_frame("coretestechomsg").encode())
    reply = socket_.recv(timeout=10)
    assert isinstance(reply, bytes)
    assert _result(reply)["signer"] == KEY.id


def test_a_handler_error_is_an_error_envelope_and_the_socket_stays(
    socket_: ClientConnection,
) -> None:
    socket_.send(_frame("coretestechomsg", fail="not today"))
    assert _result(socket_.recv(timeout=10)) == "not today"
    socket_.send(_frame("coretestechomsg"))
    assert _result(socket_.recv(timeout=10))["signer"] == KEY.id


def test_unknown_types_are_ignored(socket_: ClientConnection) -> None:
    socket_.send(_frame("nosuchmsg"))
    socket_.send(_frame("coretestechomsg", after=True))
    assert _result(socket_.recv(timeout=10))["msg"]["after"] is True


def test_a_payload_that_is_not_an_object_is_flagged_for_the_handler(
    socket_: ClientConnection,
) -> None:
    payload = encode_payload([1, 2])
    socket_.send(
        json.dumps(
            {"payloadtype": "coretestechomsg", "payload": payload, "signature": KEY.sign(payload)}
        )
    )
    assert _result(socket_.recv(timeout=10))["payload_error"] == "Failed to echo, invalid JSON"


@pytest.mark.parametrize(
    "frame",
    [
        "not json",
        json.dumps(
            {"payloadtype": "coretestechomsg", "payload": encode_payload({}), "signature": ""}
        ),
        json.dumps(
            {"payloadtype": "coretestechomsg", "payload": encode_payload({}), "signature": "0x00"}
        ),
    ],
)
def test_bad_frames_drop_the_connection_silently(socket_: ClientConnection, frame: str) -> None:
    socket_.send(frame)
    _assert_dropped(socket_)


def test_close_drops_the_connection_without_a_close_frame(socket_: ClientConnection) -> None:
    socket_.send(_frame("coretestclosemsg"))
    _assert_dropped(socket_)


def test_blocking_subscriptions_hold_the_read_loop(
    socket_: ClientConnection, dev_server: DevServer
) -> None:
    socket_.send(_frame("coretestblockmsg"))
    assert _result(socket_.recv(timeout=10)) == "waiting"
    socket_.send(_frame("coretestechomsg", queued=True))

    def release(state: Any) -> None:
        state.runtime(RELEASE, list).append(True)
        state.events.emit(RELEASE)

    dev_server.invoke(release)
    assert _result(socket_.recv(timeout=10)) == "released"
    assert _result(socket_.recv(timeout=10))["msg"]["queued"] is True


def test_stopping_the_server_ends_open_sockets(dev_server: DevServer) -> None:
    with connect(dev_server.url.replace("http", "ws") + "/pubsub") as ws:
        ws.send(_frame("coretestechomsg"))
        ws.recv(timeout=10)
        dev_server.stop()
        with pytest.raises(ConnectionClosed):
            ws.recv(timeout=10)
