"""The blueprint schema checker: every message of protocol 7.8, with Go's type names."""

from __future__ import annotations

from typing import Any

import pytest

from colonies.devserver.blueprint_documents import decode_definition
from colonies.devserver.blueprint_schema import go_type_name, go_value_text, validate_spec
from tests.conformance.test_blueprints_scope import VALIDATION_SCHEMA, VIOLATIONS

# The conformance suite's validation schema, decoded as the dev server stores it.
SCHEMA: dict[str, Any] = decode_definition({"spec": {"schema": VALIDATION_SCHEMA}})["spec"][
    "schema"
]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        *VIOLATIONS,  # the messages the conformance suite also checks on the wire
        ({"power": None}, "field 'power' must be a boolean, got <nil>"),
        ({"power": {}}, "field 'power' must be a boolean, got map[string]interface {}"),
        ({"power": []}, "field 'power' must be a boolean, got []interface {}"),
        ({"power": True, "brightness": True}, "field 'brightness' must be a number, got bool"),
    ],
)
def test_each_rejection_has_the_servers_message(spec: dict[str, Any], message: str) -> None:
    assert validate_spec(spec, SCHEMA) == message


@pytest.mark.parametrize("count", ["many", 1.5, True, None])
def test_integer_type_is_not_checked(count: object) -> None:
    assert validate_spec({"power": True, "count": count}, SCHEMA) is None


def test_unknown_fields_and_nested_required_are_not_enforced() -> None:
    assert validate_spec({"power": False, "extra": [1], "cfg": {}}, SCHEMA) is None


def test_valid_spec_passes() -> None:
    spec = {"power": True, "brightness": 80, "color": "red", "tags": ["a"], "cfg": {"mode": "x"}}
    assert validate_spec(spec, SCHEMA) is None


def test_missing_spec_counts_as_empty() -> None:
    assert validate_spec(None, SCHEMA) == "required field 'power' is missing"


def test_enum_comparison_is_exact_and_type_sensitive() -> None:
    schema = {"properties": {"level": {"enum": [1, "2", True, None]}}}
    assert validate_spec({"level": 1.0}, schema) is None
    assert validate_spec({"level": "2"}, schema) is None
    assert validate_spec({"level": None}, schema) is None
    assert (
        validate_spec({"level": 2}, schema)
        == "field 'level' must be one of [1 2 true <nil>], got 2"
    )
    assert validate_spec({"level": "1"}, schema) == (
        "field 'level' must be one of [1 2 true <nil>], got 1"
    )
    assert validate_spec({"level": True}, schema) is None
    rejected = validate_spec({"level": False}, schema)
    assert rejected == "field 'level' must be one of [1 2 true <nil>], got false"
    assert validate_spec({"flag": True}, {"properties": {"flag": {"enum": [1]}}}) == (
        "field 'flag' must be one of [1], got true"
    )


def test_type_check_comes_before_enum_and_items() -> None:
    schema = {"properties": {"tags": {"type": "array", "items": {"enum": ["a"]}, "enum": [[]]}}}
    assert validate_spec({"tags": ["b"]}, schema) == "field 'tags[0]' must be one of [a], got b"
    # Go panics comparing two slices; the dev server treats them as different instead.
    assert validate_spec({"tags": []}, schema) == "field 'tags' must be one of [[]], got []"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0, "0"),
        (50, "50"),
        (1.5, "1.5"),
        (100000, "100000"),
        (123456.5, "123456.5"),
        (1000000, "1e+06"),
        (1234567, "1.234567e+06"),
        (0.0001, "0.0001"),
        (0.00001, "1e-05"),
        (-2.5, "-2.5"),
        (1e21, "1e+21"),
        ({"b": 1, "a": [True, None]}, "map[a:[true <nil>] b:1]"),
        ("text", "text"),
    ],
)
def test_go_value_text_matches_fmt_v(value: object, text: str) -> None:
    assert go_value_text(value) == text


def test_go_type_names() -> None:
    values: list[object] = ["", 1, 1.0, False, None, {}, []]
    assert [go_type_name(v) for v in values] == [
        "string",
        "float64",
        "float64",
        "bool",
        "<nil>",
        "map[string]interface {}",
        "[]interface {}",
    ]
