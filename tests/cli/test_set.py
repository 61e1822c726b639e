"""``colonies-sdk set``: values typed by the kind's schema, validated before sending."""

from __future__ import annotations

import pytest

from tests.cli.operate import Operator, hall, operator, writes

__all__ = ["hall", "operator"]


def test_values_are_typed_by_the_schema(hall: Operator) -> None:
    result = hall.run(
        "set",
        f"{hall.kind.upper()}S",
        "hall",
        "brightness=50",
        "power=true",
        "mode=warm",
        "cfg.level=3",
        "cfg.name=7",
    )

    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == f"{hall.kind.lower()}/hall configured"
    assert "  ~ spec.brightness: 10 -> 50" in result.stdout.splitlines()
    assert writes(result) == ["updateblueprintmsg"]
    spec = hall.blueprint("hall").spec
    assert spec == {
        "power": True,
        "brightness": 50,
        "mode": "warm",
        "cfg": {"level": 3, "name": "7"},
    }
    assert type(spec["brightness"]) is int
    assert type(spec["cfg"]["name"]) is str


def test_removing_a_field_and_an_unchanged_set(hall: Operator) -> None:
    removed = hall.run("set", hall.kind, "hall", "brightness-")
    assert removed.exit_code == 0, removed.stderr
    assert hall.blueprint("hall").spec == {"power": False}

    again = hall.run("set", hall.kind, "hall", "power=false")
    assert again.stdout.strip() == f"{hall.kind.lower()}/hall unchanged"
    assert writes(again) == []


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        ("brightness=250", "field 'brightness': 250 is greater than the maximum of 100"),
        ("brightness=bright", "the schema makes brightness an integer: expected a whole number"),
        ("power=maybe", "the schema makes power a boolean: expected true or false"),
        ("brighness=5", "field 'brighness': unknown field (did you mean 'brightness'?)"),
        ("power", "expected path=value, or path- to remove a field"),
    ],
)
def test_an_invalid_value_sends_nothing(hall: Operator, assignment: str, message: str) -> None:
    result = hall.run("set", hall.kind, "hall", assignment)

    assert result.exit_code == 2
    assert message in result.stderr
    assert writes(result) == []
    assert hall.blueprint("hall").spec == {"power": False, "brightness": 10}


def test_an_unknown_blueprint_or_kind_exits_3(hall: Operator) -> None:
    missing = hall.run("set", hall.kind, "attic", "power=true")
    assert missing.exit_code == 3
    assert f"{hall.kind.lower()}/attic not found" in missing.stderr
    unknown = hall.run("set", "toaster", "hall", "power=true")
    assert unknown.exit_code == 3
    assert f"unknown kind 'toaster' (known kinds: {hall.kind})" in unknown.stderr
