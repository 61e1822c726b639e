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
        return base64.b64decode(payload.encode("ascii"), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError):
        return ""


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
    (the server has a few replies with an empty body: protocol 8.4)."""
    envelope = json.loads(body)
    if not isinstance(envelope, dict) or "payload" not in envelope:
        raise ValueError("reply is not a ColonyOS envelope")
    text = decode_payload(str(envelope.get("payload") or ""))
    result = json.loads(text) if text else None
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
