"""The shared base of every wire model and the field types that hide the server's quirks.

The server speaks Go JSON: unset times are the zero time ``0001-01-01T00:00:00Z``, empty
lists are often ``null``, and field names are lowercase without separators. Models expose
Pythonic names and values, and serialise back to exactly what the server expects.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any, Self, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, PlainSerializer

__all__ = [
    "GO_ZERO_TIME",
    "GoTime",
    "NullableDict",
    "NullableList",
    "WireModel",
    "format_go_time",
    "parse_go_time",
]

GO_ZERO_TIME = "0001-01-01T00:00:00Z"

_FRACTION = re.compile(r"\.(\d+)")


def _wire_name(field_name: str) -> str:
    """``colony_name`` -> ``colonyname``: the server's naming for almost every field."""
    return field_name.replace("_", "")


class WireModel(BaseModel):
    """Base of all server objects.

    Fields are populated by their Python name or their wire alias and serialise by alias;
    unknown fields are kept (``extra="allow"``) so a read-modify-write never drops data a
    newer server added.
    """

    model_config = ConfigDict(
        alias_generator=_wire_name,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        extra="allow",
    )

    def to_wire(self) -> dict[str, Any]:
        """The JSON-ready dict the server expects (wire names, Go times)."""
        return self.model_dump(mode="json", by_alias=True)

    @classmethod
    def from_wire(cls, data: Any) -> Self:
        """Validate a decoded server reply."""
        return cls.model_validate(data)


def parse_go_time(value: Any) -> Any:
    """Go's zero time and empty strings become ``None``; RFC 3339 text becomes a UTC datetime.

    Go writes up to nine fractional digits; Python keeps microseconds, so extra digits are
    truncated before parsing.
    """
    if value is None or value in ("", GO_ZERO_TIME):
        return None
    if isinstance(value, str):
        text = _FRACTION.sub(lambda m: "." + m.group(1)[:6].ljust(6, "0"), value, count=1)
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        if parsed.year == 1:  # a zero time written with another offset or precision
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return value


def format_go_time(value: datetime | None) -> str:
    """RFC 3339 in UTC with trimmed fractional digits, as Go writes it; ``None`` is the zero time."""
    if value is None:
        return GO_ZERO_TIME
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    value = value.astimezone(UTC)
    text = value.strftime("%Y-%m-%dT%H:%M:%S")
    if value.microsecond:
        text += "." + f"{value.microsecond:06d}".rstrip("0")
    return text + "Z"


def _none_to_list(value: Any) -> Any:
    return [] if value is None else value


def _none_to_dict(value: Any) -> Any:
    return {} if value is None else value


GoTime = Annotated[
    datetime | None,
    BeforeValidator(parse_go_time),
    PlainSerializer(format_go_time, return_type=str),
]
"""A server timestamp: ``None`` when unset (Go zero time on the wire)."""

T = TypeVar("T")

NullableList = Annotated[list[T], BeforeValidator(_none_to_list)]
"""A list the server may send as ``null``; always a list in Python."""

K = TypeVar("K")
V = TypeVar("V")

NullableDict = Annotated[dict[K, V], BeforeValidator(_none_to_dict)]
"""A map the server may send as ``null`` or leave out; always a dict in Python."""
