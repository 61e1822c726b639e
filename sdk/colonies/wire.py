"""The ColonyOS RPC envelope, shared by the client and the dev server.

A request is ``{"payloadtype", "payload", "signature"}`` where ``payload`` is standard,
padded base64 of the message JSON and the signature covers that base64 *text*. A reply is
``{"payloadtype", "payload", "error"}``; an error reply's payload decodes to
``{"status", "message"}`` (protocol section 1).
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from pydantic_core import from_json

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


def encode_payload(message: Any) -> str:
    """Standard padded base64 of the compact JSON of ``message``."""
    text = json.dumps(message, separators=(",", ":"), ensure_ascii=False)
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def decode_payload(payload: str) -> str:
    """Base64 text to JSON text, as the Go server does: anything but standard padded
    base64 decodes to the empty string (so the caller reports "invalid JSON")."""
    try:
        return _b64decode(payload).decode("utf-8")
    except UnicodeError:
        return ""


def _b64decode(payload: str) -> bytes:
    """Standard padded base64 to bytes, anything else to ``b""``; reads the text in place
    (no ASCII copy of a payload that can be megabytes)."""
    try:
        return binascii.a2b_base64(payload, strict_mode=True)
    except (binascii.Error, ValueError):
        return b""


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


def decode_reply(body: bytes | str, http_status: int) -> Reply:
    """Decode a reply body. Raises ``ValueError`` when the body is not an envelope
    (the server has a few replies with an empty body: protocol 8.4).

    A list reply can be megabytes (every blueprint of a kind), so few full copies are alive
    at once: the base64 text is dropped once decoded, the JSON is parsed from bytes without
    an intermediate ``str``, and repeated short strings (condition reasons, timestamps,
    kinds) become one shared object each.
    """
    envelope = _parse_envelope(body)
    if not isinstance(envelope, dict) or "payload" not in envelope:
        raise ValueError("reply is not a ColonyOS envelope")
    result = _parse_payload(_b64decode(str(envelope.pop("payload") or "")))
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


def _parse_envelope(body: bytes | str) -> Any:
    """``json.loads(body)``; the fast parser reads every body the server sends, and what it
    rejects (another encoding, a BOM) is judged by :mod:`json` as before."""
    try:
        return from_json(body)
    except ValueError:
        return json.loads(body)


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
        return json.loads(text)
