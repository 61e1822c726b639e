"""Crons over the wire: validation, the first-tick rule, firing, previous outputs as ``in``,
waiting for the previous graph, runcron and removal (protocol 3.6)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from colonies.devserver import Bootstrap, DevServer
from colonies.devserver.crons import create_cron, find_cron
from tests.devserver.test_workloads_wire import (
    Wire,
    boot_fixture,
    eventually,
    fn_spec,
    server_fixture,
    wire_fixture,
)

ZERO = "0001-01-01T00:00:00Z"


server = server_fixture(cron_tick=0.1)
wire = wire_fixture()
boot = boot_fixture()


def workflow_text(boot: Bootstrap) -> str:
    spec = fn_spec(boot, nodename="tick")
    return json.dumps({"colonyname": boot.colony_name, "functionspecs": [spec]})


def cron(boot: Bootstrap, **fields: Any) -> dict[str, Any]:
    base = {
        "name": "every-second",
        "colonyname": boot.colony_name,
        "interval": 1,
        "workflowspec": workflow_text(boot),
    }
    return {**base, **fields}


def add(wire: Wire, boot: Bootstrap, **fields: Any) -> dict[str, Any]:
    added: dict[str, Any] = wire.ok(boot.user_key, "addcronmsg", cron=cron(boot, **fields))
    return added


def get(wire: Wire, boot: Bootstrap, cron_id: str) -> dict[str, Any]:
    found: dict[str, Any] = wire.ok(boot.user_key, "getcronmsg", cronid=cron_id)
    return found


def test_add_returns_the_servers_cron(wire: Wire, boot: Bootstrap) -> None:
    added = add(wire, boot, waitforprevprocessgraph=True)
    assert list(added) == [
        "cronid", "initiatorid", "initiatorname", "colonyname", "name", "cronexpression",
        "interval", "random", "nextrun", "lastrun", "workflowspec", "prevprocessgraphid",
        "waitforprevprocessgraph", "checkerperiod",
    ]  # fmt: skip
    assert (added["nextrun"], added["lastrun"], added["prevprocessgraphid"]) == (ZERO, ZERO, "")
    assert (added["initiatorid"], added["initiatorname"]) == (boot.user_key.id, boot.user_name)
    assert added["workflowspec"] == workflow_text(boot)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"interval": 0}, "Cron interval must be -1 (disabled) or larger than 0"),
        (
            {"interval": -1, "cronexpression": "bogus"},
            "expected exactly 6 fields, found 1: [bogus]",
        ),
        (
            {"interval": -1, "cronexpression": "* * * * * *", "random": True},
            "Random cron is only supported when specifying intervals",
        ),
        ({"workflowspec": {"colonyname": "x"}}, "Failed to add cron, invalid JSON"),
        ({"workflowspec": "not json"}, "invalid character 'o' in literal null (expecting 'u')"),
    ],
)
def test_add_validation(wire: Wire, boot: Bootstrap, fields: dict[str, Any], message: str) -> None:
    assert wire.fails(boot.user_key, "addcronmsg", cron=cron(boot, **fields)) == (400, message)


def test_add_refuses_bad_dependencies_duplicates_and_strangers(wire: Wire, boot: Bootstrap) -> None:
    bad = {"colonyname": boot.colony_name, "functionspecs": [fn_spec(boot, nodename="a",
           conditions={"dependencies": ["ghost"]})]}  # fmt: skip
    status, message = wire.fails(
        boot.user_key, "addcronmsg", cron=cron(boot, workflowspec=json.dumps(bad))
    )
    assert (status, message.startswith("Failed to submit workflow, invalid dependencies")) == (
        400,
        True,
    )
    add(wire, boot)
    assert wire.fails(boot.user_key, "addcronmsg", cron=cron(boot))[0] == 400
    assert wire.fails(boot.colony_key, "addcronmsg", cron=cron(boot, name="x"))[0] == 403
    assert wire.fails(boot.user_key, "addcronmsg") == (400, "Failed to add cron, msg.Cron is nil")


def test_first_tick_schedules_then_the_cron_fires(wire: Wire, boot: Bootstrap) -> None:
    added = add(wire, boot)
    scheduled = eventually(lambda: (c := get(wire, boot, added["cronid"]))["nextrun"] != ZERO and c)
    assert scheduled["lastrun"] == ZERO
    fired = eventually(lambda: (c := get(wire, boot, added["cronid"]))["prevprocessgraphid"] and c)
    assert fired["lastrun"] != ZERO
    graph = wire.ok(boot.user_key, "getprocessgraphmsg", processgraphid=fired["prevprocessgraphid"])
    assert graph["initiatorid"] == boot.user_key.id
    assert [n["data"]["label"] for n in graph["nodes"]] == ["tick"]


def test_waits_for_the_previous_graph_and_passes_its_outputs(wire: Wire, boot: Bootstrap) -> None:
    added = add(wire, boot, waitforprevprocessgraph=True)
    first = eventually(lambda: get(wire, boot, added["cronid"])["prevprocessgraphid"])
    # while the first graph waits, the cron does not fire again and runcron is a no-op
    before = wire.ok(boot.user_key, "runcronmsg", cronid=added["cronid"])
    assert before["prevprocessgraphid"] == first
    assert get(wire, boot, added["cronid"])["prevprocessgraphid"] == first
    process = wire.ok(
        boot.executor_key, "assignprocessmsg", colonyname=boot.colony_name, timeout=-1
    )
    wire.ok(boot.executor_key, "closesuccessfulmsg", processid=process["processid"], out=["done"])
    second = eventually(
        lambda: (g := get(wire, boot, added["cronid"])["prevprocessgraphid"]) != first and g
    )
    root = wire.ok(boot.user_key, "getprocessgraphmsg", processgraphid=second)["rootprocessids"][0]
    assert wire.ok(boot.user_key, "getprocessmsg", processid=root)["in"] == ["done"]


def test_cron_expression_fires(wire: Wire, boot: Bootstrap) -> None:
    added = add(wire, boot, interval=-1, cronexpression="* * * * * *")
    assert eventually(lambda: get(wire, boot, added["cronid"])["prevprocessgraphid"])


def test_get_list_run_and_remove(wire: Wire, boot: Bootstrap) -> None:
    key, name = boot.user_key, boot.colony_name
    assert wire.ok(key, "getcronsmsg", colonyname=name, count=10) == []
    added = add(wire, boot, interval=3600)
    assert [c["cronid"] for c in wire.ok(key, "getcronsmsg", colonyname=name, count=10)] == [
        added["cronid"]
    ]
    before = wire.ok(key, "runcronmsg", cronid=added["cronid"])
    assert before["prevprocessgraphid"] == ""
    assert get(wire, boot, added["cronid"])["prevprocessgraphid"] != ""
    assert wire.fails(key, "runcronmsg", cronid="nope") == (400, "cron not found")
    assert wire.fails(key, "getcronmsg", cronid="nope") == (500, "Failed to get cron, cron is nil")
    assert wire.fails(key, "removecronmsg", cronid="nope") == (
        500,
        "Failed to remove cron, cron is nil",
    )
    wire.ok(key, "removecronmsg", cronid=added["cronid"])
    assert wire.ok(key, "getcronsmsg", colonyname=name, count=10) == []


def test_functions_for_blueprints(server: DevServer, boot: Bootstrap) -> None:
    created = server.invoke(
        lambda state: create_cron(
            state,
            cron(boot, name="reconcile-Lamp", interval=60),
            initiator_id="id",
            initiator_name="",
        )
    )
    found = server.invoke(lambda state: find_cron(state, boot.colony_name, "reconcile-Lamp"))
    assert found == created
    assert server.invoke(lambda state: find_cron(state, boot.colony_name, "other")) is None


def test_only_get_reports_the_cron_checker_period_in_ms(wire: Wire, boot: Bootstrap) -> None:
    added = add(wire, boot, name="period")
    assert (added["checkerperiod"], get(wire, boot, added["cronid"])["checkerperiod"]) == (0, 100)
