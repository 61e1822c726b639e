"""Limits shared by the list RPCs."""

from __future__ import annotations

from colonies.devserver.errors import ApiError

__all__ = ["MAX_COUNT", "check_count"]

MAX_COUNT = 100


def check_count(count: int, limit: int = MAX_COUNT) -> None:
    """The server's limit on ``count`` in list requests."""
    if count > limit:
        raise ApiError(400, f"Count is larger than MaxCount limit <{limit}>")
