"""Workflows (process graphs): building a graph from a workflow spec, keeping its state in
step with its processes, and the graph RPCs (protocol 3.5).

A graph row (table ``processgraphs``) holds the server's ProcessGraph fields except
``nodes``/``edges``, which are derived from the processes whenever the graph is read, like
the server's ``ToJSON``: node positions by depth, colours by state, edges parent -> child.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from colonies import deepjson
from colonies.devserver import auth, events
from colonies.devserver.call import Call
from colonies.devserver.errors import ApiError
from colonies.devserver.lookups import (
    check_count,
    check_remove_all_state,
    colonyname_of,
    member_row,
)
from colonies.devserver.processes import (
    CANCELLED,
    FAILED,
    PROCESS_CHANGED,
    RUNNING,
    SUCCESS,
    WAITING,
    cancel_process,
    check_priority,
    get_process,
    new_process,
    remove_processes,
    save_process,
)
from colonies.devserver.registry import listener, null_if_empty, rpc
from colonies.devserver.specs import SpecError, decode_workflow_spec
from colonies.devserver.state import ServerState
from colonies.devserver.store import Row
from colonies.devserver.timefmt import ZERO_TIME, format_time

__all__ = [
    "BAD_DEPENDENCY",
    "GRAPHS",
    "MISSING_NODENAME",
    "get_graph",
    "graph_view",
    "resolve_graph",
    "submit_workflow",
]

GRAPHS = "processgraphs"  # key: processgraphid
_BOX_WIDTH, _PADDING, _ROW_HEIGHT = 150, 50, 80
_COLOURS = {
    WAITING: "#eee8d8",
    RUNNING: "#4689cd",
    SUCCESS: "#92d050",
    FAILED: "#cb4239",
    CANCELLED: "#f5a623",
}
#: the server's text for a function spec without a node name (protocol 12)
MISSING_NODENAME = "Nodename is missing, check function spec for errors"
#: the server's text for a dependency naming no node (its status differs per path)
BAD_DEPENDENCY = (
    "Failed to submit workflow, invalid dependencies, are you depending on a nodename "
    "that does not exits?"
)


def get_graph(state: ServerState, graph_id: str) -> Row | None:
    return state.table(GRAPHS).get(graph_id)


def submit_workflow(
    state: ServerState,
    colony_name: str,
    function_specs: list[dict[str, Any]] | None,
    *,
    initiator_id: str,
    initiator_name: str,
    root_input: list[Any] | None = None,
    root_args: list[Any] | None = None,
) -> Row:
    """Create a graph and its processes (roots WAITING, children waiting for parents).

    Like the real server (protocol 12), every spec needs a ``nodename``, and the graph is
    stored *before* dependencies are checked: a workflow refused for a dependency naming no
    node leaves a graph whose processes were never stored (see :func:`_walk`).

    ``function_specs`` are raw or decoded FunctionSpecs. ``root_input`` becomes the roots'
    ``in`` (cron firings pass the previous graph's leaf outputs), ``root_args`` replaces the
    roots' ``args`` (generators). Returns the graph as the submit reply shows it: zero
    ``submissiontime`` and empty ``nodes``/``edges`` (protocol 3.5).
    """
    try:
        specs = decode_workflow_spec({"functionspecs": function_specs})["functionspecs"] or []
    except SpecError:
        raise ApiError(400, "Failed to submit workflow, invalid JSON") from None
    now = state.now()
    graph_id = state.new_id()
    by_node: dict[str, Row] = {}
    ordered: list[Row] = []
    roots: list[str] = []
    for spec in specs:
        name = spec["nodename"]
        if not name:
            raise ApiError(500, MISSING_NODENAME)
        check_priority(int(spec["priority"]))
        spec["conditions"]["colonyname"] = colony_name
        dependencies = spec["conditions"]["dependencies"] or []
        process = new_process(
            state,
            spec,
            initiator_id=initiator_id,
            initiator_name=initiator_name,
            graph_id=graph_id,
            wait_for_parents=bool(dependencies),
            now=now,
        )
        if not dependencies:
            roots.append(process["processid"])
            if root_args:
                process["spec"]["args"] = list(root_args)
            if root_input:
                process["in"] = list(root_input)
        if name in by_node:
            raise ApiError(500, f"Duplicate nodename: {name}")
        by_node[name] = process
        ordered.append(process)
    graph: Row = {
        "processgraphid": graph_id,
        "initiatorid": initiator_id,
        "initiatorname": initiator_name,
        "colonyname": colony_name,
        "rootprocessids": roots or None,
        "state": WAITING,
        "submissiontime": format_time(now),
        "starttime": ZERO_TIME,
        "endtime": ZERO_TIME,
        "processids": [p["processid"] for p in ordered] or None,
    }
    # stored before the dependencies are checked: a refused workflow leaves its graph behind
    state.table(GRAPHS).put(graph_id, graph)
    for process in ordered:
        for dependency in process["spec"]["conditions"]["dependencies"]:
            parent = by_node.get(dependency)
            if parent is None:
                raise ApiError(500, BAD_DEPENDENCY)
            process["parents"].append(parent["processid"])
            parent["children"].append(process["processid"])
    for process in ordered:  # all stored before any is announced: listeners walk the graph
        save_process(state, process)
    for process in ordered:
        if not process["waitforparents"]:
            save_process(state, process, changed=True)
    return {**deepjson.clone(graph), "submissiontime": ZERO_TIME, "nodes": [], "edges": []}


# -- graph traversal and the derived JSON --


def _walk(state: ServerState, graph: Row, visit: Callable[[Row, int], None]) -> None:
    """Depth-first from each root along ``children``, each process once, with its depth.

    A process that is not stored fails the walk as the server's ``Iterate`` does: the graph
    a refused two-node workflow leaves behind breaks reading it, and listing its colony's
    waiting graphs, until it is removed with ``removeallprocessgraphsmsg``."""
    seen: set[str] = set()

    def walk(process_id: str, depth: int) -> None:
        if process_id in seen:
            return
        process = get_process(state, process_id)
        if process is None:
            raise ApiError(
                400, f"Failed to iterate processgraph, process with ID={process_id} not found"
            )
        seen.add(process_id)
        visit(process, depth)
        for child in process["children"]:
            walk(child, depth + 1)

    for root in graph["rootprocessids"] or []:
        walk(root, 0)


def _members(state: ServerState, graph: Row) -> list[Row]:
    found: list[Row] = []
    _walk(state, graph, lambda process, _depth: found.append(process))
    return found


def _nodes(state: ServerState, graph: Row) -> list[dict[str, Any]]:
    """The server's layout: 150 px boxes 50 px apart per depth row, rows centred."""
    nodes: list[tuple[int, dict[str, Any]]] = []
    next_x: dict[int, int] = {}

    def visit(process: Row, depth: int) -> None:
        x = next_x.get(depth, -(_BOX_WIDTH + _PADDING)) + _BOX_WIDTH + _PADDING
        next_x[depth] = x
        kind = "input" if not process["parents"] else "output" if not process["children"] else ""
        node = {
            "id": process["processid"],
            "data": {"label": process["spec"]["nodename"]},
            "position": {"x": x, "y": depth * _ROW_HEIGHT},
            "type": kind,
            "style": {"color": "", "background": _COLOURS.get(process["state"], "#eee8d8")},
        }
        nodes.append((depth, node))

    _walk(state, graph, visit)
    widths = {
        depth: (last // (_BOX_WIDTH + _PADDING) + 1) * (_BOX_WIDTH + _PADDING) - _PADDING
        for depth, last in next_x.items()
    }
    widest = max(widths.values(), default=0)
    for depth, node in nodes:
        if widths[depth] < widest:
            node["position"]["x"] += widest // 2 - widths[depth] // 2
    return [node for _, node in nodes]


def _edges(members: list[Row]) -> list[dict[str, Any]]:
    return [
        {
            "id": f"{process['processid']}-{child}",
            "source": process["processid"],
            "target": child,
            "animated": process["state"] == RUNNING,
        }
        for process in members
        for child in process["children"]
    ]


def graph_view(state: ServerState, graph: Row) -> Row:
    """The graph as ``getprocessgraphmsg`` returns it."""
    members = _members(state, graph)
    return {
        **deepjson.clone(graph),
        "processids": [p["processid"] for p in members],
        "nodes": _nodes(state, graph),
        "edges": _edges(members),
    }


# -- keeping graph state in step with process state --


def _set_graph_state(state: ServerState, graph: Row, new_state: int) -> None:
    now = format_time(state.now())
    if graph["state"] == WAITING and new_state == RUNNING:
        graph["starttime"] = now
    elif new_state in (SUCCESS, FAILED) and graph["state"] != new_state:
        graph["endtime"] = now
    graph["state"] = new_state
    state.table(GRAPHS).put(graph["processgraphid"], graph)


def _fail_everything(state: ServerState, graph: Row, members: list[Row]) -> None:
    """A failed parent fails the whole graph (the server's cascade, without errors)."""
    _set_graph_state(state, graph, FAILED)
    for process in members:
        if process["state"] != FAILED:
            process["state"] = FAILED
            save_process(state, process, changed=True)


def resolve_graph(state: ServerState, graph: Row) -> None:
    """Unblock children whose parents all succeeded and derive the graph's state."""
    members = _members(state, graph)
    states = [p["state"] for p in members]
    for process in members:
        parents = [get_process(state, parent_id) for parent_id in process["parents"]]
        if any(parent is not None and parent["state"] == FAILED for parent in parents):
            _fail_everything(state, graph, members)
            return
        done = all(parent is not None and parent["state"] == SUCCESS for parent in parents)
        if done and process["waitforparents"]:
            process["waitforparents"] = False
            save_process(state, process, changed=process["state"] == WAITING)
    if FAILED in states:
        new_state = FAILED
    elif CANCELLED in states:
        new_state = CANCELLED
    elif states and all(s == SUCCESS for s in states):
        new_state = SUCCESS
    elif SUCCESS in states or RUNNING in states:
        new_state = RUNNING
    else:
        new_state = WAITING
    if new_state != graph["state"]:
        _set_graph_state(state, graph, new_state)


@listener(PROCESS_CHANGED)
def _on_process_changed(state: ServerState, process: Row) -> None:
    graph_id = process.get("processgraphid")
    graph = get_graph(state, graph_id) if graph_id else None
    if graph is not None and graph["state"] not in (FAILED, CANCELLED):
        resolve_graph(state, graph)


@listener(events.COLONY_REMOVED)
def _on_colony_removed(state: ServerState, colony: Row) -> None:
    table = state.table(GRAPHS)
    for graph in table.values():
        if graph["colonyname"] == colony.get("name"):
            table.delete(graph["processgraphid"])


def _remove_graph(state: ServerState, graph: Row) -> None:
    """Delete the graph and its processes, found by the IDs it lists (not a table scan)."""
    owned = [get_process(state, process_id) for process_id in graph["processids"] or []]
    remove_processes(state, (p for p in owned if p is not None))
    state.table(GRAPHS).delete(graph["processgraphid"])


# -- RPC handlers --


@rpc("submitworkflowspecmsg", "Failed to submit workflow")
def submit_workflow_spec(call: Call) -> Row:
    raw = call.obj("spec")
    if raw is None:
        raise ApiError(400, "Failed to submit workflow, msg.WorkflowSpec is nil")
    try:
        spec = decode_workflow_spec(raw)
    except SpecError:
        raise call.invalid() from None
    colony = spec["colonyname"]
    auth.require_member(call, colony)
    return submit_workflow(
        call.state,
        colony,
        spec["functionspecs"],
        initiator_id=call.signer_id,
        initiator_name=auth.signer_name(call, colony),
    )


def _graph_for(call: Call, failure: str) -> Row:
    """The graph, after walking it as the server's lookup does (see :func:`_walk`)."""
    missing = ApiError(500, f"{failure}, graph is nil")
    graph = member_row(call, GRAPHS, "processgraphid", colonyname_of, missing)
    _members(call.state, graph)
    return graph


@rpc("getprocessgraphmsg", "Failed to get processgraph")
def get_process_graph(call: Call) -> Row:
    return graph_view(call.state, _graph_for(call, "Failed to get processgraph"))


@rpc("getprocessgraphsmsg", "Failed to get processgraphs")
def get_process_graphs(call: Call) -> Any:
    colony, count, wanted = call.str("colonyname"), call.int("count"), call.int("state")
    auth.require_member(call, colony)
    if wanted not in (WAITING, RUNNING, SUCCESS, FAILED, CANCELLED):
        raise ApiError(400, "invalid msg.State")
    check_count(count)
    graphs = [
        g
        for g in call.state.table(GRAPHS).values()
        if g["colonyname"] == colony and g["state"] == wanted
    ]
    graphs.sort(key=lambda g: str(g["submissiontime"]), reverse=True)
    return null_if_empty([graph_view(call.state, g) for g in graphs[: max(count, 0)]])


@rpc("removeprocessgraphmsg", "Failed to remove processgraph")
def remove_process_graph(call: Call) -> None:
    graph = _graph_for(call, "Failed to remove processgraph")
    if graph["state"] == RUNNING:
        raise ApiError(400, "Failed to remove processgraph, cannot remove a running processgraph")
    _remove_graph(call.state, graph)


@rpc("removeallprocessgraphsmsg", "Failed to remove all processgraphs")
def remove_all_process_graphs(call: Call) -> None:
    colony, wanted = call.str("colonyname"), call.int("state")
    auth.require_colony_owner(call, colony)
    check_remove_all_state(
        wanted,
        running="not possible to remove running processgraphs",
        invalid="invalid state when deleting all processgraphs",
    )
    for graph in call.state.table(GRAPHS).values():
        if graph["colonyname"] == colony and wanted in (-1, graph["state"]):
            _remove_graph(call.state, graph)


@rpc("cancelprocessgraphmsg", "Failed to cancel processgraph")
def cancel_process_graph(call: Call) -> None:
    graph = _graph_for(call, "Failed to cancel processgraph")
    state = call.state
    for process in _members(state, graph):
        if process["state"] in (WAITING, RUNNING):
            cancel_process(state, process)
    _set_graph_state(state, graph, CANCELLED)
