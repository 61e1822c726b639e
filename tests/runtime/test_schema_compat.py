"""The compatibility checklist (after crdify's validations): type, required, enum, default,
bounds, field removal and addition, unknown fields, at any depth."""

from __future__ import annotations

from typing import Any, Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field

from colonies.runtime.schema import blueprint_schema, full_schema
from colonies.runtime.schema_compat import schema_changes


class Inner(BaseModel):
    speed: int = Field(default=1, ge=0, le=10)


class Old(BaseModel):
    model_config = ConfigDict(extra="forbid")
    power: bool
    level: int = Field(default=50, ge=0, le=100)
    mode: Literal["a", "b"] = "a"
    name: str | None = None
    tags: list[str] = []
    inner: Inner = Inner()


def verdicts(new: dict[str, Any]) -> set[tuple[str, str, bool]]:
    changes = schema_changes(full_schema(Old), new)
    return {(change.path, change.rule, change.compatible) for change in changes}


def variant(**fields: Any) -> dict[str, Any]:
    """Old's schema with some properties replaced (None removes one)."""
    schema = full_schema(Old)
    for name, value in fields.items():
        if value is None:
            del schema["properties"][name]
        else:
            schema["properties"][name] = value
    return schema


def test_an_identical_schema_has_no_changes() -> None:
    assert schema_changes(full_schema(Old), full_schema(Old)) == []


@pytest.mark.parametrize(
    ("new", "expected"),
    [
        (variant(extra={"type": "string"}), ("extra", "added", True)),
        (variant(level={"type": "integer", "minimum": 0, "maximum": 200}), ("level", "maximum", True)),
        (variant(level={"type": "integer", "minimum": 0, "maximum": 50}), ("level", "maximum", False)),
        (variant(level={"type": "integer", "minimum": 5, "maximum": 100}), ("level", "minimum", False)),
        (variant(level={"type": "integer", "maximum": 100}), ("level", "minimum", True)),
        (variant(level={"type": "number", "minimum": 0, "maximum": 100}), ("level", "type", True)),
        (variant(level={"type": "string"}), ("level", "type", False)),
        (variant(mode={"enum": ["a", "b", "c"], "type": "string"}), ("mode", "enum", True)),
        (variant(mode={"enum": ["a"], "type": "string"}), ("mode", "enum", False)),
        (variant(name=None), ("name", "removed", False)),
        (variant(tags={"type": "array", "items": {"type": "integer"}}), ("tags[]", "type", False)),
        (
            variant(inner={"type": "object", "properties": {"speed": {"type": "integer"}}}),
            ("inner.speed", "maximum", True),
        ),
    ],
)  # fmt: skip
def test_each_rule_says_whether_old_specs_stay_valid(
    new: dict[str, Any], expected: tuple[str, str, bool]
) -> None:
    assert expected in verdicts(new)


def test_required_default_and_unknown_fields() -> None:
    schema = full_schema(Old)
    schema["required"] = ["power", "level"]
    schema["properties"]["mode"] = {**schema["properties"]["mode"], "default": "b"}
    schema["additionalProperties"] = True
    assert verdicts(schema) >= {
        ("level", "required", False),
        ("mode", "default", False),
        ("", "additionalProperties", True),
    }
    schema["required"] = []
    assert ("power", "required", True) in verdicts(schema)


def test_a_new_required_field_is_incompatible() -> None:
    schema = variant(serial={"type": "string"})
    schema["required"] = [*schema["required"], "serial"]
    assert ("serial", "added", False) in verdicts(schema)


def test_the_servers_subset_is_read_alike() -> None:
    class Wider(BaseModel):
        power: bool
        level: int = Field(default=50, ge=0, le=100)
        mode: Literal["a", "b", "c"] = "a"
        name: str | None = None
        tags: list[str] = []
        inner: Inner = Inner()

    changes = schema_changes(blueprint_schema(Old), blueprint_schema(Wider))
    assert [(c.path, c.rule, c.compatible) for c in changes] == [("mode", "enum", True)]
