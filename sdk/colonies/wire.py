"""The ColonyOS RPC envelope, shared by the client and the dev server.

A request is ``{"payloadtype", "payload", "signature"}`` where ``payload`` is standard,
padded base64 of the message JSON and the signature covers that base64 *text*. A reply is
``{"payloadtype", "payload", "error"}``; an error reply's payload decodes to
``{"status", "message"}`` (protocol section 1).
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from typing import Any

from pydantic_core import from_json

from colonies import deepjson
from colonies.crypto import PrivateKey

__all__ = [
    "ERROR_PAYLOADTYPE",
    "Reply",
    "decode_payload",
    "decode_reply",
    "encode_error",
    "encode_payload",
    "encode_reply",
    "encode_request",
]

ERROR_PAYLOADTYPE = "error"

_PAYLOAD_KEY = re.compile(rb'"payload"\s*:\s*"')
_PAYLOAD_MARK = (b"\\u0000", "\x00")
"""What stands in for the payload text while the rest of the envelope is parsed, as JSON
text and as parsed value: no server sends it, so finding it proves the payload was ours."""


def encode_payload(message: Any) -> str:
    """Standard padded base64 of the compact JSON of ``message``."""
    text = deepjson.dumps(message)
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def decode_payload(payload: str) -> str:
    """Base64 text to JSON text, as the Go server does: anything but standard padded
    base64 decodes to the empty string (so the caller reports "invalid JSON")."""
    try:
        return (_b64decode(payload) or b"").decode("utf-8")
    except UnicodeError:
        return ""


def _b64decode(payload: str | memoryview) -> bytes | None:
    """Standard padded base64 to bytes, ``None`` for anything else; reads the text in place
    (no ASCII copy of a payload that can be megabytes)."""
    try:
        return binascii.a2b_base64(payload, strict_mode=True)
    except (binascii.Error, ValueError):
        return None


def encode_request(message: dict[str, Any], key: PrivateKey) -> dict[str, str]:
    """A signed request envelope for ``message``, which must carry ``msgtype``."""
    payload = encode_payload(message)
    return {
        "payloadtype": str(message["msgtype"]),
        "payload": payload,
        "signature": key.sign(payload),
    }


def encode_reply(payloadtype: str, result: Any) -> dict[str, Any]:
    """A success envelope carrying ``result``."""
    return {"payloadtype": payloadtype, "payload": encode_payload(result), "error": False}


def encode_error(status: int, message: str) -> dict[str, Any]:
    """An error envelope; the HTTP status of the response must equal ``status``."""
    return {
        "payloadtype": ERROR_PAYLOADTYPE,
        "payload": encode_payload({"status": status, "message": message}),
        "error": True,
    }


@dataclass(frozen=True, slots=True)
class Reply:
    """A decoded reply: either a result, or an error status and message."""

    payloadtype: str
    result: Any
    error: bool
    status: int
    message: str


def decode_reply(body: bytes | bytearray | str, http_status: int) -> Reply:
    """Decode a reply body. Raises ``ValueError`` when the body is not an envelope
    (the server has a few replies with an empty body: protocol 8.4).

    A list reply can be megabytes (every blueprint of a kind), so few full copies are alive
    at once: the base64 text is decoded from the body in place, a ``bytearray`` body is
    then emptied (for every holder: the body is consumed) before the payload's JSON is
    parsed, the JSON is parsed from bytes without an intermediate ``str``, and repeated
    short strings (condition reasons, timestamps, kinds) become one shared object each.
    """
    envelope, data = _open_envelope(body)
    if isinstance(body, bytearray):
        body.clear()
    result = _parse_payload(data)
    if envelope.get("error"):
        details = result if isinstance(result, dict) else {}
        return Reply(
            payloadtype=str(envelope.get("payloadtype", ERROR_PAYLOADTYPE)),
            result=None,
            error=True,
            status=int(details.get("status", http_status)),
            message=str(details.get("message", "")),
        )
    return Reply(str(envelope.get("payloadtype", "")), result, False, http_status, "")


def _open_envelope(body: bytes | bytearray | str) -> tuple[dict[str, Any], bytes]:
    """The envelope's fields but the payload, and the decoded payload."""
    if isinstance(body, bytes | bytearray) and (opened := _open_in_place(body)) is not None:
        return opened
    envelope = _parse_envelope(body)
    if not isinstance(envelope, dict) or "payload" not in envelope:
        raise ValueError("reply is not a ColonyOS envelope")
    return envelope, _b64decode(str(envelope.pop("payload") or "")) or b""


def _open_in_place(body: bytes | bytearray) -> tuple[dict[str, Any], bytes] | None:
    """:func:`_open_envelope` without a ``str`` copy of the payload: the base64 is decoded
    straight from the body and the rest of the envelope is parsed with a mark in its place.

    ``None`` when that does not give what parsing the whole body gives: no such key, text
    that is not plain base64 (escapes, anything invalid), or the key not being the
    envelope's own (nested, or repeated so that a later one wins).
    """
    key = _PAYLOAD_KEY.search(body)
    if key is None:
        return None
    start = key.end()
    end = body.find(b'"', start)
    if end < 0:
        return None
    data = _b64decode(memoryview(body)[start:end])
    if data is None:
        return None
    mark, marked = _PAYLOAD_MARK
    envelope = _parse_envelope(body[:start] + mark + body[end:])
    if not isinstance(envelope, dict) or envelope.pop("payload", None) != marked:
        return None
    return envelope, data


def _parse_envelope(body: bytes | bytearray | str) -> Any:
    """``json.loads(body)``; the fast parser reads every body the server sends, and what it
    rejects (another encoding, a BOM) is judged by :mod:`json` as before."""
    try:
        return from_json(body)
    except ValueError:
        return deepjson.loads(body)


def _parse_payload(data: bytes) -> Any:
    """The JSON value of the decoded payload, ``None`` when it is empty or not UTF-8 (Go
    semantics, as :func:`decode_payload`); what the fast parser rejects (lone surrogate
    escapes, invalid JSON) is judged by :mod:`json` as before."""
    if not data:
        return None
    try:
        return from_json(data, cache_strings=True)
    except ValueError:
        try:
            text = data.decode("utf-8")
        except UnicodeError:
            return None
        return deepjson.loads(text)
