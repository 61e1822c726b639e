"""Blueprint definition RPCs over the wire (protocol 3.11, 7.11, 8.1, 9)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from tests.conformance.test_blueprints_scope import LAMP_SCHEMA, ZERO, DevColonies, World

from colonies.crypto import PrivateKey


@pytest.fixture(scope="module")
def dev() -> Iterator[DevColonies]:
    with DevColonies.running() as running:
        yield running


@pytest.fixture
def world(dev: DevColonies) -> World:
    return dev.world("def")


def test_add_echoes_the_stored_definition(world: World) -> None:
    added = world.define("ProbeLamp", schema=LAMP_SCHEMA)
    assert re.fullmatch("[0-9a-f]{64}", added["blueprintdefinitionid"])
    assert added["kind"] == "ProbeLamp"
    assert added["metadata"] == {
        "name": "probelamp-def",
        "colonyname": world.colony,
        "createdAt": ZERO,
        "updatedAt": ZERO,
        "lastReconciliationTime": ZERO,
    }
    assert added["spec"]["names"] == {
        "kind": "ProbeLamp",
        "listKind": "",
        "singular": "probelamp",
        "plural": "probelamps",
    }
    assert added["spec"]["schema"]["required"] == ["power"]
    assert added["spec"]["handler"] == {
        "executorType": "bp-reconciler",
        "functionName": "reconcile",
    }
    fetched = world.wire.ok(
        world.user, "getblueprintdefinitionmsg", colonyname=world.colony, name="probelamp-def"
    )
    assert fetched == added


def test_no_structural_validation_and_client_id_kept(world: World) -> None:
    bare = {
        "blueprintdefinitionid": "my-def",
        "metadata": {"name": "bare", "colonyname": world.colony},
    }
    added = world.wire.ok(world.owner, "addblueprintdefinitionmsg", blueprintdefinition=bare)
    assert added["blueprintdefinitionid"] == "my-def"
    assert added["kind"] == ""
    assert added["spec"] == {
        "group": "",
        "version": "",
        "names": {"kind": "", "listKind": "", "singular": "", "plural": ""},
        "scope": "",
        "handler": {"executorType": "", "functionName": ""},
    }


def test_only_the_colony_owner_adds(world: World) -> None:
    definition = world.definition("Lamp")
    for key in (world.user, world.executor):
        assert world.wire.fails(
            key, "addblueprintdefinitionmsg", blueprintdefinition=definition
        ) == (
            403,
            "Access denied, not colony owner",
        )
    definition["metadata"]["colonyname"] = ""
    assert world.wire.fails(
        world.owner, "addblueprintdefinitionmsg", blueprintdefinition=definition
    ) == (403, "Empty Colony name")


def test_add_without_definition_or_with_wrong_types(world: World) -> None:
    assert world.wire.fails(world.owner, "addblueprintdefinitionmsg") == (
        400,
        "Failed to add blueprint definition, blueprint definition is nil",
    )
    wrong = world.definition("Lamp")
    wrong["spec"]["handler"]["reconcileInterval"] = "30s"
    assert world.wire.fails(
        world.owner, "addblueprintdefinitionmsg", blueprintdefinition=wrong
    ) == (
        400,
        "Failed to add blueprint definition, invalid JSON",
    )


def test_duplicate_name_is_a_500_with_the_database_text(world: World) -> None:
    world.define("Lamp", name="lamps")
    world.define("Lamp", name="lamps-too")  # the same kind twice is fine
    assert world.wire.fails(
        world.owner,
        "addblueprintdefinitionmsg",
        blueprintdefinition=world.definition("Other", name="lamps"),
    ) == (
        500,
        'pq: duplicate key value violates unique constraint "prod_blueprintdefinitions_colony_name_name_key"',
    )


def test_duplicate_client_id_is_a_primary_key_error(world: World, dev: DevColonies) -> None:
    definition = world.definition("Lamp")
    definition["blueprintdefinitionid"] = "shared-id"
    world.wire.ok(world.owner, "addblueprintdefinitionmsg", blueprintdefinition=definition)
    other = dev.world("def")
    clash = other.definition("Lamp")
    clash["blueprintdefinitionid"] = "shared-id"
    assert other.wire.fails(
        other.owner, "addblueprintdefinitionmsg", blueprintdefinition=clash
    ) == (
        500,
        'pq: duplicate key value violates unique constraint "prod_blueprintdefinitions_pkey"',
    )


def test_get_and_list_for_members_and_owner(world: World) -> None:
    assert world.wire.ok(world.user, "getblueprintdefinitionsmsg", colonyname=world.colony) == []
    world.define("Zeta", name="zeta")
    world.define("Alpha", name="alpha")
    for key in (world.user, world.executor, world.owner):
        listed = world.wire.ok(key, "getblueprintdefinitionsmsg", colonyname=world.colony)
        assert [d["metadata"]["name"] for d in listed] == ["alpha", "zeta"]
        one = world.wire.ok(key, "getblueprintdefinitionmsg", colonyname=world.colony, name="zeta")
        assert one["kind"] == "Zeta"
    assert world.wire.fails(
        world.user, "getblueprintdefinitionmsg", colonyname=world.colony, name="nope"
    ) == (404, "Blueprint definition not found")


def test_get_uses_colonyname_and_strangers_are_refused(world: World) -> None:
    world.define("Lamp")
    assert world.wire.fails(
        world.user, "getblueprintdefinitionmsg", namespace=world.colony, name="lamp-def"
    ) == (403, "Empty Colony name")
    stranger = PrivateKey.generate()
    assert world.wire.fails(stranger, "getblueprintdefinitionsmsg", colonyname=world.colony) == (
        403,
        "Access denied, not colony owner",
    )


def test_remove_rules(world: World) -> None:
    world.define("Lamp")
    world.define("Lamp", name="second-lamp-def")
    world.add("kitchen", "Lamp")
    remove = {"namespace": world.colony, "name": "lamp-def"}
    assert world.wire.fails(world.user, "removeblueprintdefinitionmsg", **remove) == (
        403,
        "Access denied, not colony owner",
    )
    assert world.wire.fails(
        world.owner, "removeblueprintdefinitionmsg", colonyname=world.colony, name="lamp-def"
    ) == (403, "Empty Colony name")
    assert world.wire.fails(world.owner, "removeblueprintdefinitionmsg", **remove) == (
        409,
        "cannot remove BlueprintDefinition 'lamp-def': 1 blueprint(s) of kind 'Lamp' still exist",
    )
    world.wire.ok(world.user, "removeblueprintmsg", namespace=world.colony, name="kitchen")
    assert world.wire.ok(world.owner, "removeblueprintdefinitionmsg", **remove) == {}
    assert world.wire.fails(world.owner, "removeblueprintdefinitionmsg", **remove) == (
        404,
        f"BlueprintDefinition 'lamp-def' not found in namespace '{world.colony}'",
    )
    names = [
        d["metadata"]["name"]
        for d in world.wire.ok(world.owner, "getblueprintdefinitionsmsg", colonyname=world.colony)
    ]
    assert names == ["second-lamp-def"]
