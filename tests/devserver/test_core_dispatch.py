"""The /api request path of the dev server: Go-compatible decoding, replies, failures."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from colonies.crypto import PrivateKey
from colonies.devserver import DevServer, DevServerSettings, registry
from colonies.devserver.call import Call
from colonies.devserver.errors import ApiError
from colonies.devserver.state import COLONIES
from colonies.wire import decode_reply, encode_payload
from tests.conformance.target import Target


@registry.rpc("coretestcrashmsg", "Failed to crash")
def _crash(call: Call) -> None:
    """Writes, then fails unexpectedly: the write must be rolled back."""
    name = call.str("colonyname")
    call.state.table(COLONIES).put(name, {"colonyid": "0" * 64, "name": name})
    raise RuntimeError("boom")


@registry.rpc("coretestapierrormsg", "Failed to refuse")
def _refuse(call: Call) -> None:
    """Writes, then answers an error: the write is kept (like the assign heartbeat)."""
    name = call.str("colonyname")
    call.state.table(COLONIES).put(name, {"colonyid": "1" * 64, "name": name})
    raise ApiError(409, "refused after writing")


@registry.rpc("coretestnullmsg", "Failed to be null")
async def _null(call: Call) -> registry.JsonNull:
    return registry.NULL


@registry.rpc("coretesttypesmsg", "Failed to read types")
def _types(call: Call) -> dict[str, Any]:
    nested = call.fields("nested")
    return {
        "s": call.str("s", "default"),
        "i": call.int("i", 7),
        "f": call.float("f"),
        "b": call.bool("b"),
        "o": call.obj("o"),
        "l": call.list("l"),
        "sl": call.str_list("sl"),
        "nested": nested.str("inner"),
    }


def _reply(response: Any) -> tuple[int, str, Any]:
    reply = decode_reply(response.content, response.status_code)
    return reply.status, reply.message, reply.result


def test_an_unexpected_handler_failure_is_a_500_and_rolls_back(
    dev_target: Target, dev_server: DevServer
) -> None:
    status, message, _ = _reply(
        dev_target.send(
            {"msgtype": "coretestcrashmsg", "colonyname": "ghost"}, PrivateKey.generate()
        )
    )
    assert status == 500
    assert message == "dev server internal error in coretestcrashmsg: RuntimeError: boom"
    assert dev_server.invoke(lambda state: state.colony("ghost")) is None


def test_an_api_error_keeps_what_the_handler_wrote(
    dev_target: Target, dev_server: DevServer
) -> None:
    response = dev_target.send(
        {"msgtype": "coretestapierrormsg", "colonyname": "kept"}, PrivateKey.generate()
    )
    assert response.status_code == 409
    assert _reply(response)[:2] == (409, "refused after writing")
    assert dev_server.invoke(lambda state: state.colony("kept")) is not None


def test_json_null_results(dev_target: Target) -> None:
    response = dev_target.send({"msgtype": "coretestnullmsg"}, PrivateKey.generate())
    assert json.loads(response.content)["payload"] == encode_payload(None)
    assert _reply(response) == (200, "", None)


def test_accessors_follow_go_unmarshal(dev_target: Target) -> None:
    key = PrivateKey.generate()
    message = {
        "msgtype": "coretesttypesmsg",
        "S": "upper-case key matches",
        "f": 2,
        "b": True,
        "o": {"k": 1},
        "l": [1, "a"],
        "sl": ["x"],
        "nested": {"INNER": "deep"},
    }
    assert _reply(dev_target.send(message, key))[2] == {
        "s": "upper-case key matches",
        "i": 7,
        "f": 2.0,
        "b": True,
        "o": {"k": 1},
        "l": [1, "a"],
        "sl": ["x"],
        "nested": "deep",
    }
    nulls = {"msgtype": "coretesttypesmsg", "s": None, "i": None, "o": None, "l": None}
    assert _reply(dev_target.send(nulls, key))[2]["s"] == "default"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("s", 5),
        ("i", "5"),
        ("i", 1.5),
        ("i", True),
        ("i", 2**63),
        ("f", "1"),
        ("b", 0),
        ("o", []),
        ("l", {}),
        ("sl", [1]),
        ("nested", "x"),
    ],
)
def test_a_wrong_json_type_is_invalid_json(dev_target: Target, field: str, value: Any) -> None:
    message = {"msgtype": "coretesttypesmsg", field: value}
    assert _reply(dev_target.send(message, PrivateKey.generate()))[:2] == (
        400,
        "Failed to read types, invalid JSON",
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"[]", "json: cannot unmarshal array into Go value of type rpc.RPCMsg"),
        (b'"text"', "json: cannot unmarshal string into Go value of type rpc.RPCMsg"),
        (
            b'{"payloadtype": 5}',
            "json: cannot unmarshal number into Go struct field RPCMsg.payloadtype of type string",
        ),
        (
            b'{"payload": {}}',
            "json: cannot unmarshal object into Go struct field RPCMsg.payload of type string",
        ),
        (b'{"a" 1}', "invalid character '1' after object key"),
        (b'{"a":NaN}', "invalid character 'N' looking for beginning of value"),
        (b"{} {}", "invalid character '{' after top-level value"),
        (b"[" * 20000, "exceeded max depth"),
    ],
)
def test_envelopes_go_cannot_unmarshal(dev_target: Target, body: bytes, message: str) -> None:
    assert _reply(dev_target.post(body))[:2] == (400, message)


def test_a_null_envelope_has_no_signature(dev_target: Target) -> None:
    assert _reply(dev_target.post(b"null"))[:2] == (403, "Invalid signature length")


@pytest.mark.parametrize("payload", ["W10=", "InRleHQi", "bnVsbA==", "eyJtc2d0eXBlIjo1fQ==", "!!!"])
def test_payloads_that_are_not_a_message_object(dev_target: Target, payload: str) -> None:
    key = dev_target.server_key
    envelope = {"payloadtype": "getcoloniesmsg", "payload": payload, "signature": key.sign(payload)}
    status, message, _ = _reply(dev_target.post(envelope))
    assert status == 400
    assert message in (
        "Failed to get colonies, invalid JSON",
        "Failed to get colonies, msg.MsgType does not match payloadType",
    )


def test_a_body_over_the_limit_is_refused_with_413() -> None:
    with DevServer(DevServerSettings(max_body_bytes=1024)) as server:
        target = Target(server.url, server.server_key, real=False)
        response = target.post(b"{" + b" " * 4096 + b"}")
        assert response.status_code == 413
        assert "at most 1024 bytes" in _reply(response)[1]
        chunked = target.http.post("/api", content=iter([b"{", b" " * 4096, b"}"]))
        assert chunked.status_code == 413
        assert target.http.get("/health").status_code == 200
        target.close()


def test_invalid_utf8_and_lone_surrogates_do_not_break_replies(dev_target: Target) -> None:
    key = PrivateKey.generate()
    text = b'{"msgtype":"coretesttypesmsg","s":"\\ud800 and \xff"}'
    payload = base64.b64encode(text).decode()
    envelope = {
        "payloadtype": "coretesttypesmsg",
        "payload": payload,
        "signature": key.sign(payload),
    }
    assert _reply(dev_target.post(envelope))[2]["s"] == "\ufffd and \ufffd"
