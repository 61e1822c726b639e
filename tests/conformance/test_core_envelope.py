"""Transport and envelope (protocol 1.1-1.5): routes, reply envelopes, processing order."""

from __future__ import annotations

import base64
import json

import pytest

from colonies.crypto import PrivateKey
from colonies.wire import decode_reply, encode_payload, encode_request
from tests.conformance.target import Colony, Target

TEXT = "text/plain; charset=utf-8"
K1 = PrivateKey("6d2fb6f546bacfd98c68769e61e0b44a697a30596c018a50e28200aa59b01c0a")
EMPTY_TYPE = (
    "invalid rpcMsg.PayloadType: empty (this usually means the client is misconfigured - check"
    " that COLONIES_PRVKEY and other environment variables are set correctly)"
)


def test_health_is_200_with_an_empty_text_body(target: Target) -> None:
    response = target.http.get("/health")
    assert (response.status_code, response.content) == (200, b"")
    assert response.headers["content-type"] == TEXT


def test_pubsub_without_upgrade_is_400(target: Target) -> None:
    assert target.http.get("/pubsub").status_code == 400


@pytest.mark.parametrize(("method", "path"), [("GET", "/api"), ("POST", "/"), ("GET", "/version")])
def test_other_routes_are_404_page_not_found(target: Target, method: str, path: str) -> None:
    response = target.http.request(method, path)
    assert response.status_code == 404
    assert response.text.strip() == "404 page not found"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"hello", "invalid character 'h' looking for beginning of value"),
        (b"", "unexpected end of JSON input"),
        (b'{"payloadtype":', "unexpected end of JSON input"),
    ],
)
def test_a_body_that_is_not_json_gets_the_go_parser_message(
    target: Target, body: bytes, message: str
) -> None:
    response = target.post(body)
    reply = decode_reply(response.content, response.status_code)
    assert (response.status_code, reply.status, reply.message) == (400, 400, message)
    assert reply.payloadtype == "error"
    assert response.headers["content-type"] == TEXT


def test_the_documented_error_reply_byte_for_byte(target: Target) -> None:
    request = {
        "payloadtype": "getcoloniesmsg",
        "payload": "eyJtc2d0eXBlIjoiZ2V0Y29sb25pZXNtc2cifQ==",
        "signature": "6b76a4590b85557e5fcdfe5a2ad886b09b057318fa750e67fef832b60cd1f819"
        "506c54a73a1f077db0a916b0f764e7263c04f4afd777317fa75ce2e0f168892301",
    }
    assert K1.sign(request["payload"]) == request["signature"]
    response = target.post(json.dumps(request))
    assert response.status_code == 403
    assert json.loads(response.content) == {
        "payloadtype": "error",
        "payload": "eyJzdGF0dXMiOjQwMywibWVzc2FnZSI6IkFjY2VzcyBkZW5pZWQsIG5vdCBzZXJ2ZXIgb3duZXIifQ==",
        "error": True,
    }


def test_versionmsg_needs_no_signature(target: Target) -> None:
    response = target.post(
        {"payloadtype": "versionmsg", "payload": encode_payload({"msgtype": "versionmsg"})}
    )
    reply = decode_reply(response.content, response.status_code)
    assert (response.status_code, reply.payloadtype) == (200, "versionmsg")
    assert set(reply.result) == {"buildversion", "buildtime", "msgtype"}
    assert reply.result["msgtype"] == "versionmsg"


def test_versionmsg_with_an_empty_payload_is_invalid_json(target: Target) -> None:
    response = target.post({"payloadtype": "versionmsg", "payload": "", "signature": ""})
    reply = decode_reply(response.content, response.status_code)
    assert (reply.status, reply.message) == (400, "Failed to get server version, invalid JSON")


def test_getserverinfomsg_needs_neither_payload_nor_signature(target: Target) -> None:
    response = target.post({"payloadtype": "getserverinfomsg"})
    reply = decode_reply(response.content, response.status_code)
    assert response.status_code == 200
    assert {"buildversion", "buildtime", "backends"} <= set(reply.result)
    backend = reply.result["backends"][0]
    assert {"type", "port", "host"} <= set(backend)


def test_unknown_and_empty_payload_types(target: Target, colony: Colony) -> None:
    status, message = target.fails(colony.user_key, "nosuchmsg")
    assert (status, message) == (403, "invalid rpcMsg.PayloadType: nosuchmsg")
    assert target.fails(colony.user_key, "getnodesmsg") == (
        403,
        "invalid rpcMsg.PayloadType: getnodesmsg",
    )
    response = target.post(
        {"payloadtype": "", "payload": "e30=", "signature": colony.user_key.sign("e30=")}
    )
    reply = decode_reply(response.content, response.status_code)
    assert (reply.status, reply.message) == (403, EMPTY_TYPE)


def test_signature_is_checked_before_the_payload_type(target: Target) -> None:
    response = target.post({"payloadtype": "nosuchmsg", "payload": "e30=", "signature": ""})
    reply = decode_reply(response.content, response.status_code)
    assert (reply.status, reply.message) == (403, "Invalid signature length")


def _signed(payload: str, key: PrivateKey, payloadtype: str) -> dict[str, str]:
    return {"payloadtype": payloadtype, "payload": payload, "signature": key.sign(payload)}


_MESSAGE = b'{"msgtype":"getcoloniesmsg","x":"??>"}'
_UNPADDED = base64.b64encode(b'{"msgtype":"getcoloniesmsg"}').decode().rstrip("=")
_URLSAFE = base64.urlsafe_b64encode(_MESSAGE).decode()


@pytest.mark.parametrize("payload", [_UNPADDED, _URLSAFE], ids=["unpadded", "urlsafe"])
def test_non_standard_base64_is_invalid_json(target: Target, payload: str) -> None:
    assert payload != base64.b64encode(base64.urlsafe_b64decode(payload + "==")).decode()
    response = target.post(_signed(payload, target.server_key, "getcoloniesmsg"))
    reply = decode_reply(response.content, response.status_code)
    assert (reply.status, reply.message) == (400, "Failed to get colonies, invalid JSON")


@pytest.mark.parametrize("message", [{"msgtype": "getcolonymsg"}, {}], ids=["other", "missing"])
def test_msgtype_must_match_payloadtype(target: Target, message: dict[str, str]) -> None:
    response = target.post(_signed(encode_payload(message), target.server_key, "getcoloniesmsg"))
    reply = decode_reply(response.content, response.status_code)
    assert (reply.status, reply.message) == (
        400,
        "Failed to get colonies, msg.MsgType does not match payloadType",
    )


def test_extra_fields_are_ignored_and_success_echoes_the_type(
    target: Target, colony: Colony
) -> None:
    message = {"colonyname": colony.name, "unknown": [1, 2], "msgtype": "getcolonymsg"}
    response = target.send(message, colony.user_key)
    reply = decode_reply(response.content, response.status_code)
    assert (response.status_code, reply.payloadtype, reply.error) == (200, "getcolonymsg", False)
    assert reply.result == {"colonyid": colony.owner_key.id, "name": colony.name}
    assert response.headers["content-type"] == TEXT


def test_operations_without_a_result_reply_with_an_empty_object(
    target: Target, colony: Colony
) -> None:
    name = "conf-extra"
    target.add_executor(colony, PrivateKey.generate(), name)
    response = target.send(
        {"msgtype": "approveexecutormsg", "colonyname": colony.name, "executorname": name},
        colony.owner_key,
    )
    assert response.status_code == 200
    assert json.loads(response.content)["payload"] == "e30="


def test_content_type_of_the_request_does_not_matter(target: Target, colony: Colony) -> None:
    message = {"msgtype": "getcolonymsg", "colonyname": colony.name}
    for content_type in ("application/json", "text/plain; charset=utf-8"):
        response = target.http.post(
            "/api",
            content=json.dumps(encode_request(message, colony.user_key)),
            headers={"content-type": content_type},
        )
        assert response.status_code == 200
