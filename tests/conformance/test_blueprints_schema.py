"""Blueprint spec validation against the definition's schema (protocol 7.2 step 5, 7.8):
every message of the 7.8 table, and what is deliberately not checked.

Each rejected spec has exactly one fault: with several, the server reports whichever field
its map order visits first.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conformance.target import Target
from tests.conformance.test_blueprints_scope import VALIDATION_SCHEMA, VIOLATIONS, World

_names = itertools.count(1)


@pytest.fixture(scope="module")
def world(target: Target) -> Iterator[World]:
    """One colony and one schema for the module: rejected adds change nothing."""
    with target.colony() as colony:
        made = World.of(target, colony)
        made.define(made.kind("Schema"), schema=VALIDATION_SCHEMA)
        yield made


def add(world: World, spec: dict[str, Any]) -> Any:
    """The reply to adding a blueprint with ``spec`` under a fresh name."""
    return world.wire.call(
        world.user,
        "addblueprintmsg",
        blueprint=world.blueprint(f"b{next(_names)}", world.kind("Schema"), spec),
    )


@pytest.mark.parametrize(("spec", "reason"), VIOLATIONS)
def test_each_violation_has_the_servers_message(
    world: World, spec: dict[str, Any], reason: str
) -> None:
    reply = add(world, spec)
    assert (reply.error, reply.status, reply.message) == (
        True,
        400,
        f"blueprint validation failed: {reason}",
    )


@pytest.mark.parametrize("count", ["many", 1.5])
def test_type_integer_is_not_checked(world: World, count: object) -> None:
    reply = add(world, {"power": True, "count": count})
    assert not reply.error, reply.message
    assert reply.result["spec"]["count"] == count


def test_fields_not_in_properties_are_allowed(world: World) -> None:
    reply = add(world, {"power": False, "extra": [1, {"x": None}]})
    assert not reply.error, reply.message
    assert reply.result["spec"]["extra"] == [1, {"x": None}]


def test_required_inside_nested_objects_is_ignored(world: World) -> None:
    reply = add(world, {"power": True, "cfg": {}})
    assert not reply.error, reply.message


def test_a_valid_spec_is_stored_as_sent(world: World) -> None:
    spec = {"power": True, "brightness": 80, "color": "red", "tags": ["a"], "cfg": {"mode": "x"}}
    reply = add(world, spec)
    assert not reply.error, reply.message
    assert reply.result["spec"] == spec
