"""Blueprint definitions (protocol 3.11, 7.11, 8.1, 9): owner-managed, name-unique per colony
with a raw database error, removal blocked while blueprints of the kind exist."""

from __future__ import annotations

import pytest

from colonies.crypto import PrivateKey
from tests.conformance.target import ID, Colony, Target, normalise
from tests.conformance.test_blueprints_scope import EXECUTOR_TYPE, LAMP_SCHEMA, ZERO, World


@pytest.fixture
def world(target: Target, colony: Colony) -> World:
    return World.of(target, colony)


def test_add_echoes_the_stored_definition(world: World) -> None:
    kind = world.kind("ProbeLamp")
    sent = world.definition(kind, schema=LAMP_SCHEMA)
    sent["spec"]["handler"]["reconcileInterval"] = 30
    added = world.wire.ok(world.owner, "addblueprintdefinitionmsg", blueprintdefinition=sent)
    assert normalise(added) == {
        "blueprintdefinitionid": ID,
        "kind": kind,
        "metadata": {
            "name": f"{kind.lower()}-def",
            "colonyname": world.colony,
            "createdAt": ZERO,
            "updatedAt": ZERO,
            "lastReconciliationTime": ZERO,
        },
        "spec": {
            "group": "test.io",
            "version": "v1",
            "names": {
                "kind": kind,
                "listKind": "",
                "singular": kind.lower(),
                "plural": kind.lower() + "s",
            },
            "scope": "Namespaced",
            "schema": LAMP_SCHEMA,
            "handler": {
                "executorType": EXECUTOR_TYPE,
                "functionName": "reconcile",
                "reconcileInterval": 30,
            },
        },
    }
    fetched = world.wire.ok(
        world.user, "getblueprintdefinitionmsg", colonyname=world.colony, name=f"{kind.lower()}-def"
    )
    assert fetched == added


def test_no_structural_validation_and_client_id_kept(world: World) -> None:
    definition_id = f"my-def-{world.suffix}"
    bare = {
        "blueprintdefinitionid": definition_id,
        "metadata": {"name": "bare", "colonyname": world.colony},
    }
    added = world.wire.ok(world.owner, "addblueprintdefinitionmsg", blueprintdefinition=bare)
    assert added["blueprintdefinitionid"] == definition_id
    assert added["kind"] == ""
    assert added["spec"] == {
        "group": "",
        "version": "",
        "names": {"kind": "", "listKind": "", "singular": "", "plural": ""},
        "scope": "",
        "handler": {"executorType": "", "functionName": ""},
    }


def test_only_the_colony_owner_adds(world: World) -> None:
    definition = world.definition(world.kind("Lamp"))
    for key in (world.user, world.executor):
        assert world.wire.fails(
            key, "addblueprintdefinitionmsg", blueprintdefinition=definition
        ) == (403, "Access denied, not colony owner")
    definition["metadata"]["colonyname"] = ""
    assert world.wire.fails(
        world.owner, "addblueprintdefinitionmsg", blueprintdefinition=definition
    ) == (403, "Empty Colony name")


def test_add_without_definition_or_with_wrong_types(world: World) -> None:
    assert world.wire.fails(world.owner, "addblueprintdefinitionmsg") == (
        400,
        "Failed to add blueprint definition, blueprint definition is nil",
    )
    wrong = world.definition(world.kind("Lamp"))
    wrong["spec"]["handler"]["reconcileInterval"] = "30s"
    assert world.wire.fails(
        world.owner, "addblueprintdefinitionmsg", blueprintdefinition=wrong
    ) == (400, "Failed to add blueprint definition, invalid JSON")


def test_duplicate_name_is_a_500_with_the_database_text(world: World) -> None:
    kind = world.kind("Lamp")
    world.define(kind, name="lamps")
    world.define(kind, name="lamps-too")  # the same kind twice is fine
    clash = world.definition(world.kind("Other"), name="lamps")
    assert world.wire.fails(
        world.owner, "addblueprintdefinitionmsg", blueprintdefinition=clash
    ) == (
        500,
        "pq: duplicate key value violates unique constraint "
        '"prod_blueprintdefinitions_colony_name_name_key"',
    )


def test_duplicate_client_id_is_a_primary_key_error(world: World) -> None:
    definition = world.definition(world.kind("Lamp"))
    definition["blueprintdefinitionid"] = f"shared-{world.suffix}"
    world.wire.ok(world.owner, "addblueprintdefinitionmsg", blueprintdefinition=definition)
    definition["metadata"]["name"] = "another-name"
    assert world.wire.fails(
        world.owner, "addblueprintdefinitionmsg", blueprintdefinition=definition
    ) == (
        500,
        'pq: duplicate key value violates unique constraint "prod_blueprintdefinitions_pkey"',
    )


def test_get_and_list_for_members_and_owner(world: World) -> None:
    assert world.wire.ok(world.user, "getblueprintdefinitionsmsg", colonyname=world.colony) == []
    world.define(world.kind("Zeta"), name="zeta")
    world.define(world.kind("Alpha"), name="alpha")
    for key in (world.user, world.executor, world.owner):
        listed = world.wire.ok(key, "getblueprintdefinitionsmsg", colonyname=world.colony)
        assert [d["metadata"]["name"] for d in listed] == ["alpha", "zeta"]
        one = world.wire.ok(key, "getblueprintdefinitionmsg", colonyname=world.colony, name="zeta")
        assert one["kind"] == world.kind("Zeta")
    assert world.wire.fails(
        world.user, "getblueprintdefinitionmsg", colonyname=world.colony, name="nope"
    ) == (404, "Blueprint definition not found")


def test_get_uses_colonyname_and_strangers_are_refused(world: World) -> None:
    world.define(world.kind("Lamp"), name="lamp-def")
    assert world.wire.fails(
        world.user, "getblueprintdefinitionmsg", namespace=world.colony, name="lamp-def"
    ) == (403, "Empty Colony name")
    assert world.wire.fails(
        PrivateKey.generate(), "getblueprintdefinitionsmsg", colonyname=world.colony
    ) == (403, "Access denied, not colony owner")


def test_remove_rules(world: World) -> None:
    kind = world.kind("Lamp")
    world.define(kind, name="lamp-def")
    world.define(kind, name="second-lamp-def")
    world.add("kitchen", kind)
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
        f"cannot remove BlueprintDefinition 'lamp-def': 1 blueprint(s) of kind '{kind}' still exist",
    )
    world.wire.ok(world.user, "removeblueprintmsg", namespace=world.colony, name="kitchen")
    assert world.wire.ok(world.owner, "removeblueprintdefinitionmsg", **remove) == {}
    assert world.wire.fails(world.owner, "removeblueprintdefinitionmsg", **remove) == (
        404,
        f"BlueprintDefinition 'lamp-def' not found in namespace '{world.colony}'",
    )
    listed = world.wire.ok(world.owner, "getblueprintdefinitionsmsg", colonyname=world.colony)
    assert [d["metadata"]["name"] for d in listed] == ["second-lamp-def"]
