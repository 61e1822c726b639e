"""Reconcile requests, history and removal over the wire (protocol 7.5, 7.6, 7.9, 7.11)."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

from colonies.crypto import PrivateKey
from tests.conformance.target import Colony, Target
from tests.conformance.test_blueprints_scope import EXECUTOR_TYPE, World


@pytest.fixture
def world(target: Target, colony: Colony) -> World:
    made = World.of(target, colony)
    made.define(made.kind("Lamp"))
    return made


def reconcile(
    world: World, name: str, *, force: bool = False, key: PrivateKey | None = None
) -> dict[str, Any]:
    process: dict[str, Any] = world.wire.ok(
        key or world.user, "reconcileblueprintmsg", namespace=world.colony, name=name, force=force
    )
    return process


def test_reconcile_submits_a_targeted_process(world: World) -> None:
    added = world.add("b", world.kind("Lamp"), {"on": True}, locationname="Kitchen")
    process = reconcile(world, "b", key=world.executor)
    assert process["state"] == 0
    assert process["processgraphid"] == ""
    assert process["spec"]["kwargs"] == {"blueprintName": "b", "kind": world.kind("Lamp")}
    assert process["spec"]["conditions"]["locationname"] == "Kitchen"
    assert process["initiatorname"] == world.executor_name
    assert process["processid"] in {p["processid"] for p in world.reconciles_of("b")}
    assert "generation" not in world.get("b")["metadata"]
    assert len(world.history(added["blueprintid"])) == 1


def test_forced_reconcile_bumps_generation_without_history(world: World) -> None:
    added = world.add("b", world.kind("Lamp"), {"on": True})
    process = reconcile(world, "b", force=True)
    assert list(process["spec"]["kwargs"].items()) == [
        ("blueprintName", "b"),
        ("force", True),
        ("kind", world.kind("Lamp")),
    ]
    reconcile(world, "b", force=True)
    assert world.get("b")["metadata"]["generation"] == 2
    assert [e["changetype"] for e in world.history(added["blueprintid"])] == ["create"]


def test_reconcile_permissions_and_errors(world: World) -> None:
    world.add("b", world.kind("Lamp"), {"on": True})
    assert world.wire.fails(
        world.owner, "reconcileblueprintmsg", namespace=world.colony, name="b"
    ) == (403, f"Access denied, not a member of Colony with name <{world.colony}>")
    assert world.wire.fails(
        world.user, "reconcileblueprintmsg", namespace=world.colony, name="nope"
    ) == (404, "Blueprint not found")


def test_reconcile_without_a_complete_handler(world: World) -> None:
    world.define(world.kind("Plain"), executor_type="", function_name="")
    world.define(world.kind("Half"), executor_type=EXECUTOR_TYPE, function_name="")
    world.add("p", world.kind("Plain"))
    world.add("h", world.kind("Half"))
    request = {"namespace": world.colony, "force": True}
    assert world.wire.fails(world.user, "reconcileblueprintmsg", name="p", **request) == (
        400,
        "Blueprint has no handler with executor type defined",
    )
    assert world.wire.fails(world.user, "reconcileblueprintmsg", name="h", **request) == (
        400,
        "Blueprint has no handler with function name defined",
    )
    assert world.get("p")["metadata"]["generation"] == 1  # the bump was written first


def test_history_rules(world: World) -> None:
    added = world.add("b", world.kind("Lamp"), {"v": 1})
    for version in (2, 3):
        world.update(world.blueprint("b", world.kind("Lamp"), {"v": version}))
    entries = world.history(added["blueprintid"])
    assert [e["generation"] for e in entries] == [2, 1, 0]
    newest = entries[0]
    assert set(newest) == {
        "historyid",
        "blueprintid",
        "kind",
        "namespace",
        "name",
        "generation",
        "spec",
        "timestamp",
        "changedby",
        "changetype",
    }
    assert (newest["namespace"], newest["name"], newest["kind"]) == (
        world.colony,
        "b",
        world.kind("Lamp"),
    )
    assert newest["changedby"] == world.user.id
    assert newest["spec"] == {"v": 3}
    assert re.fullmatch("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", newest["historyid"])
    assert [e["generation"] for e in world.history(added["blueprintid"], limit=2)] == [2, 1]
    assert (
        world.wire.ok(world.owner, "getblueprinthistorymsg", blueprintid=added["blueprintid"])
        == entries
    )
    assert world.wire.fails(
        PrivateKey.generate(), "getblueprinthistorymsg", blueprintid=added["blueprintid"]
    ) == (403, "Access denied, not colony owner")
    world.wire.ok(world.user, "removeblueprintmsg", namespace=world.colony, name="b")
    assert world.wire.fails(
        world.user, "getblueprinthistorymsg", blueprintid=added["blueprintid"]
    ) == (404, "Blueprint not found")


def test_history_outlives_the_blueprint_under_a_reused_id(world: World) -> None:
    sent = world.blueprint("b", world.kind("Lamp"), {"v": 1})
    # history rows are never deleted, so the ID must be new to this server, not just this run
    sent["blueprintid"] = f"reused-{uuid.uuid4().hex}"
    world.wire.ok(world.user, "addblueprintmsg", blueprint=sent)
    world.wire.ok(world.user, "removeblueprintmsg", namespace=world.colony, name="b")
    world.wire.ok(world.user, "addblueprintmsg", blueprint={**sent, "spec": {"v": 2}})
    assert [e["spec"] for e in world.history(sent["blueprintid"])] == [{"v": 2}, {"v": 1}]


def test_remove_submits_cleanup_and_keeps_locations(world: World) -> None:
    world.add("b", world.kind("Lamp"), {"on": True}, locationname="Kitchen")
    assert world.wire.ok(world.owner, "removeblueprintmsg", namespace=world.colony, name="b") == {}
    cleanup = [p for p in world.reconciles_of("b") if p["spec"]["funcname"] == "cleanup"]
    [process] = cleanup
    assert process["spec"]["nodename"] == "bp-reconciler-cleanup"
    assert process["spec"]["kwargs"] == {"blueprintName": "b", "kind": world.kind("Lamp")}
    assert process["spec"]["conditions"]["locationname"] == "Kitchen"
    assert process["spec"]["conditions"]["executortype"] == EXECUTOR_TYPE
    assert (process["spec"]["maxexectime"], process["spec"]["maxretries"]) == (-1, -1)
    assert (process["initiatorid"], process["initiatorname"]) == (world.owner.id, "")
    assert world.wire.ok(world.user, "getlocationmsg", colonyname=world.colony, name="Kitchen")
    assert world.wire.fails(world.user, "removeblueprintmsg", namespace=world.colony, name="b") == (
        404,
        "Blueprint not found",
    )


def test_cron_stays_while_a_blueprint_of_the_kind_remains_at_the_location(world: World) -> None:
    world.add("k1", world.kind("Lamp"), locationname="Kitchen")
    world.add("k2", world.kind("Lamp"), locationname="Kitchen")
    world.add("h1", world.kind("Lamp"), locationname="Hall")
    world.add("moved", world.kind("Lamp"), locationname="Attic")
    moved = world.get("moved")
    moved["metadata"]["locationname"] = "Hall"
    world.update(moved)
    remove = {"namespace": world.colony}
    world.wire.ok(world.user, "removeblueprintmsg", name="k1", **remove)
    lamp = world.kind("Lamp")
    assert f"reconcile-{lamp}-Kitchen" in world.cron_names()
    world.wire.ok(world.user, "removeblueprintmsg", name="k2", **remove)
    world.wire.ok(world.user, "removeblueprintmsg", name="h1", **remove)
    # "moved" keeps the Hall cron; the Attic cron it came from is orphaned
    assert world.cron_names() == [f"reconcile-{lamp}-Attic", f"reconcile-{lamp}-Hall"]
    world.wire.ok(world.user, "removeblueprintmsg", name="moved", **remove)
    assert world.cron_names() == [f"reconcile-{lamp}-Attic"]


def test_handler_less_kind_gets_no_cleanup(world: World) -> None:
    world.define(world.kind("Plain"), executor_type="", function_name="")
    world.add("p", world.kind("Plain"))
    world.wire.ok(world.user, "removeblueprintmsg", namespace=world.colony, name="p")
    assert world.processes() == []


def test_cleanup_needs_only_an_executor_type(world: World) -> None:
    world.define(world.kind("Half"), executor_type=EXECUTOR_TYPE, function_name="")
    world.add("h", world.kind("Half"))
    world.wire.ok(world.user, "removeblueprintmsg", namespace=world.colony, name="h")
    [process] = world.processes()
    assert process["spec"]["funcname"] == "cleanup"


def test_cross_colony_definition_lookup_is_mirrored(world: World, target: Target) -> None:
    """Reconcile and cleanup take the handler of the kind's first definition in any colony."""
    shared = world.kind("Shared")
    world.define(shared, executor_type="first-type", function_name="first-fn")
    with target.colony() as members:
        second = World.of(target, members, suffix=world.suffix)
        second.define(shared, executor_type="second-type", function_name="second-fn")
        second.add("s", shared)
        [on_add] = second.reconciles_of("s")
        assert on_add["spec"]["conditions"]["executortype"] == "second-type"
        assert on_add["spec"]["funcname"] == "second-fn"
        # v1.9.12 looks the kind up with `LIMIT 1` and no ORDER BY, across colonies: in
        # practice the oldest definition (the dev server takes it always), but PostgreSQL
        # may return the other one, so a real server is held to "one of the two"
        expected = {"first-type"} if not target.real else {"first-type", "second-type"}
        forced = reconcile(second, "s")
        handler = (forced["spec"]["conditions"]["executortype"], forced["spec"]["funcname"])
        assert handler in {("first-type", "first-fn"), ("second-type", "second-fn")}
        assert handler[0] in expected
        assert forced["spec"]["conditions"]["colonyname"] == second.colony
        second.wire.ok(second.user, "removeblueprintmsg", namespace=second.colony, name="s")
        cleanup = [p for p in second.reconciles_of("s") if p["spec"]["funcname"] == "cleanup"]
        assert len(cleanup) == 1
        assert cleanup[0]["spec"]["conditions"]["executortype"] in expected
