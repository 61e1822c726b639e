"""Reply decoding: the lean decoder gives what ``json.loads`` of the payload text gave, the
Go semantics for broken payloads included, and shares repeated strings."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from colonies import wire


def _body(payload: str, *, error: bool = False, payloadtype: str = "x") -> bytes:
    return json.dumps({"payloadtype": payloadtype, "payload": payload, "error": error}).encode()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@pytest.mark.parametrize(
    "result",
    [
        {"a": [1, 2.5, -0.0, None, True], "b": {"c": "é ✓"}},
        [{"big": 123456789012345678901234567890, "tiny": 1e-400, "huge": 1.1e400}],
        "text",
        0,
        [],
    ],
    ids=["object", "numbers", "string", "zero", "empty-list"],
)
def test_results_equal_what_json_gives(result: Any) -> None:
    body = json.dumps(wire.encode_reply("x", result)).encode()
    reply = wire.decode_reply(body, 200)
    assert reply == wire.Reply("x", json.loads(json.dumps(result)), False, 200, "")


def test_a_str_body_decodes_as_bytes_do() -> None:
    body = json.dumps(wire.encode_reply("x", {"a": 1}))
    assert wire.decode_reply(body, 200) == wire.decode_reply(body.encode(), 200)


@pytest.mark.parametrize("payload", [_b64(b'{"a": [1]}'), "e30\\u003d"], ids=["plain", "escaped"])
def test_a_bytearray_body_decodes_as_bytes_do_and_is_consumed(payload: str) -> None:
    """The async client's body: emptied once its payload is decoded, so a list reply's
    text is not alive while the payload is parsed."""
    body = bytearray(_body(payload))
    assert wire.decode_reply(body, 200) == wire.decode_reply(_body(payload), 200)
    assert body == bytearray()


@pytest.mark.parametrize(
    "payload",
    ["not base64!", "e30", _b64(b"\xff\xfe{}"), "", "ZQ==ZQ=="],
    ids=["alphabet", "padding", "not-utf8", "empty", "data-after-padding"],
)
def test_broken_payloads_decode_to_no_result(payload: str) -> None:
    assert wire.decode_reply(_body(payload), 200).result is None
    assert wire.decode_payload(payload) == ""


def test_a_lone_surrogate_escape_decodes_as_json_does() -> None:
    reply = wire.decode_reply(_body(_b64(b'{"a": "\\ud800"}')), 200)
    assert reply.result == {"a": "\ud800"}


def test_invalid_json_in_a_valid_payload_is_an_error() -> None:
    with pytest.raises(ValueError, match="Expecting property name"):
        wire.decode_reply(_body(_b64(b"{nope")), 200)


def test_a_body_with_a_byte_order_mark_still_decodes() -> None:
    body = b"\xef\xbb\xbf" + json.dumps(wire.encode_reply("x", [1])).encode()
    assert wire.decode_reply(body, 200).result == [1]


@pytest.mark.parametrize("body", [b"[]", b"{}", b"null"], ids=["list", "no-payload", "null"])
def test_a_body_that_is_no_envelope_is_refused(body: bytes) -> None:
    with pytest.raises(ValueError, match="not a ColonyOS envelope"):
        wire.decode_reply(body, 200)


def test_an_error_envelope_carries_status_and_message() -> None:
    body = json.dumps(wire.encode_error(404, "no such blueprint")).encode()
    reply = wire.decode_reply(body, 404)
    assert reply == wire.Reply("error", None, True, 404, "no such blueprint")


def test_an_error_envelope_with_a_broken_payload_keeps_the_http_status() -> None:
    reply = wire.decode_reply(_body("!!", error=True, payloadtype="error"), 502)
    assert (reply.error, reply.status, reply.message) == (True, 502, "")


def test_repeated_short_strings_are_one_object() -> None:
    items = [{"reason": "Converged", "message": "the device matches the spec"} for _ in range(3)]
    result = wire.decode_reply(json.dumps(wire.encode_reply("x", items)).encode(), 200).result
    assert result == items
    assert len({id(item["message"]) for item in result}) == 1


SLASHED = b'["???"]'
"""JSON whose base64 has a ``/``, which a server may send escaped."""


def test_a_servers_reply_is_read_in_place() -> None:
    body = json.dumps(wire.encode_reply("x", ["???"])).encode()
    assert "/" in _b64(SLASHED)
    assert wire._open_in_place(body) == ({"payloadtype": "x", "error": False}, SLASHED)


def _whole(body: bytes) -> Any:
    """What parsing the whole envelope gives: the old decoder's result."""
    payload = json.loads(body)["payload"]
    text = wire.decode_payload(payload) if isinstance(payload, str) else ""
    return json.loads(text) if text else None


def _in(template: bytes, result: bytes) -> bytes:
    """``template`` with the base64 of ``result`` for its ``%s``."""
    return template % _b64(result).encode()


@pytest.mark.parametrize(
    "body",
    [
        _in(b'{"payloadtype":"x","payload":"%s","error":false}', b'{"a":"\\/"}'),
        _in(b'{"payloadtype": "x", "payload" : "%s"}', b"[1]"),
        _in(b'{"payloadtype":"x","payload":"%s"}', SLASHED).replace(b"/", b"\\/"),
        _in(b'{"payloadtype":"x","payload":"e30=","payload":"%s"}', b"[2]"),
        _in(b'{"other":{"payload":"e30="},"payloadtype":"x","payload":"%s"}', b"[3]"),
        _in(b'{"payload":"%s","other":{"payload":"e30="}}', b"[4]"),
        b'{"payload":"e30=\\n"}',
        b'{"payload":null}',
        b'{"payload":"\xc3\xa9"}',
    ],
    ids=[
        "compact",
        "spaced",
        "escaped-slash",
        "repeated-key",
        "nested-key-first",
        "nested-key-after",
        "escape-in-payload",
        "null",
        "non-ascii",
    ],
)
def test_reading_the_payload_in_place_gives_what_the_whole_envelope_gives(body: bytes) -> None:
    assert wire.decode_reply(body, 200).result == _whole(body)
