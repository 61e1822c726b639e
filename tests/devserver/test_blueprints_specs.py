"""The function specs and crons generated for blueprints (protocol 7.7), built offline."""

from __future__ import annotations

import json

from colonies.devserver.blueprint_documents import decode_blueprint
from colonies.devserver.blueprint_processes import (
    blueprint_kwargs,
    cleanup_spec,
    cron_name,
    reconcile_cron,
    reconcile_spec,
)

HANDLER = ("bp-reconciler", "reconcile")

# The workflowspec string of the real auto-created cron in protocol 7.7, verbatim.
REAL_CRON_WORKFLOWSPEC = (
    '{"colonyname":"probe-bp","functionspecs":[{"nodename":"bp-reconciler-reconcile",'
    '"funcname":"reconcile","args":[],"kwargs":{"kind":"ProbeLamp"},"priority":0,'
    '"maxwaittime":0,"maxexectime":-1,"maxretries":-1,"conditions":{"colonyname":"probe-bp",'
    '"executornames":null,"executortype":"bp-reconciler","dependencies":null,"nodes":0,'
    '"cpu":"","processes":0,"processespernode":0,"mem":"","storage":"","gpu":{"name":"",'
    '"mem":"","count":0,"nodecount":0},"walltime":0},"label":"","fs":{"mount":"",'
    '"snapshots":null,"dirs":null},"env":{}}]}'
)


def test_cron_matches_the_real_auto_created_cron() -> None:
    cron = reconcile_cron(
        colony="probe-bp", kind="ProbeLamp", location="", handler=HANDLER, interval=60
    )
    assert cron == {
        "name": "reconcile-ProbeLamp",
        "colonyname": "probe-bp",
        "interval": 60,
        "cronexpression": "",
        "random": False,
        "waitforprevprocessgraph": True,
        "workflowspec": REAL_CRON_WORKFLOWSPEC,
    }


def test_location_cron_names_the_location_and_routes_to_it() -> None:
    cron = reconcile_cron(
        colony="c", kind="Lamp", location="Kitchen", handler=("t", "f"), interval=5
    )
    assert cron["name"] == "reconcile-Lamp-Kitchen"
    assert cron["interval"] == 5
    conditions = json.loads(cron["workflowspec"])["functionspecs"][0]["conditions"]
    assert list(conditions)[:5] == [
        "colonyname",
        "executornames",
        "executortype",
        "locationname",
        "dependencies",
    ]
    assert conditions["locationname"] == "Kitchen"


def test_cron_names_keep_the_location_verbatim() -> None:
    assert cron_name("Lamp", "") == "reconcile-Lamp"
    assert cron_name("Lamp", "kitchen") != cron_name("Lamp", "Kitchen")


def test_targeted_reconcile_spec_matches_the_real_process_spec() -> None:
    blueprint = decode_blueprint({"kind": "ProbeLamp", "metadata": {"name": "b3"}})
    spec = reconcile_spec(
        colony="probe-bp",
        location="Kitchen",
        handler=HANDLER,
        kwargs=blueprint_kwargs(blueprint),
    )
    assert spec["nodename"] == "bp-reconciler-reconcile"
    assert spec["funcname"] == "reconcile"
    assert spec["kwargs"] == {"blueprintName": "b3", "kind": "ProbeLamp"}
    assert (spec["args"], spec["env"], spec["label"]) == ([], {}, "")
    assert (spec["priority"], spec["maxwaittime"], spec["maxexectime"], spec["maxretries"]) == (
        0,
        0,
        -1,
        -1,
    )
    assert spec["conditions"]["colonyname"] == "probe-bp"
    assert spec["conditions"]["executortype"] == "bp-reconciler"
    assert spec["conditions"]["locationname"] == "Kitchen"


def test_forced_reconcile_adds_force_between_sorted_kwargs() -> None:
    blueprint = decode_blueprint({"kind": "K", "metadata": {"name": "n"}})
    spec = reconcile_spec(
        colony="c", location="", handler=("t", "f"), kwargs=blueprint_kwargs(blueprint, force=True)
    )
    assert list(spec["kwargs"].items()) == [("blueprintName", "n"), ("force", True), ("kind", "K")]
    assert "locationname" not in spec["conditions"]


def test_cleanup_spec_is_fixed_to_cleanup() -> None:
    kwargs = {"blueprintName": "n", "kind": "K"}
    spec = cleanup_spec(colony="c", location="L", executor_type="t", kwargs=kwargs)
    assert spec["nodename"] == "t-cleanup"
    assert spec["funcname"] == "cleanup"
    assert spec["kwargs"] == kwargs
    assert spec["conditions"]["locationname"] == "L"
    assert spec["maxexectime"] == -1
