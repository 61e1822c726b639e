"""Workflows over the wire: dependencies, parent outputs, graph states and the graph RPCs."""

from __future__ import annotations

from typing import Any

from colonies.devserver import Bootstrap
from tests.devserver.test_workloads_wire import (
    Wire,
    boot_fixture,
    fn_spec,
    server_fixture,
    wire_fixture,
)

ZERO = "0001-01-01T00:00:00Z"


server = server_fixture()
wire = wire_fixture()
boot = boot_fixture()


def node(boot: Bootstrap, name: str, *parents: str) -> dict[str, Any]:
    return fn_spec(boot, nodename=name, conditions={"dependencies": list(parents)})


def submit(wire: Wire, boot: Bootstrap, *specs: dict[str, Any]) -> dict[str, Any]:
    graph: dict[str, Any] = wire.ok(
        boot.user_key,
        "submitworkflowspecmsg",
        spec={"colonyname": boot.colony_name, "functionspecs": list(specs)},
    )
    return graph


def graph_of(wire: Wire, boot: Bootstrap, graph_id: str) -> dict[str, Any]:
    graph: dict[str, Any] = wire.ok(boot.user_key, "getprocessgraphmsg", processgraphid=graph_id)
    return graph


def run_next(wire: Wire, boot: Bootstrap, output: list[Any] | None = None) -> dict[str, Any]:
    """Assign the next process and close it with ``output`` (default: its node name)."""
    process: dict[str, Any] = wire.ok(
        boot.executor_key, "assignprocessmsg", colonyname=boot.colony_name, timeout=-1
    )
    out = output if output is not None else [f"out-{process['spec']['nodename']}"]
    wire.ok(boot.executor_key, "closesuccessfulmsg", processid=process["processid"], out=out)
    return process


def test_submit_reply_and_later_get(wire: Wire, boot: Bootstrap) -> None:
    graph = submit(wire, boot, node(boot, "a"), node(boot, "b", "a"))
    assert graph["submissiontime"] == ZERO
    assert (graph["nodes"], graph["edges"], graph["state"]) == ([], [], 0)
    assert len(graph["processids"]) == 2
    assert graph["initiatorname"] == boot.user_name
    fetched = graph_of(wire, boot, graph["processgraphid"])
    assert fetched["submissiontime"] != ZERO
    assert [n["data"]["label"] for n in fetched["nodes"]] == ["a", "b"]
    assert [n["type"] for n in fetched["nodes"]] == ["input", "output"]
    assert [n["position"] for n in fetched["nodes"]] == [{"x": 0, "y": 0}, {"x": 0, "y": 80}]
    [edge] = fetched["edges"]
    root, child = graph["rootprocessids"][0], fetched["processids"][1]
    assert edge == {"id": f"{root}-{child}", "source": root, "target": child, "animated": False}
    process = wire.ok(boot.user_key, "getprocessmsg", processid=child)
    assert (process["waitforparents"], process["parents"]) == (True, [root])
    assert process["processgraphid"] == graph["processgraphid"]


def test_diamond_runs_in_order_with_parent_outputs(wire: Wire, boot: Bootstrap) -> None:
    graph = submit(
        wire,
        boot,
        node(boot, "a"),
        node(boot, "b", "a"),
        node(boot, "c", "a"),
        node(boot, "d", "b", "c"),
    )
    gid = graph["processgraphid"]
    assert run_next(wire, boot)["spec"]["nodename"] == "a"
    assert graph_of(wire, boot, gid)["state"] == 1
    middle = {run_next(wire, boot)["spec"]["nodename"] for _ in range(2)}
    assert middle == {"b", "c"}
    last = run_next(wire, boot)
    assert last["spec"]["nodename"] == "d"
    assert last["in"] == ["out-b", "out-c"]
    finished = graph_of(wire, boot, gid)
    assert finished["state"] == 2
    assert finished["endtime"] != ZERO
    assert {n["style"]["background"] for n in finished["nodes"]} == {"#92d050"}


def test_a_failed_parent_fails_the_graph(wire: Wire, boot: Bootstrap) -> None:
    graph = submit(wire, boot, node(boot, "a"), node(boot, "b", "a"))
    process = wire.ok(
        boot.executor_key, "assignprocessmsg", colonyname=boot.colony_name, timeout=-1
    )
    wire.ok(boot.executor_key, "closefailedmsg", processid=process["processid"], errors=["x"])
    failed = graph_of(wire, boot, graph["processgraphid"])
    assert failed["state"] == 3
    child = wire.ok(boot.user_key, "getprocessmsg", processid=failed["processids"][1])
    assert child["state"] == 3


def test_submit_errors_and_empty_workflow(wire: Wire, boot: Bootstrap) -> None:
    assert wire.fails(
        boot.user_key,
        "submitworkflowspecmsg",
        spec={"colonyname": boot.colony_name, "functionspecs": [node(boot, "b", "ghost")]},
    ) == (
        500,
        "Failed to submit workflow, invalid dependencies, are you depending on a nodename "
        "that does not exits?",
    )
    empty = submit(wire, boot)
    assert (empty["rootprocessids"], empty["processids"]) == (None, None)
    assert wire.fails(boot.user_key, "getprocessgraphmsg", processgraphid="nope") == (
        500,
        "Failed to get processgraph, graph is nil",
    )


def test_list_graphs_by_state(wire: Wire, boot: Bootstrap) -> None:
    key, name = boot.user_key, boot.colony_name
    assert wire.ok(key, "getprocessgraphsmsg", colonyname=name, count=10) is None
    first = submit(wire, boot, node(boot, "a"))
    second = submit(wire, boot, node(boot, "a"))
    waiting = wire.ok(key, "getprocessgraphsmsg", colonyname=name, count=10)  # state 0 default
    assert [g["processgraphid"] for g in waiting] == [
        second["processgraphid"],
        first["processgraphid"],
    ]
    assert wire.fails(key, "getprocessgraphsmsg", colonyname=name, count=10, state=-1) == (
        400,
        "invalid msg.State",
    )


def test_member_processes_cannot_be_cancelled_alone(wire: Wire, boot: Bootstrap) -> None:
    graph = submit(wire, boot, node(boot, "a"))
    assert wire.fails(boot.user_key, "cancelprocessmsg", processid=graph["processids"][0]) == (
        400,
        "Failed to cancel, cannot cancel a process part of a workflow, "
        "cancel the entire workflow instead",
    )


def test_cancel_and_remove_graphs(wire: Wire, boot: Bootstrap) -> None:
    key = boot.user_key
    graph = submit(wire, boot, node(boot, "a"), node(boot, "b", "a"))
    gid = graph["processgraphid"]
    wire.ok(key, "cancelprocessgraphmsg", processgraphid=gid)
    cancelled = graph_of(wire, boot, gid)
    assert cancelled["state"] == 4
    for pid in cancelled["processids"]:
        assert wire.ok(key, "getprocessmsg", processid=pid)["state"] == 4
    wire.ok(key, "removeprocessgraphmsg", processgraphid=gid)
    assert wire.fails(key, "getprocessgraphmsg", processgraphid=gid)[0] == 500
    assert wire.fails(key, "getprocessmsg", processid=graph["processids"][0])[0] == 404

    running = submit(wire, boot, node(boot, "a"), node(boot, "b", "a"))
    run_next(wire, boot)
    assert wire.fails(key, "removeprocessgraphmsg", processgraphid=running["processgraphid"]) == (
        400,
        "Failed to remove processgraph, cannot remove a running processgraph",
    )


def test_remove_all_graphs(wire: Wire, boot: Bootstrap) -> None:
    owner, name = boot.colony_key, boot.colony_name
    submit(wire, boot, node(boot, "a"))
    assert wire.fails(owner, "removeallprocessgraphsmsg", colonyname=name, state=1) == (
        400,
        "not possible to remove running processgraphs",
    )
    wire.ok(owner, "removeallprocessgraphsmsg", colonyname=name)  # no state: waiting only
    assert wire.ok(boot.user_key, "getprocessgraphsmsg", colonyname=name, count=10) is None
    assert wire.ok(boot.user_key, "getprocessesmsg", colonyname=name, count=10, state=0) is None
