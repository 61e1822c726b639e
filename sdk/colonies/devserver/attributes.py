"""Process attributes: ``addattributemsg`` and ``getattributemsg`` (protocol 3.4).

An attribute row (table ``attributes``) is the server's Attribute JSON; the same object
is appended to its process's ``attributes`` array, as the server shows it there too.
"""

from __future__ import annotations

from colonies.devserver import auth
from colonies.devserver.call import Call
from colonies.devserver.errors import ApiError
from colonies.devserver.processes import (
    PROCESS_CHANGED,
    PROCESS_REMOVED,
    RUNNING,
    WAITING,
    colony_of,
    get_process,
    save_process,
)
from colonies.devserver.registry import listener, rpc
from colonies.devserver.state import ServerState
from colonies.devserver.store import Row

__all__ = ["ATTRIBUTES"]

ATTRIBUTES = "attributes"  # key: attributeid


@rpc("addattributemsg", "Failed to add attribute")
def add_attribute(call: Call) -> Row:
    fields = call.fields("attribute")
    attribute: Row = {
        "attributeid": call.state.new_id(),
        "targetid": fields.str("targetid"),
        "targetcolonyname": fields.str("targetcolonyname"),
        "targetprocessgraphid": fields.str("targetprocessgraphid"),
        "state": WAITING,
        "attributetype": fields.int("attributetype"),
        "key": fields.str("key"),
        "value": fields.str("value"),
    }
    process = get_process(call.state, attribute["targetid"])
    if process is None:
        raise ApiError(500, "Failed to add attribute, process is nil")
    auth.require_member(call, colony_of(process))
    if process["state"] != RUNNING:
        raise ApiError(403, "Failed to add attribute, process is not running")
    if process["assignedexecutorid"] != call.signer_id:
        raise ApiError(
            403,
            "Failed to add attribute, only executor with id "
            f"<{process['assignedexecutorid']}> is allowed to set attributes",
        )
    attribute["targetprocessgraphid"] = process["processgraphid"]
    call.state.table(ATTRIBUTES).put(attribute["attributeid"], attribute)
    process["attributes"].append(dict(attribute))
    save_process(call.state, process)
    return attribute


@rpc("getattributemsg", "Failed to get attribute")
def get_attribute(call: Call) -> Row:
    attribute = call.state.table(ATTRIBUTES).get(call.str("attributeid"))
    if attribute is None:
        raise ApiError(500, "Failed to get attribute, attribute is nil")
    process = get_process(call.state, attribute["targetid"])
    if process is None:
        raise ApiError(500, "Failed to get attribute, process is nil")
    auth.require_member(call, colony_of(process))
    return attribute


@listener(PROCESS_CHANGED)
def _on_process_changed(state: ServerState, process: Row) -> None:
    """An attribute's ``state`` follows its process's state, as on the server."""
    table = state.table(ATTRIBUTES)
    for embedded in process["attributes"]:
        embedded["state"] = process["state"]
        stored = table.get(str(embedded["attributeid"]))
        if stored is not None:
            stored["state"] = process["state"]
            table.put(stored["attributeid"], stored)


@listener(PROCESS_REMOVED)
def _on_process_removed(state: ServerState, process: Row) -> None:
    for attribute in process.get("attributes") or []:
        state.table(ATTRIBUTES).delete(str(attribute.get("attributeid", "")))
