"""Channel messages: in-memory streams bound to a process (protocol 3.9, 4.3)."""

from __future__ import annotations

import base64
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer

from colonies.models._base import GoTime, WireModel

__all__ = ["ChannelMessage", "encode_channel_payload"]


def _decode_payload(value: Any) -> Any:
    """The server sends Go ``[]byte`` as base64 text; a JSON array of byte values also occurs."""
    if value is None:
        return b""
    if isinstance(value, str):
        return base64.b64decode(value)
    if isinstance(value, list):
        return bytes(value)
    return value


def encode_channel_payload(value: bytes | str) -> str:
    """Base64 text of ``value`` (strings are UTF-8 encoded first)."""
    raw = value.encode("utf-8") if isinstance(value, str) else value
    return base64.b64encode(raw).decode("ascii")


Payload = Annotated[
    bytes,
    BeforeValidator(_decode_payload),
    PlainSerializer(encode_channel_payload, return_type=str),
]


class ChannelMessage(WireModel):
    """One entry of a channel. ``type`` is ``"data"``, ``"end"``, ``"error"`` or custom."""

    sequence: int = 0
    in_reply_to: int = 0
    timestamp: GoTime = None
    sender_id: str = ""
    payload: Payload = b""
    type: str = "data"
    error: str = ""

    @property
    def text(self) -> str:
        """The payload decoded as UTF-8."""
        return self.payload.decode("utf-8")
