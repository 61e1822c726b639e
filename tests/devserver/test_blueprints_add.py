"""Adding, getting and listing blueprints over the wire (protocol 3.12, 7.2, 7.7, 8.3, 9)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from tests.conformance.test_blueprints_scope import (
    EXECUTOR_TYPE,
    LAMP_SCHEMA,
    ZERO,
    DevColonies,
    World,
)

from colonies.crypto import PrivateKey


@pytest.fixture(scope="module")
def dev() -> Iterator[DevColonies]:
    with DevColonies.running() as running:
        yield running


@pytest.fixture
def world(dev: DevColonies) -> World:
    made = dev.world("add")
    made.define("ProbeLamp", schema=LAMP_SCHEMA)
    return made


def real_reconcile_spec(colony: str, name: str, location: str) -> dict[str, Any]:
    """The spec of the real targeted reconcile process of protocol 7.7."""
    conditions: dict[str, Any] = {
        "colonyname": colony,
        "executornames": None,
        "executortype": EXECUTOR_TYPE,
        "locationname": location,
        "dependencies": [],
        "nodes": 0,
        "cpu": "0m",
        "processes": 0,
        "processespernode": 0,
        "mem": "0Mi",
        "storage": "0Mi",
        "gpu": {"name": "", "mem": "0Mi", "count": 0, "nodecount": 0},
        "walltime": 0,
    }
    if not location:
        del conditions["locationname"]
    return {
        "nodename": "bp-reconciler-reconcile",
        "funcname": "reconcile",
        "args": [],
        "kwargs": {"blueprintName": name, "kind": "ProbeLamp"},
        "priority": 0,
        "maxwaittime": 0,
        "maxexectime": -1,
        "maxretries": -1,
        "conditions": conditions,
        "label": "",
        "fs": {"mount": "", "snapshots": None, "dirs": None},
        "env": {},
    }


def test_add_reply_is_the_stored_blueprint_as_sent(world: World) -> None:
    added = world.add("b1", "ProbeLamp", {"power": True, "brightness": 80})
    assert re.fullmatch("[0-9a-f]{64}", added["blueprintid"])
    assert added == {
        "blueprintid": added["blueprintid"],
        "kind": "ProbeLamp",
        "metadata": {
            "name": "b1",
            "colonyname": world.colony,
            "createdAt": ZERO,
            "updatedAt": ZERO,
            "lastReconciliationTime": ZERO,
        },
        "spec": {"brightness": 80, "power": True},
    }
    assert world.get("b1") == added


def test_add_creates_one_cron_and_a_process_per_add(world: World) -> None:
    world.add("b1", "ProbeLamp", {"power": True})
    world.add("b2", "ProbeLamp", {"power": False})
    [cron] = world.crons()
    assert cron["name"] == "reconcile-ProbeLamp"
    assert (cron["interval"], cron["waitforprevprocessgraph"], cron["random"]) == (60, True, False)
    assert cron["cronexpression"] == ""
    assert (cron["initiatorid"], cron["initiatorname"]) == (world.user.id, "dev-user")
    workflow = json.loads(cron["workflowspec"])
    assert workflow["functionspecs"][0]["kwargs"] == {"kind": "ProbeLamp"}
    assert workflow["functionspecs"][0]["nodename"] == "bp-reconciler-reconcile"
    for name in ("b1", "b2"):
        [process] = world.reconciles_of(name)
        assert process["spec"] == real_reconcile_spec(world.colony, name, "")


def test_reconcile_process_has_the_real_shape(world: World) -> None:
    world.add("b3", "ProbeLamp", {"power": True}, locationname="Kitchen")
    [process] = world.reconciles_of("b3")
    assert re.fullmatch("[0-9a-f]{64}", process["processid"])
    assert process["spec"] == real_reconcile_spec(world.colony, "b3", "Kitchen")
    assert {
        key: process[key] for key in ("initiatorid", "initiatorname", "assignedexecutorid")
    } == {
        "initiatorid": world.user.id,
        "initiatorname": "dev-user",
        "assignedexecutorid": "",
    }
    assert (process["isassigned"], process["state"], process["retries"]) == (False, 0, 0)
    assert process["processgraphid"] == ""
    assert (process["in"], process["out"], process["errors"]) == ([], [], [])
    assert (process["parents"], process["children"], process["attributes"]) == ([], [], [])
    assert process["starttime"] == process["endtime"] == process["execdeadline"] == ZERO


def test_location_cron_and_auto_created_location(world: World) -> None:
    world.add("k1", "ProbeLamp", {"power": True}, locationname="Kitchen")
    world.add("k2", "ProbeLamp", {"power": True}, locationname="kitchen")
    world.add("k3", "ProbeLamp", {"power": True}, locationname="Kitchen")
    assert world.cron_names() == ["reconcile-ProbeLamp-Kitchen", "reconcile-ProbeLamp-kitchen"]
    kitchen = world.wire.ok(world.user, "getlocationmsg", colonyname=world.colony, name="Kitchen")
    assert re.fullmatch("[0-9a-f]{64}", kitchen["locationid"])
    assert kitchen == {
        "locationid": kitchen["locationid"],
        "name": "Kitchen",
        "colonyname": world.colony,
        "description": "Auto-created from blueprint k1",
        "long": 0,
        "lat": 0,
    }
    names = [
        loc["name"] for loc in world.wire.ok(world.user, "getlocationsmsg", colonyname=world.colony)
    ]
    assert sorted(names) == ["Kitchen", "kitchen"]
    workflow = json.loads(
        next(c for c in world.crons() if c["name"].endswith("-Kitchen"))["workflowspec"]
    )
    assert workflow["functionspecs"][0]["conditions"]["locationname"] == "Kitchen"


def test_existing_location_is_not_replaced(world: World) -> None:
    location = {
        "name": "Hall",
        "colonyname": world.colony,
        "description": "mine",
        "long": 1.5,
        "lat": 2,
    }
    world.wire.ok(world.owner, "addlocationmsg", location=location)
    world.add("h1", "ProbeLamp", {"power": True}, locationname="Hall")
    hall = world.wire.ok(world.user, "getlocationmsg", colonyname=world.colony, name="Hall")
    assert (hall["description"], hall["locationid"]) == ("mine", "")


def test_owner_alone_adds_with_an_empty_initiator_name(world: World) -> None:
    world.add("o1", "ProbeLamp", {"power": True}, key=world.owner)
    [process] = world.reconciles_of("o1")
    assert (process["initiatorid"], process["initiatorname"]) == (world.owner.id, "")
    [cron] = world.crons()
    assert (cron["initiatorid"], cron["initiatorname"]) == (world.owner.id, "")


def test_handler_less_kind_gets_no_cron_and_no_process(world: World) -> None:
    world.define("Plain", executor_type="", function_name="")
    world.define("Half", executor_type=EXECUTOR_TYPE, function_name="")
    world.add("p1", "Plain", {"x": 1})
    world.add("p2", "Half", {"x": 1})
    assert world.crons() == []
    assert world.processes() == []


def test_client_values_are_stored_as_sent(world: World) -> None:
    added = world.add(
        "c1",
        "ProbeLamp",
        {"power": True, "brightness": 50.0},
        generation=7,
        createdAt="2021-02-03T04:05:06Z",
        lastReconciliationProcess="abc",
        labels={"room": "kitchen"},
    )
    sent = world.blueprint("c2", "ProbeLamp", {"power": True})
    sent.update(blueprintid="myid123", status={"phase": "Ready"}, handler={"executorType": "x"})
    other = world.wire.ok(world.user, "addblueprintmsg", blueprint=sent)
    assert added["metadata"]["generation"] == 7
    assert added["metadata"]["createdAt"] == "2021-02-03T04:05:06Z"
    assert added["metadata"]["lastReconciliationProcess"] == "abc"
    assert added["metadata"]["labels"] == {"room": "kitchen"}
    assert added["spec"]["brightness"] == 50
    assert other["blueprintid"] == "myid123"
    assert other["status"] == {"phase": "Ready"}
    assert "handler" not in other
    assert world.get("c2") == other
    [entry] = world.history(added["blueprintid"])
    assert (entry["changetype"], entry["generation"]) == ("create", 7)


def test_empty_name_is_accepted_and_duplicates_conflict(world: World) -> None:
    assert world.add("", "ProbeLamp", {"power": True})["metadata"]["name"] == ""
    world.add("dup", "ProbeLamp", {"power": True})
    assert world.wire.fails(
        world.user,
        "addblueprintmsg",
        blueprint=world.blueprint("dup", "ProbeLamp", {"power": True}),
    ) == (409, f"blueprint with name 'dup' already exists in colony '{world.colony}'")


def test_duplicate_client_id_across_colonies_is_a_primary_key_error(
    world: World, dev: DevColonies
) -> None:
    sent = world.blueprint("a", "ProbeLamp", {"power": True})
    sent["blueprintid"] = "same-id"
    world.wire.ok(world.user, "addblueprintmsg", blueprint=sent)
    other = dev.world("add")
    other.define("ProbeLamp")
    clash = other.blueprint("a", "ProbeLamp", {"power": True}, locationname="Attic")
    clash["blueprintid"] = "same-id"
    assert other.wire.fails(other.user, "addblueprintmsg", blueprint=clash) == (
        500,
        'pq: duplicate key value violates unique constraint "prod_blueprints_pkey"',
    )
    assert other.wire.ok(other.user, "getlocationsmsg", colonyname=other.colony) is None


@pytest.mark.parametrize(
    ("blueprint", "status", "message"),
    [
        (None, 400, "Failed to add blueprint, blueprint is nil"),
        (
            {"kind": "ProbeLamp", "metadata": {"generation": "1"}},
            400,
            "Failed to add blueprint, invalid JSON",
        ),
        ({"kind": "", "metadata": {}}, 400, "blueprint kind is required"),
        (
            {"kind": "Nope", "metadata": {}},
            400,
            "BlueprintDefinition for kind 'Nope' not found in namespace '{colony}'",
        ),
        (
            {"kind": "ProbeLamp", "metadata": {}, "spec": {}},
            400,
            "blueprint validation failed: required field 'power' is missing",
        ),
        (
            {"kind": "ProbeLamp", "metadata": {}, "spec": {"power": True, "color": "pink"}},
            400,
            "blueprint validation failed: field 'color' must be one of [red green blue], got pink",
        ),
    ],
)
def test_add_rejections(
    world: World, blueprint: dict[str, Any] | None, status: int, message: str
) -> None:
    fields: dict[str, Any] = {}
    if blueprint is not None:
        blueprint["metadata"].update(name="x", colonyname=world.colony)
        fields["blueprint"] = blueprint
    assert world.wire.fails(world.user, "addblueprintmsg", **fields) == (
        status,
        message.format(colony=world.colony),
    )


def test_permissions_of_add(world: World) -> None:
    stranger = PrivateKey.generate()
    sent = world.blueprint("s", "ProbeLamp", {"power": True})
    assert world.wire.fails(stranger, "addblueprintmsg", blueprint=sent) == (
        403,
        "Access denied, not colony owner",
    )
    sent["metadata"]["colonyname"] = ""
    assert world.wire.fails(world.user, "addblueprintmsg", blueprint=sent) == (
        403,
        "Empty Colony name",
    )
    world.add("by-executor", "ProbeLamp", {"power": True}, key=world.executor)
    [process] = world.reconciles_of("by-executor")
    assert process["initiatorname"] == "rec-1"


def test_get_and_list(world: World) -> None:
    assert world.wire.ok(world.user, "getblueprintsmsg", namespace=world.colony) is None
    world.define("Other")
    world.add("zz", "ProbeLamp", {"power": True}, locationname="Kitchen")
    world.add("aa", "ProbeLamp", {"power": True}, locationname="hall")
    world.add("mm", "Other")

    def names(**query: Any) -> list[str] | None:
        found = world.wire.ok(world.owner, "getblueprintsmsg", namespace=world.colony, **query)
        return None if found is None else [bp["metadata"]["name"] for bp in found]

    assert names() == ["aa", "mm", "zz"]
    assert names(locationname="kitchen") == ["aa", "mm", "zz"]
    assert names(kind="ProbeLamp") == ["aa", "zz"]
    assert names(kind="ProbeLamp", locationname="KITCHEN") == ["zz"]
    assert names(kind="Other", locationname="kitchen") is None
    assert names(kind="Missing") is None
    assert world.get("mm")["spec"] == {}
    assert world.wire.fails(world.user, "getblueprintmsg", namespace=world.colony, name="nn") == (
        404,
        "Blueprint not found",
    )
    assert world.wire.fails(world.user, "getblueprintmsg", colonyname=world.colony, name="aa") == (
        403,
        "Empty Colony name",
    )
    assert world.wire.fails(PrivateKey.generate(), "getblueprintsmsg", namespace=world.colony) == (
        403,
        "Access denied, not colony owner",
    )
