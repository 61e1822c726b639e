"""Go-compatible timestamps: RFC 3339 in UTC with trimmed fractional digits (protocol 8.2)."""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = ["ZERO_TIME", "format_time", "parse_time"]

ZERO_TIME = "0001-01-01T00:00:00Z"


def format_time(dt: datetime | None) -> str:
    """Format like Go's ``time.Time`` JSON: ``...T22:47:32.73722Z``; ``None`` is the zero time."""
    if dt is None:
        return ZERO_TIME
    if dt.tzinfo is not None:
        dt = dt.astimezone(UTC)
    text = dt.strftime("%Y-%m-%dT%H:%M:%S")
    if dt.microsecond:
        text += "." + f"{dt.microsecond:06d}".rstrip("0")
    return text + "Z"


def parse_time(text: str) -> datetime | None:
    """The inverse of :func:`format_time`; the zero time (or an empty string) gives ``None``."""
    if not text or text.startswith("0001-01-01T00:00:00"):
        return None
    return datetime.fromisoformat(text).astimezone(UTC)
