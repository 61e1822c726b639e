"""Go ``encoding/json`` semantics for the typed structs the blueprint handlers decode.

The real server unmarshals blueprint and definition messages into Go structs and stores
the re-marshalled struct. That round trip decides what clients see: unknown fields are
dropped, missing strings become ``""``, ``omitempty`` fields vanish when empty, every JSON
number becomes a float64 (``50.0`` comes back as ``50``), map keys come back sorted, and a
wrong JSON type anywhere makes the whole message "invalid JSON". A codec here turns a
decoded request value into exactly that re-marshalled form, or raises
:class:`GoDecodeError`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from colonies import deepjson
from colonies.devserver.timefmt import ZERO_TIME

__all__ = [
    "ANY",
    "ANY_LIST",
    "ANY_MAP",
    "INT64",
    "STRING",
    "STRING_LIST",
    "STRING_MAP",
    "TIME",
    "Codec",
    "Field",
    "GoDecodeError",
    "Map",
    "Pointer",
    "Struct",
    "go_marshal",
]

_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
_FLOAT_INT_LIMIT = 1e21  # Go's encoder switches to exponent notation from here on
_RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})\Z"
)


class GoDecodeError(ValueError):
    """The value would make Go's json.Unmarshal fail: the handler answers "invalid JSON"."""


class Codec:
    """Decodes one Go-typed value into its re-marshalled JSON form."""

    def decode(self, value: Any) -> Any:
        raise NotImplementedError

    def zero(self) -> Any:
        """The re-marshalled zero value (what a missing or null field becomes)."""
        raise NotImplementedError

    def is_empty(self, value: Any) -> bool:
        """Go's ``omitempty`` test on the re-marshalled value."""
        return value is None


def _go_float(value: float) -> int | float:
    """A float64 as Go's encoder prints it: integral values without a fraction."""
    if math.isinf(value) or math.isnan(value):
        raise GoDecodeError("number out of float64 range")
    if value.is_integer() and abs(value) < _FLOAT_INT_LIMIT:
        return int(Decimal(repr(value)))
    return value


def _any_scalar(value: Any) -> Any:
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int | float):
        return _go_float(float(value))
    raise GoDecodeError(f"unsupported JSON value {type(value).__name__}")


def _any(value: Any) -> Any:
    """interface{}: numbers become float64 and objects become maps (keys sorted on output);
    walked without recursion, since Go accepts 10,000 levels of nesting."""
    return deepjson.map_scalars(value, _any_scalar, sort_keys=True)


class _Any(Codec):
    def decode(self, value: Any) -> Any:
        return _any(value)

    def zero(self) -> Any:
        return None


class _String(Codec):
    def decode(self, value: Any) -> Any:
        if value is None:
            return ""
        if not isinstance(value, str):
            raise GoDecodeError("cannot unmarshal into string")
        return value

    def zero(self) -> Any:
        return ""

    def is_empty(self, value: Any) -> bool:
        return bool(value == "")


class _Int64(Codec):
    def decode(self, value: Any) -> Any:
        if value is None:
            return 0
        if isinstance(value, bool) or not isinstance(value, int):
            raise GoDecodeError("cannot unmarshal into int64")
        if not _INT64_MIN <= value <= _INT64_MAX:
            raise GoDecodeError("number overflows int64")
        return value

    def zero(self) -> Any:
        return 0

    def is_empty(self, value: Any) -> bool:
        return bool(value == 0)


class _Time(Codec):
    """time.Time: RFC 3339 in, RFC 3339 with trimmed nanoseconds and the same offset out."""

    def decode(self, value: Any) -> Any:
        if value is None:
            return ZERO_TIME
        if not isinstance(value, str):
            raise GoDecodeError("cannot unmarshal into time.Time")
        match = _RFC3339.match(value)
        if match is None:
            raise GoDecodeError("cannot parse time")
        year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
        fraction, zone = match.group(7) or "", match.group(8)
        try:
            datetime(year, month, day, hour, minute, second)  # validates the calendar date
        except ValueError:
            raise GoDecodeError("time out of range") from None
        if zone != "Z" and (int(zone[1:3]) >= 24 or int(zone[4:6]) >= 60):
            raise GoDecodeError("time zone offset out of range")
        if zone in ("+00:00", "-00:00"):
            zone = "Z"
        digits = fraction[:9].rstrip("0")
        return f"{value[:19]}{'.' + digits if digits else ''}{zone}"

    def zero(self) -> Any:
        return ZERO_TIME

    def is_empty(self, value: Any) -> bool:
        return False  # a struct is never empty for omitempty


class Map(Codec):
    """map[string]V; JSON null gives a nil map, marshalled as null."""

    def __init__(self, element: Callable[[Any], Any]) -> None:
        self._element = element

    def decode(self, value: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, dict):
            raise GoDecodeError("cannot unmarshal into map")
        return {key: self._element(value[key]) for key in sorted(value)}

    def zero(self) -> Any:
        return None

    def is_empty(self, value: Any) -> bool:
        return not value


class _List(Codec):
    """[]V; JSON null gives a nil slice, marshalled as null."""

    def __init__(self, element: Callable[[Any], Any]) -> None:
        self._element = element

    def decode(self, value: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, list):
            raise GoDecodeError("cannot unmarshal into slice")
        return [self._element(item) for item in value]

    def zero(self) -> Any:
        return None

    def is_empty(self, value: Any) -> bool:
        return not value


def _string_element(value: Any) -> str:
    decoded: str = STRING.decode(value)
    return decoded


@dataclass(frozen=True)
class Field:
    """One struct field: its JSON name, its codec, and whether it has ``omitempty``."""

    name: str
    codec: Codec
    omitempty: bool = False


class Struct(Codec):
    """A Go struct: keys match field names exactly or, failing that, case-insensitively."""

    def __init__(self, fields: Sequence[Field]) -> None:
        self._fields = tuple(fields)
        self._by_name = {field.name: field for field in self._fields}
        self._by_folded = {field.name.casefold(): field for field in reversed(self._fields)}

    def _field_for(self, key: str) -> Field | None:
        return self._by_name.get(key) or self._by_folded.get(key.casefold())

    def decode(self, value: Any) -> Any:
        if value is None:
            return self.zero()
        if not isinstance(value, dict):
            raise GoDecodeError("cannot unmarshal into struct")
        decoded = {field.name: field.codec.zero() for field in self._fields}
        for key, item in value.items():
            field = self._field_for(key)
            if field is not None and item is not None:
                decoded[field.name] = field.codec.decode(item)
        return self._marshal(decoded)

    def _marshal(self, decoded: dict[str, Any]) -> dict[str, Any]:
        return {
            field.name: decoded[field.name]
            for field in self._fields
            if not (field.omitempty and field.codec.is_empty(decoded[field.name]))
        }

    def zero(self) -> Any:
        return self._marshal({field.name: field.codec.zero() for field in self._fields})

    def is_empty(self, value: Any) -> bool:
        return False


class Pointer(Codec):
    """*T: JSON null (or absence) gives nil, marshalled as null."""

    def __init__(self, target: Codec) -> None:
        self._target = target

    def decode(self, value: Any) -> Any:
        return None if value is None else self._target.decode(value)

    def zero(self) -> Any:
        return None


ANY: Codec = _Any()
STRING: Codec = _String()
INT64: Codec = _Int64()
TIME: Codec = _Time()
ANY_MAP: Codec = Map(_any)
ANY_LIST: Codec = _List(_any)
STRING_MAP: Codec = Map(_string_element)
STRING_LIST: Codec = _List(_string_element)

_HTML_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028"}
_HTML_ESCAPES["\u2029"] = "\\u2029"


def go_marshal(value: Any) -> str:
    """Compact JSON text as Go's json.Marshal writes it (HTML-sensitive characters escaped)."""
    text = deepjson.dumps(value)
    for raw, escaped in _HTML_ESCAPES.items():
        text = text.replace(raw, escaped)
    return text
