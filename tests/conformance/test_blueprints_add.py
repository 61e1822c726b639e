"""Adding, getting and listing blueprints (protocol 3.12, 7.2, 7.7, 8.3, 9): the document is
stored as sent, one cron per kind and location, one reconcile process per add."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from colonies.crypto import PrivateKey
from tests.conformance.target import Colony, Target
from tests.conformance.test_blueprints_scope import EXECUTOR_TYPE, LAMP_SCHEMA, ZERO, World


@pytest.fixture
def world(target: Target, colony: Colony) -> World:
    made = World.of(target, colony)
    made.define(made.kind("ProbeLamp"), schema=LAMP_SCHEMA)
    return made


def real_reconcile_spec(colony: str, kind: str, name: str, location: str) -> dict[str, Any]:
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
        "kwargs": {"blueprintName": name, "kind": kind},
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
    added = world.add("b1", world.kind("ProbeLamp"), {"power": True, "brightness": 80})
    assert re.fullmatch("[0-9a-f]{64}", added["blueprintid"])
    assert added == {
        "blueprintid": added["blueprintid"],
        "kind": world.kind("ProbeLamp"),
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
    world.add("b1", world.kind("ProbeLamp"), {"power": True})
    world.add("b2", world.kind("ProbeLamp"), {"power": False})
    [cron] = world.crons()
    assert list(cron) == [
        "cronid",
        "initiatorid",
        "initiatorname",
        "colonyname",
        "name",
        "cronexpression",
        "interval",
        "random",
        "nextrun",
        "lastrun",
        "workflowspec",
        "prevprocessgraphid",
        "waitforprevprocessgraph",
        "checkerperiod",
    ]
    assert cron["name"] == f"reconcile-{world.kind('ProbeLamp')}"
    assert (cron["interval"], cron["waitforprevprocessgraph"], cron["random"]) == (60, True, False)
    assert cron["cronexpression"] == ""
    assert (cron["initiatorid"], cron["initiatorname"]) == (world.user.id, world.user_name)
    workflow = json.loads(cron["workflowspec"])
    assert workflow["functionspecs"][0]["kwargs"] == {"kind": world.kind("ProbeLamp")}
    assert workflow["functionspecs"][0]["nodename"] == "bp-reconciler-reconcile"
    for name in ("b1", "b2"):
        [process] = world.reconciles_of(name)
        assert process["spec"] == real_reconcile_spec(
            world.colony, world.kind("ProbeLamp"), name, ""
        )


def test_reconcile_process_has_the_real_shape(world: World) -> None:
    world.add("b3", world.kind("ProbeLamp"), {"power": True}, locationname="Kitchen")
    [process] = world.reconciles_of("b3")
    assert re.fullmatch("[0-9a-f]{64}", process["processid"])
    assert process["spec"] == real_reconcile_spec(
        world.colony, world.kind("ProbeLamp"), "b3", "Kitchen"
    )
    assert {
        key: process[key] for key in ("initiatorid", "initiatorname", "assignedexecutorid")
    } == {
        "initiatorid": world.user.id,
        "initiatorname": world.user_name,
        "assignedexecutorid": "",
    }
    assert (process["isassigned"], process["state"], process["retries"]) == (False, 0, 0)
    assert process["processgraphid"] == ""
    assert (process["in"], process["out"], process["errors"]) == ([], [], [])
    assert (process["parents"], process["children"], process["attributes"]) == ([], [], [])
    assert process["starttime"] == process["endtime"] == process["execdeadline"] == ZERO


def test_location_cron_and_auto_created_location(world: World) -> None:
    world.add("k1", world.kind("ProbeLamp"), {"power": True}, locationname="Kitchen")
    world.add("k2", world.kind("ProbeLamp"), {"power": True}, locationname="kitchen")
    world.add("k3", world.kind("ProbeLamp"), {"power": True}, locationname="Kitchen")
    lamp = world.kind("ProbeLamp")
    assert world.cron_names() == [f"reconcile-{lamp}-Kitchen", f"reconcile-{lamp}-kitchen"]
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
    world.add("h1", world.kind("ProbeLamp"), {"power": True}, locationname="Hall")
    hall = world.wire.ok(world.user, "getlocationmsg", colonyname=world.colony, name="Hall")
    assert (hall["description"], hall["locationid"]) == ("mine", "")


def test_owner_alone_adds_with_an_empty_initiator_name(world: World) -> None:
    world.add("o1", world.kind("ProbeLamp"), {"power": True}, key=world.owner)
    [process] = world.reconciles_of("o1")
    assert (process["initiatorid"], process["initiatorname"]) == (world.owner.id, "")
    [cron] = world.crons()
    assert (cron["initiatorid"], cron["initiatorname"]) == (world.owner.id, "")


def test_handler_less_kind_gets_no_cron_and_no_process(world: World) -> None:
    world.define(world.kind("Plain"), executor_type="", function_name="")
    world.define(world.kind("Half"), executor_type=EXECUTOR_TYPE, function_name="")
    world.add("p1", world.kind("Plain"), {"x": 1})
    world.add("p2", world.kind("Half"), {"x": 1})
    assert world.crons() == []
    assert world.processes() == []


def test_client_values_are_stored_as_sent(world: World) -> None:
    added = world.add(
        "c1",
        world.kind("ProbeLamp"),
        {"power": True, "brightness": 50.0},
        generation=7,
        createdAt="2021-02-03T04:05:06Z",
        lastReconciliationProcess="abc",
        labels={"room": "kitchen"},
    )
    sent = world.blueprint("c2", world.kind("ProbeLamp"), {"power": True})
    sent.update(
        blueprintid=f"myid-{world.suffix}", status={"phase": "Ready"}, handler={"executorType": "x"}
    )
    other = world.wire.ok(world.user, "addblueprintmsg", blueprint=sent)
    assert added["metadata"]["generation"] == 7
    assert added["metadata"]["createdAt"] == "2021-02-03T04:05:06Z"
    assert added["metadata"]["lastReconciliationProcess"] == "abc"
    assert added["metadata"]["labels"] == {"room": "kitchen"}
    assert added["spec"]["brightness"] == 50
    assert other["blueprintid"] == f"myid-{world.suffix}"
    assert other["status"] == {"phase": "Ready"}
    assert "handler" not in other
    assert world.get("c2") == other
    [entry] = world.history(added["blueprintid"])
    assert (entry["changetype"], entry["generation"]) == ("create", 7)


def test_empty_name_is_accepted_and_duplicates_conflict(world: World) -> None:
    assert world.add("", world.kind("ProbeLamp"), {"power": True})["metadata"]["name"] == ""
    world.add("dup", world.kind("ProbeLamp"), {"power": True})
    assert world.wire.fails(
        world.user,
        "addblueprintmsg",
        blueprint=world.blueprint("dup", world.kind("ProbeLamp"), {"power": True}),
    ) == (409, f"blueprint with name 'dup' already exists in colony '{world.colony}'")


def test_duplicate_client_id_across_colonies_is_a_primary_key_error(
    world: World, target: Target
) -> None:
    sent = world.blueprint("a", world.kind("ProbeLamp"), {"power": True})
    sent["blueprintid"] = f"same-{world.suffix}"
    world.wire.ok(world.user, "addblueprintmsg", blueprint=sent)
    with target.colony() as members:
        other = World.of(target, members, suffix=world.suffix)
        other.define(other.kind("ProbeLamp"))
        clash = other.blueprint("a", other.kind("ProbeLamp"), locationname="Attic")
        clash["blueprintid"] = sent["blueprintid"]
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
            {"kind": "{lamp}", "metadata": {"generation": "1"}},
            400,
            "Failed to add blueprint, invalid JSON",
        ),
        ({"kind": "", "metadata": {}}, 400, "blueprint kind is required"),
        (
            {"kind": "Nope", "metadata": {}},
            400,
            "BlueprintDefinition for kind 'Nope' not found in namespace '{colony}'",
        ),
        (  # validation comes last; each schema message: test_blueprints_schema
            {"kind": "{lamp}", "metadata": {}, "spec": {}},
            400,
            "blueprint validation failed: required field 'power' is missing",
        ),
    ],
)
def test_add_rejections(
    world: World, blueprint: dict[str, Any] | None, status: int, message: str
) -> None:
    fields: dict[str, Any] = {}
    if blueprint is not None:
        blueprint["kind"] = blueprint["kind"].format(lamp=world.kind("ProbeLamp"))
        blueprint["metadata"].update(name="x", colonyname=world.colony)
        fields["blueprint"] = blueprint
    assert world.wire.fails(world.user, "addblueprintmsg", **fields) == (
        status,
        message.format(colony=world.colony),
    )


def test_permissions_of_add(world: World) -> None:
    stranger = PrivateKey.generate()
    sent = world.blueprint("s", world.kind("ProbeLamp"), {"power": True})
    assert world.wire.fails(stranger, "addblueprintmsg", blueprint=sent) == (
        403,
        "Access denied, not colony owner",
    )
    sent["metadata"]["colonyname"] = ""
    assert world.wire.fails(world.user, "addblueprintmsg", blueprint=sent) == (
        403,
        "Empty Colony name",
    )
    world.add("by-executor", world.kind("ProbeLamp"), {"power": True}, key=world.executor)
    [process] = world.reconciles_of("by-executor")
    assert process["initiatorname"] == world.executor_name


def test_get_and_list(world: World) -> None:
    assert world.wire.ok(world.user, "getblueprintsmsg", namespace=world.colony) is None
    world.define(world.kind("Other"))
    world.add("zz", world.kind("ProbeLamp"), {"power": True}, locationname="Kitchen")
    world.add("aa", world.kind("ProbeLamp"), {"power": True}, locationname="hall")
    world.add("mm", world.kind("Other"))

    def names(**query: Any) -> list[str] | None:
        found = world.wire.ok(world.owner, "getblueprintsmsg", namespace=world.colony, **query)
        return None if found is None else [bp["metadata"]["name"] for bp in found]

    assert names() == ["aa", "mm", "zz"]
    assert names(locationname="kitchen") == ["aa", "mm", "zz"]
    assert names(kind=world.kind("ProbeLamp")) == ["aa", "zz"]
    assert names(kind=world.kind("ProbeLamp"), locationname="KITCHEN") == ["zz"]
    assert names(kind=world.kind("Other"), locationname="kitchen") is None
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
