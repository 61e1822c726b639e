"""Updating blueprints and their status over the wire (protocol 7.3, 7.4, 7.9, 7.10)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from tests.conformance.target import Colony, Target
from tests.conformance.test_blueprints_scope import LAMP_SCHEMA, World


@pytest.fixture
def world(target: Target, colony: Colony) -> World:
    made = World.of(target, colony)
    made.define(made.kind("ProbeLamp"), schema=LAMP_SCHEMA)
    made.define(made.kind("Other"), name="other-def")
    return made


def changed(blueprint: dict[str, Any], **spec: Any) -> dict[str, Any]:
    updated = copy.deepcopy(blueprint)
    updated["spec"].update(spec)
    return updated


def generations(world: World, blueprint_id: str) -> list[tuple[str, int]]:
    return [(e["changetype"], e["generation"]) for e in world.history(blueprint_id)]


def test_no_op_update_keeps_generation_and_writes_nothing(world: World) -> None:
    added = world.add("b", world.kind("ProbeLamp"), {"power": True, "brightness": 50})
    reordered = world.blueprint("b", world.kind("ProbeLamp"), {"brightness": 50.0, "power": True})
    reply = world.update(reordered)
    assert "generation" not in reply["metadata"]
    assert reply["blueprintid"] == added["blueprintid"]
    assert generations(world, added["blueprintid"]) == [("create", 0)]
    assert len(world.reconciles_of("b")) == 1


def test_forced_and_spec_changing_updates_bump_and_reconcile(world: World) -> None:
    added = world.add("b", world.kind("ProbeLamp"), {"power": True})
    assert world.update(added, force=True)["metadata"]["generation"] == 1
    assert world.update(changed(added, brightness=10))["metadata"]["generation"] == 2
    assert world.update(changed(added, brightness=20))["metadata"]["generation"] == 3
    assert world.get("b")["metadata"]["generation"] == 3
    assert generations(world, added["blueprintid"]) == [
        ("update", 3),
        ("update", 2),
        ("update", 1),
        ("create", 0),
    ]
    processes = world.reconciles_of("b")  # nothing is de-duplicated: 1 + 3
    assert len(processes) == 4
    assert all(
        p["spec"]["kwargs"] == {"blueprintName": "b", "kind": world.kind("ProbeLamp")}
        for p in processes
    )


def test_update_replaces_the_whole_document(world: World) -> None:
    sent = world.blueprint(
        "b", world.kind("ProbeLamp"), {"power": True}, labels={"a": "1", "b": "2"}
    )
    sent["status"] = {"phase": "Ready"}
    world.wire.ok(world.user, "addblueprintmsg", blueprint=sent)
    replacement = world.blueprint(
        "b",
        world.kind("ProbeLamp"),
        {"power": True},
        labels={"c": "3"},
        generation=42,
        createdAt="2021-02-03T04:05:06Z",
        lastReconciliationProcess="abc",
    )
    replacement["blueprintid"] = "ignored"
    reply = world.update(replacement)
    stored = world.get("b")
    assert stored == reply
    assert "status" not in stored
    assert stored["metadata"]["labels"] == {"c": "3"}
    assert "generation" not in stored["metadata"]
    assert stored["metadata"]["createdAt"] == "2021-02-03T04:05:06Z"
    assert stored["metadata"]["lastReconciliationProcess"] == "abc"
    assert stored["blueprintid"] != "ignored"


def test_kind_can_change_to_any_defined_kind(world: World) -> None:
    added = world.add("b", world.kind("ProbeLamp"), {"power": True})
    moved = {**added, "kind": world.kind("Other")}
    # only the spec (or forcegeneration) decides the generation (protocol 7.3)
    assert "generation" not in world.update(moved)["metadata"]
    assert world.get("b")["kind"] == world.kind("Other")
    assert world.update(changed(moved, v=2))["metadata"]["generation"] == 1
    assert world.wire.fails(
        world.user, "updateblueprintmsg", blueprint={**added, "kind": "Nope"}
    ) == (
        400,
        f"BlueprintDefinition for kind 'Nope' not found in namespace '{world.colony}'",
    )


def test_location_change_creates_nothing_and_retargets(world: World) -> None:
    added = world.add("b", world.kind("ProbeLamp"), {"power": True}, locationname="Kitchen")
    moved = copy.deepcopy(added)
    moved["metadata"]["locationname"] = "Attic"
    world.update(changed(moved, brightness=1))
    assert world.cron_names() == [f"reconcile-{world.kind('ProbeLamp')}-Kitchen"]
    assert world.wire.ok(world.user, "getlocationmsg", colonyname=world.colony, name="Kitchen")
    assert (
        world.wire.fails(world.user, "getlocationmsg", colonyname=world.colony, name="Attic")[0]
        == 404
    )
    targets = sorted(p["spec"]["conditions"]["locationname"] for p in world.reconciles_of("b"))
    assert targets == ["Attic", "Kitchen"]


def test_owner_alone_update_bumps_without_a_process(world: World) -> None:
    added = world.add("b", world.kind("ProbeLamp"), {"power": True})
    assert (
        world.update(changed(added, brightness=3), key=world.owner)["metadata"]["generation"] == 1
    )
    assert generations(world, added["blueprintid"])[0] == ("update", 1)
    assert world.history(added["blueprintid"])[0]["changedby"] == world.owner.id
    assert len(world.reconciles_of("b")) == 1


def test_update_rejections(world: World) -> None:
    world.add("b", world.kind("ProbeLamp"), {"power": True})
    assert world.wire.fails(world.user, "updateblueprintmsg", forcegeneration=True) == (
        400,
        "Failed to update blueprint, blueprint is nil",
    )
    assert world.wire.fails(
        world.user,
        "updateblueprintmsg",
        blueprint=world.blueprint("missing", world.kind("ProbeLamp"), {}),
    ) == (404, f"blueprint 'missing' not found in namespace '{world.colony}'")
    assert world.wire.fails(
        world.user,
        "updateblueprintmsg",
        blueprint=world.blueprint("b", world.kind("ProbeLamp"), {"power": 1}),
    ) == (400, "blueprint validation failed: field 'power' must be a boolean, got float64")
    assert world.wire.fails(
        world.user,
        "updateblueprintmsg",
        blueprint=world.blueprint("b", world.kind("ProbeLamp"), {"power": True}),
        forcegeneration="yes",
    ) == (400, "Failed to update blueprint, invalid JSON")


def test_status_update_is_member_only_and_touches_nothing_else(world: World) -> None:
    added = world.add("b", world.kind("ProbeLamp"), {"power": True})
    status = {"colonyname": world.colony, "blueprintname": "b"}
    for key in (world.user, world.executor):
        assert (
            world.wire.ok(
                key, "updateblueprintstatusmsg", status={"phase": "Ready", "n": 1.0}, **status
            )
            == {}
        )
    stored = world.get("b")
    assert stored["status"] == {"n": 1, "phase": "Ready"}
    assert "generation" not in stored["metadata"]
    assert generations(world, added["blueprintid"]) == [("create", 0)]
    assert len(world.reconciles_of("b")) == 1
    assert world.wire.fails(world.owner, "updateblueprintstatusmsg", status={}, **status) == (
        403,
        f"Access denied, not a member of Colony with name <{world.colony}>",
    )
    world.wire.ok(world.user, "updateblueprintstatusmsg", status=None, **status)
    assert "status" not in world.get("b")
    assert world.wire.fails(
        world.user,
        "updateblueprintstatusmsg",
        colonyname=world.colony,
        blueprintname="nope",
        status={},
    ) == (404, "Blueprint not found")
    assert world.wire.fails(world.user, "updateblueprintstatusmsg", status=[1], **status) == (
        400,
        "Failed to update blueprint status, invalid JSON",
    )


def test_status_at_write_time_is_kept_in_history(world: World) -> None:
    added = world.add("b", world.kind("ProbeLamp"), {"power": True})
    world.wire.ok(
        world.user,
        "updateblueprintstatusmsg",
        colonyname=world.colony,
        blueprintname="b",
        status={"phase": "Ready"},
    )
    with_status = world.get("b")
    world.update(changed(with_status, brightness=9))
    newest, oldest = world.history(added["blueprintid"])
    assert newest["status"] == {"phase": "Ready"}
    assert newest["spec"] == {"brightness": 9, "power": True}
    assert "status" not in oldest
    assert world.history(added["blueprintid"], limit=1) == [newest]
