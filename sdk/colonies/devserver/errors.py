"""The one exception handlers raise to answer with an error envelope."""

from __future__ import annotations

from typing import TypeVar

__all__ = ["ApiError", "found"]

T = TypeVar("T")


class ApiError(Exception):
    """An error reply: ``status`` becomes the HTTP status and the envelope's status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message

    def __repr__(self) -> str:
        return f"ApiError({self.status}, {self.message!r})"


def found(value: T | None, status: int, message: str) -> T:
    """``value``, or the error the server gives when it looked something up and got nothing
    (its status varies: 400, 404 or 500, protocol 8.4)."""
    if value is None:
        raise ApiError(status, message)
    return value
