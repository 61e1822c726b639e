"""Spec models folded into the server's JSON Schema subset (protocol 7.8)."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

from colonies.runtime import blueprint_schema


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
