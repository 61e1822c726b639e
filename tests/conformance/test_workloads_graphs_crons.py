"""Workflows and crons (protocol 3.5, 3.6): reply shapes, statuses and messages. Crons firing
on their own are in ``test_blueprints_cron`` (a real server ticks every 60 s)."""

from __future__ import annotations

import json
from typing import Any

from tests.conformance.target import ID, TIME, Colony, Target, normalise

ZERO = "0001-01-01T00:00:00Z"
BAD_DEPENDENCY = (
    "Failed to submit workflow, invalid dependencies, are you depending on a nodename "
    "that does not exits?"
)


def node(colony: Colony, name: str, *parents: str) -> dict[str, Any]:
    return {"nodename": name, "funcname": "echo", "maxexectime": -1, "maxretries": -1,
            "conditions": {"colonyname": colony.name, "executortype": colony.executor_type,
                           "dependencies": list(parents)}}  # fmt: skip


def submit(target: Target, colony: Colony, *nodes: dict[str, Any]) -> dict[str, Any]:
    graph: dict[str, Any] = target.ok(
        colony.user_key,
        "submitworkflowspecmsg",
        spec={"colonyname": colony.name, "functionspecs": list(nodes)},
    )
    return graph


def run_next(target: Target, colony: Colony) -> dict[str, Any]:
    process: dict[str, Any] = target.ok(
        colony.executor_key, "assignprocessmsg", colonyname=colony.name, timeout=-1
    )
    out = [f"out-{process['spec']['nodename']}"]
    target.ok(colony.executor_key, "closesuccessfulmsg", processid=process["processid"], out=out)
    return process


def test_submit_reply_then_get(target: Target, colony: Colony) -> None:
    graph = submit(target, colony, node(colony, "a"), node(colony, "b", "a"))
    assert normalise({**graph, "rootprocessids": len(graph["rootprocessids"]),
                      "processids": len(graph["processids"])}) == {
        "processgraphid": ID, "initiatorid": ID, "initiatorname": colony.user_name,
        "colonyname": colony.name, "rootprocessids": 1, "state": 0, "submissiontime": ZERO,
        "starttime": ZERO, "endtime": ZERO, "processids": 2, "nodes": [], "edges": [],
    }  # fmt: skip
    fetched = target.ok(
        colony.user_key, "getprocessgraphmsg", processgraphid=graph["processgraphid"]
    )
    assert normalise(fetched["submissiontime"]) == TIME
    assert sorted(n["data"]["label"] for n in fetched["nodes"]) == ["a", "b"]
    assert len(fetched["edges"]) == 1


def test_diamond_passes_parent_outputs(target: Target, colony: Colony) -> None:
    graph = submit(target, colony, node(colony, "a"), node(colony, "b", "a"),
                   node(colony, "c", "a"), node(colony, "d", "b", "c"))  # fmt: skip
    for _ in range(3):
        run_next(target, colony)
    last = run_next(target, colony)
    assert last["spec"]["nodename"] == "d"
    assert sorted(last["in"]) == ["out-b", "out-c"]
    done = target.ok(colony.user_key, "getprocessgraphmsg", processgraphid=graph["processgraphid"])
    assert done["state"] == 2


def graphs(target: Target, colony: Colony) -> Any:
    return target.ok(colony.user_key, "getprocessgraphsmsg", colonyname=colony.name, count=10)


def test_workflow_errors(target: Target, colony: Colony) -> None:
    key = colony.user_key
    assert target.fails(key, "getprocessgraphmsg", processgraphid="0" * 64) == (
        500,
        "Failed to get processgraph, graph is nil",
    )
    assert target.fails(key, "getprocessgraphsmsg", colonyname=colony.name, count=10, state=-1) == (
        400,
        "invalid msg.State",
    )
    nameless = {k: v for k, v in node(colony, "a").items() if k != "nodename"}
    for specs, message in (
        ([nameless], "Nodename is missing, check function spec for errors"),
        ([node(colony, "a"), node(colony, "a")], "Duplicate nodename: a"),
    ):
        assert target.fails(
            key, "submitworkflowspecmsg", spec={"colonyname": colony.name, "functionspecs": specs}
        ) == (500, message)
    assert graphs(target, colony) is None  # refused before a graph was stored
    member = submit(target, colony, node(colony, "a"))["processids"][0]
    assert target.fails(key, "removeprocessmsg", processid=member) == (
        400,
        "Failed to remove, cannot remove a process part of a workflow, "
        "delete the entire workflow instead",
    )


def test_a_refused_workflow_leaves_its_graph_behind(target: Target, colony: Colony) -> None:
    key = colony.user_key
    assert target.fails(
        key,
        "submitworkflowspecmsg",
        spec={"colonyname": colony.name, "functionspecs": [node(colony, "b", "ghost")]},
    ) == (500, BAD_DEPENDENCY)
    [left] = graphs(target, colony)  # stored before the dependency was checked (protocol 12)
    assert (left["state"], left["processids"], left["rootprocessids"]) == (0, [], None)
    gid = left["processgraphid"]
    assert target.ok(key, "getprocessgraphmsg", processgraphid=gid) == left
    assert target.ok(key, "removeprocessgraphmsg", processgraphid=gid) == {}
    assert graphs(target, colony) is None


def test_a_refused_two_node_workflow_breaks_listing_until_removed(
    target: Target, colony: Colony
) -> None:
    specs = [node(colony, "a"), node(colony, "b", "ghost")]
    assert target.fails(
        colony.user_key,
        "submitworkflowspecmsg",
        spec={"colonyname": colony.name, "functionspecs": specs},
    ) == (500, BAD_DEPENDENCY)
    status, message = target.fails(
        colony.user_key, "getprocessgraphsmsg", colonyname=colony.name, count=10
    )
    assert (status, message[:48], message[-10:]) == (
        400,
        "Failed to iterate processgraph, process with ID=",
        " not found",
    )
    target.ok(colony.owner_key, "removeallprocessgraphsmsg", colonyname=colony.name, state=-1)
    assert graphs(target, colony) is None


def graph_state(target: Target, colony: Colony, graph_id: str) -> int:
    graph = target.ok(colony.user_key, "getprocessgraphmsg", processgraphid=graph_id)
    return int(graph["state"])


def test_cancel_and_remove_a_graph(target: Target, colony: Colony) -> None:
    key = colony.user_key
    graph = submit(target, colony, node(colony, "a"), node(colony, "b", "a"))
    gid = graph["processgraphid"]
    assert target.ok(key, "cancelprocessgraphmsg", processgraphid=gid) == {}
    assert graph_state(target, colony, gid) == 4  # (its processes are cancelled too: [src])
    assert target.ok(key, "removeprocessgraphmsg", processgraphid=gid) == {}
    assert target.fails(key, "getprocessgraphmsg", processgraphid=gid) == (
        500,
        "Failed to get processgraph, graph is nil",
    )
    assert target.fails(key, "getprocessmsg", processid=graph["processids"][0]) == (
        404,
        "Failed to get process, process not found",
    )


def test_cancelling_a_finished_graph_is_accepted(target: Target, colony: Colony) -> None:
    gid = submit(target, colony, node(colony, "a"))["processgraphid"]
    run_next(target, colony)
    assert graph_state(target, colony, gid) == 2
    assert target.ok(colony.user_key, "cancelprocessgraphmsg", processgraphid=gid) == {}


def test_remove_all_graphs(target: Target, colony: Colony) -> None:
    owner, name = colony.owner_key, colony.name

    def graph_ids(state: int) -> list[str]:
        found = target.ok(colony.user_key, "getprocessgraphsmsg", colonyname=name, count=10,
                          state=state)  # fmt: skip
        return [graph["processgraphid"] for graph in found or ()]

    waiting = submit(target, colony, node(colony, "w"))["processgraphid"]
    cancelled = submit(target, colony, node(colony, "c"))["processgraphid"]
    target.ok(colony.user_key, "cancelprocessgraphmsg", processgraphid=cancelled)
    assert target.fails(colony.user_key, "removeallprocessgraphsmsg", colonyname=name,
                        state=-1) == (403, "Access denied, not colony owner")  # fmt: skip
    # Running graphs are refused; the message is [src] only, so the status only.
    status, _ = target.fails(owner, "removeallprocessgraphsmsg", colonyname=name, state=1)
    assert status == 400
    assert (graph_ids(0), graph_ids(4)) == ([waiting], [cancelled])
    assert target.ok(owner, "removeallprocessgraphsmsg", colonyname=name) == {}  # state 0
    assert (graph_ids(0), graph_ids(4)) == ([], [cancelled])
    target.ok(owner, "removeallprocessgraphsmsg", colonyname=name, state=-1)
    assert graph_ids(4) == []


def cron(colony: Colony, **fields: Any) -> dict[str, Any]:
    workflow = {"colonyname": colony.name, "functionspecs": [node(colony, "tick")]}
    return {"name": "c1", "colonyname": colony.name, "interval": 3600,
            "workflowspec": json.dumps(workflow), **fields}  # fmt: skip


def test_cron_shape_and_validation(target: Target, colony: Colony) -> None:
    key = colony.user_key
    assert target.ok(key, "getcronsmsg", colonyname=colony.name, count=10) == []
    added = target.ok(key, "addcronmsg", cron=cron(colony))
    assert normalise(added) == {
        "cronid": ID, "initiatorid": ID, "initiatorname": colony.user_name,
        "colonyname": colony.name, "name": "c1", "cronexpression": "", "interval": 3600,
        "random": False, "nextrun": ZERO, "lastrun": ZERO, "workflowspec": cron(colony)["workflowspec"],
        "prevprocessgraphid": "", "waitforprevprocessgraph": False, "checkerperiod": 0,
    }  # fmt: skip
    for fields, message in (
        ({"interval": 0}, "Cron interval must be -1 (disabled) or larger than 0"),
        ({"interval": -1, "cronexpression": "bogus"}, "expected exactly 6 fields, found 1: [bogus]"),
        ({"interval": -1, "cronexpression": "0 * * * * *", "random": True},
         "Random cron is only supported when specifying intervals"),
        ({"workflowspec": {"colonyname": colony.name}}, "Failed to add cron, invalid JSON"),
    ):  # fmt: skip
        assert target.fails(key, "addcronmsg", cron=cron(colony, name="x", **fields)) == (
            400,
            message,
        )


def test_cron_run_get_and_remove(target: Target, colony: Colony) -> None:
    key = colony.user_key
    added = target.ok(key, "addcronmsg", cron=cron(colony, waitforprevprocessgraph=True))
    assert target.ok(key, "getcronmsg", cronid=added["cronid"])["checkerperiod"] > 0  # ms (12)
    before = target.ok(key, "runcronmsg", cronid=added["cronid"])
    assert (before["prevprocessgraphid"], before["checkerperiod"]) == ("", 0)
    first = target.ok(key, "getcronmsg", cronid=added["cronid"])["prevprocessgraphid"]
    assert first != ""
    target.ok(key, "runcronmsg", cronid=added["cronid"])  # previous graph pending: no-op
    assert target.ok(key, "getcronmsg", cronid=added["cronid"])["prevprocessgraphid"] == first
    assert target.fails(key, "runcronmsg", cronid="0" * 64) == (400, "cron not found")
    assert target.fails(key, "getcronmsg", cronid="0" * 64) == (
        500,
        "Failed to get cron, cron is nil",
    )
    assert target.fails(key, "removecronmsg", cronid="0" * 64) == (
        500,
        "Failed to remove cron, cron is nil",
    )
    target.ok(key, "removecronmsg", cronid=added["cronid"])
