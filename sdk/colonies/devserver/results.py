"""List results as the server sends them: most empty lists are JSON ``null`` (a Go nil
slice), a few are ``[]`` (protocol 8.3). The dispatcher turns a handler's ``None`` into
``{}``, so a ``null`` payload is sent as a ready-made reply."""

from __future__ import annotations

from typing import Any

from colonies.devserver.call import Call
from colonies.devserver.dispatch import envelope_bytes
from colonies.devserver.errors import ApiError
from colonies.devserver.registry import RawReply
from colonies.wire import encode_reply

__all__ = ["MAX_COUNT", "check_count", "list_or_null"]

MAX_COUNT = 100


def list_or_null(call: Call, items: list[Any]) -> list[Any] | RawReply:
    """``items``, or a reply whose payload is ``null`` when there are none."""
    if items:
        return items
    return RawReply(200, envelope_bytes(encode_reply(call.reply_type, None)))


def check_count(count: int, limit: int = MAX_COUNT) -> None:
    """The server's limit on ``count`` in list requests."""
    if count > limit:
        raise ApiError(400, f"Count is larger than MaxCount limit <{limit}>")
