"""Spec models folded into the server's JSON Schema subset (protocol 7.8)."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

from colonies.devserver.blueprint_documents import decode_definition
from colonies.runtime import blueprint_schema
from colonies.runtime.schema import server_schema


class Color(StrEnum):
    RED = "red"
    GREEN = "green"


class Inner(BaseModel):
    mode: str = "a"
    required_inside: int


class Spec(BaseModel):
    power: bool
    level: int | None = Field(None, description="0-100")
    ratio: float = 1.0
    color: Color = Color.RED
    effect: Literal["none", "blink"] = "none"
    tags: list[str] = []
    inner: Inner | None = None
    free: dict[str, int] = {}


def test_schema_uses_only_the_server_subset() -> None:
    assert blueprint_schema(Spec) == {
        "type": "object",
        "properties": {
            "power": {"type": "boolean"},
            "level": {"type": "integer", "description": "0-100"},
            "ratio": {"type": "number"},
            "color": {"type": "string", "enum": ["red", "green"]},
            "effect": {"type": "string", "enum": ["none", "blink"]},
            "tags": {"type": "array", "items": {"type": "string"}},
            "inner": {
                "type": "object",
                "properties": {"mode": {"type": "string"}, "required_inside": {"type": "integer"}},
            },
            "free": {"type": "object"},
        },
        "required": ["power"],
    }


def test_aliases_are_the_schema_names() -> None:
    class Aliased(BaseModel):
        color_temp: int = Field(alias="colorTemp")

    assert blueprint_schema(Aliased)["properties"] == {"colorTemp": {"type": "integer"}}
    assert blueprint_schema(Aliased)["required"] == ["colorTemp"]


def test_the_subset_is_what_the_server_keeps_of_any_schema() -> None:
    """Go's structs drop an empty ``properties`` map and a top-level ``enum`` but keep an
    empty ``items``: the subset must read back unchanged, or every apply says "differs"."""
    schema = {
        "type": "object",
        "enum": [{}],
        "description": "dropped at the top",
        "properties": {
            "empty": {"type": "object", "properties": {}},
            "anything": {"type": "array", "items": {}},
            "level": {"type": "integer", "minimum": 0, "default": 3},
        },
        "required": ["level"],
    }
    folded = server_schema(schema)
    stored = decode_definition({"spec": {"schema": folded}})["spec"]["schema"]
    assert folded == stored
    assert folded["properties"]["empty"] == {"type": "object"}
    assert folded["properties"]["anything"] == {"type": "array", "items": {}}
