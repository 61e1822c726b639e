"""The one exception handlers raise to answer with an error envelope."""

from __future__ import annotations

__all__ = ["ApiError"]


class ApiError(Exception):
    """An error reply: ``status`` becomes the HTTP status and the envelope's status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message

    def __repr__(self) -> str:
        return f"ApiError({self.status}, {self.message!r})"
