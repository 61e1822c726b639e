"""Colony and server-wide RPCs (protocol 1.5, 3.1): colonies, statistics, cluster, IDs."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from colonies.devserver import auth, events, registry
from colonies.devserver.call import Call
from colonies.devserver.errors import ApiError, found
from colonies.devserver.executors import APPROVED, UNREGISTERED
from colonies.devserver.processes import PROCESSES, processes_of
from colonies.devserver.state import COLONIES, EXECUTORS, LOCATIONS, USERS, ServerState
from colonies.devserver.store import Row
from colonies.devserver.timefmt import format_time
from colonies.devserver.workflows import GRAPHS

__all__ = ["colony_row"]

_STATE_KEYS = ("waiting", "running", "successful", "failed", "cancelled")


def colony_row(colony_id: str, name: str) -> Row:
    return {"colonyid": colony_id, "name": name}


def _not_found(name: str) -> str:
    return f"Colony with name <{name}> not found"


@registry.rpc("versionmsg", "Failed to get server version", signed=False)
def version(call: Call) -> dict[str, Any]:
    return {"buildversion": "", "buildtime": "", "msgtype": "versionmsg"}


@registry.rpc("getserverinfomsg", "Failed to get server info", signed=False, decode=False)
def server_info(call: Call) -> dict[str, Any]:
    return {
        "buildversion": "dev",
        "buildtime": format_time(call.state.now().replace(microsecond=0)),
        "backends": [{"type": "http", "port": 50080, "host": "0.0.0.0"}],
    }


@registry.rpc("addcolonymsg", "Failed to add colony")
def add_colony(call: Call) -> Row:
    colony = call.fields("colony")
    colony_id, name = colony.str("colonyid"), colony.str("name")
    auth.require_server_owner(call)
    if not call.has("colony"):
        raise ApiError(400, "Failed to add colony, colony is <nil>")
    if len(colony_id) != 64:
        raise ApiError(400, "Failed to add colony, invalid colony Id length")
    if call.state.colony(name) is not None:
        raise ApiError(400, f"A Colony with name <{name}> already exists")
    row = colony_row(colony_id, name)
    call.state.table(COLONIES).put(name, row)
    return row


@registry.rpc("removecolonymsg", "Failed to remove colony")
def remove_colony(call: Call) -> None:
    name = call.str("colonyname")
    auth.require_server_owner(call)
    state = call.state
    colony = found(state.colony(name), 400, _not_found(name))
    for table_name in (USERS, EXECUTORS, LOCATIONS):
        table = state.table(table_name)
        for key, row in table.items():
            if row.get("colonyname") == name:
                table.delete(key)
    state.table(COLONIES).delete(name)
    state.events.emit(events.COLONY_REMOVED, colony)


@registry.rpc("getcoloniesmsg", "Failed to get colonies")
def get_colonies(call: Call) -> list[Row] | registry.JsonNull:
    auth.require_server_owner(call)
    return registry.null_if_empty(call.state.table(COLONIES).values())


@registry.rpc("getcolonymsg", "Failed to get colony")
def get_colony(call: Call) -> Row:
    name = call.str("colonyname")
    auth.require_member(call, name)
    return found(call.state.colony(name), 500, "Failed to get colony, colony is nil")


def _count_states(rows: Iterable[Row], kind: str) -> dict[str, int]:
    counts = dict.fromkeys((f"{prefix}{kind}" for prefix in _STATE_KEYS), 0)
    for row in rows:
        code = row.get("state")
        if isinstance(code, int) and 0 <= code < len(_STATE_KEYS):
            counts[f"{_STATE_KEYS[code]}{kind}"] += 1
    return counts


def statistics(state: ServerState, colony: str | None) -> dict[str, int]:
    """The Statistics object (section 9), server-wide or for one colony."""
    executors = [
        e for e in state.table(EXECUTORS).values() if colony in (None, e.get("colonyname"))
    ]
    processes = state.table(PROCESSES).values() if colony is None else processes_of(state, colony)
    graphs = [g for g in state.table(GRAPHS).values() if colony in (None, g.get("colonyname"))]
    return {
        "colonies": 1 if colony is not None else len(state.table(COLONIES)),
        "executors": len(executors),
        "activeexecutors": sum(e.get("state") == APPROVED for e in executors),
        "unregisteredexecutors": sum(e.get("state") == UNREGISTERED for e in executors),
        **_count_states(processes, "processes"),
        **_count_states(graphs, "workflows"),
    }


@registry.rpc("getcolonystatsmsg", "Failed to get colony statistics")
def get_colony_statistics(call: Call) -> dict[str, int] | registry.RawReply:
    name = call.str("colonyname")
    found(call.state.colony(name), 400, _not_found(name))
    try:
        auth.require_member(call, name)
    except ApiError:
        return registry.RawReply(200, b"")  # the real server forgets to answer (8.4)
    return statistics(call.state, name)


@registry.rpc("getstatisticsmsg", "Failed to get statistics")
def get_statistics(call: Call) -> dict[str, int]:
    auth.require_server_owner(call)
    return statistics(call.state, None)


@registry.rpc("getclustermsg", "Failed to get cluster info")
def get_cluster(call: Call) -> dict[str, Any]:
    auth.require_server_owner(call)
    settings = call.state.settings
    node = {
        "name": "dev",
        "host": settings.host,
        "port": call.state.port,
        "peerport": 0,
        "relayport": 0,
        "apiport": call.state.port,
    }
    return {"nodes": [node], "leader": node}


@registry.rpc("changecolonyidmsg", "Failed to change colony Id")
def change_colony_id(call: Call) -> dict[str, Any]:
    name, new_id = call.str("colonyname"), call.str("colonyid")
    if new_id == "":
        raise ApiError(400, "Failed to change colony Id, colony Id is empty")
    auth.require_colony_owner(call, name)
    if len(new_id) != 64:
        raise ApiError(400, "Failed to change colony Id, new colony Id is not 64 characters")
    colony = call.state.colony(name)
    assert colony is not None  # the owner check found it
    colony["colonyid"] = new_id
    call.state.table(COLONIES).put(name, colony)
    return call.msg


@registry.rpc("changeserveridmsg", "Failed to change colony Id")
def change_server_id(call: Call) -> dict[str, Any]:
    new_id = call.str("serverid")
    if new_id == "":
        raise ApiError(400, "Failed to change colony Id, colony Id is empty")
    auth.require_server_owner(call)
    call.state.change_server_id(new_id)
    return call.msg
