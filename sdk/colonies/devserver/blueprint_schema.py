"""Validation of a blueprint's spec against its definition's schema (protocol 7.8).

A deliberately small checker, faithful to the real server rather than to JSON Schema:
only the top-level ``required`` list is enforced, ``type: integer`` is not checked at
all, fields without a property are allowed, and messages use Go's type names (``%T``) and
value rendering (``%v``). The real server walks the spec in Go's random map order, so with
several errors the reported one varies; here fields are checked in the order of the
decoded spec (sorted keys), which is one of the orders the server may pick.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

__all__ = ["go_type_name", "go_value_text", "validate_spec"]

_TYPE_WORDS = {
    "string": "a string",
    "number": "a number",
    "boolean": "a boolean",
    "object": "an object",
    "array": "an array",
}


def go_type_name(value: Any) -> str:
    """Go's ``%T`` of a value decoded into ``interface{}``."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, str):
        return "string"
    if isinstance(value, int | float):
        return "float64"
    if isinstance(value, dict):
        return "map[string]interface {}"
    return "[]interface {}"


def _go_float_text(value: float) -> str:
    """strconv.FormatFloat(v, 'g', -1, 64): shortest digits, exponent form from 1e+06 up."""
    if value == 0:
        return "-0" if str(value).startswith("-") else "0"
    sign, digits, exponent = Decimal(repr(value)).normalize().as_tuple()
    assert isinstance(exponent, int)
    text = "".join(str(digit) for digit in digits)
    decimal_exponent = len(text) + exponent - 1
    prefix = "-" if sign else ""
    if decimal_exponent < -4 or decimal_exponent >= 6:
        mantissa = text[0] + ("." + text[1:] if len(text) > 1 else "")
        exponent_sign = "-" if decimal_exponent < 0 else "+"
        return f"{prefix}{mantissa}e{exponent_sign}{abs(decimal_exponent):02d}"
    if decimal_exponent < 0:
        return f"{prefix}0.{'0' * (-decimal_exponent - 1)}{text}"
    whole = text[: decimal_exponent + 1].ljust(decimal_exponent + 1, "0")
    fraction = text[decimal_exponent + 1 :]
    return f"{prefix}{whole}{'.' + fraction if fraction else ''}"


def go_value_text(value: Any) -> str:
    """Go's ``%v`` of a value decoded into ``interface{}``."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return _go_float_text(float(value))
    if isinstance(value, dict):
        pairs = (f"{key}:{go_value_text(value[key])}" for key in sorted(value))
        return "map[" + " ".join(pairs) + "]"
    return "[" + " ".join(go_value_text(item) for item in value) + "]"


def _go_equal(left: Any, right: Any) -> bool:
    """Go's ``==`` on two interface{} values: equal only with the same dynamic type.

    Comparing two maps or two slices panics in Go; such enum entries never match here.
    """
    if go_type_name(left) != go_type_name(right):
        return False
    if isinstance(left, dict | list):
        return False
    return bool(left == right)


def _type_error(path: str, value: Any, expected: str) -> str | None:
    matches = {
        "string": lambda: isinstance(value, str),
        "number": lambda: go_type_name(value) == "float64",
        "boolean": lambda: isinstance(value, bool),
        "object": lambda: isinstance(value, dict),
        "array": lambda: isinstance(value, list),
    }
    check = matches.get(expected)
    if check is None or check():
        return None
    return f"field '{path}' must be {_TYPE_WORDS[expected]}, got {go_type_name(value)}"


def _validate_field(path: str, value: Any, prop: dict[str, Any]) -> str | None:
    expected = prop.get("type", "")
    error = _type_error(path, value, expected)
    if error is not None:
        return error
    items = prop.get("items")
    if expected == "array" and items is not None:
        for index, item in enumerate(value):
            error = _validate_field(f"{path}[{index}]", item, items)
            if error is not None:
                return error
    enum = prop.get("enum") or []
    if enum and not any(_go_equal(value, allowed) for allowed in enum):
        return f"field '{path}' must be one of {go_value_text(enum)}, got {go_value_text(value)}"
    nested = prop.get("properties") or {}
    if expected == "object" and nested:
        for key, nested_value in value.items():
            if key in nested:
                error = _validate_field(f"{path}.{key}", nested_value, nested[key])
                if error is not None:
                    return error
    return None


def validate_spec(spec: dict[str, Any] | None, schema: dict[str, Any]) -> str | None:
    """The server's reason for rejecting ``spec`` (without the "blueprint validation
    failed: " prefix), or None when it passes. ``schema`` is a decoded definition schema."""
    fields = spec or {}
    for required in schema.get("required") or []:
        if required not in fields:
            return f"required field '{required}' is missing"
    properties = schema.get("properties") or {}
    for key, value in fields.items():
        if key in properties:
            error = _validate_field(key, value, properties[key])
            if error is not None:
                return error
    return None
