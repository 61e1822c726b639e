"""Blueprint definition RPCs (protocol 3.11): add, get, list, remove.

Definitions are colony-owner territory for writes and member-or-owner for reads. The real
server stores them in PostgreSQL, so a duplicate name answers 500 with the raw database
error, and the request field naming the colony differs between calls (``colonyname`` for
get/list, ``namespace`` for remove; protocol 8.1).
"""

from __future__ import annotations

from typing import Any

from colonies.devserver import blueprint_store as store
from colonies.devserver.auth import require_colony_owner, require_member_or_owner
from colonies.devserver.blueprint_documents import (
    GoDecodeError,
    decode_definition,
    definition_kind,
)
from colonies.devserver.call import Call
from colonies.devserver.errors import ApiError
from colonies.devserver.registry import rpc

__all__ = ["duplicate_key_error"]

_TABLE_PREFIX = "prod_"  # the live server's database table prefix, visible in its errors


def duplicate_key_error(constraint: str) -> ApiError:
    """The 500 the server answers when PostgreSQL refuses an insert (protocol 8.4)."""
    return ApiError(
        500,
        f'pq: duplicate key value violates unique constraint "{_TABLE_PREFIX}{constraint}"',
    )


@rpc("addblueprintdefinitionmsg", "Failed to add blueprint definition")
def add_blueprint_definition(call: Call) -> dict[str, Any]:
    raw = call.obj("blueprintdefinition")
    try:
        definition = None if raw is None else decode_definition(raw)
    except GoDecodeError:
        raise call.invalid() from None
    if definition is None:
        raise ApiError(400, f"{call.failure}, blueprint definition is nil")
    metadata = definition["metadata"]
    require_colony_owner(call, metadata["colonyname"])
    state = call.state
    if not definition["blueprintdefinitionid"]:
        definition["blueprintdefinitionid"] = state.new_id()
    if store.definition_id_taken(state, definition["blueprintdefinitionid"]):
        raise duplicate_key_error("blueprintdefinitions_pkey")
    if store.get_definition(state, metadata["colonyname"], metadata["name"]) is not None:
        raise duplicate_key_error("blueprintdefinitions_colony_name_name_key")
    store.put_definition(state, definition)
    return definition


@rpc("getblueprintdefinitionmsg", "Failed to get blueprint definition")
def get_blueprint_definition(call: Call) -> dict[str, Any]:
    colony, name = call.str("colonyname"), call.str("name")
    require_member_or_owner(call, colony)
    definition = store.get_definition(call.state, colony, name)
    if definition is None:
        raise ApiError(404, "Blueprint definition not found")
    return definition


@rpc("getblueprintdefinitionsmsg", "Failed to get blueprint definitions")
def get_blueprint_definitions(call: Call) -> list[dict[str, Any]]:
    colony = call.str("colonyname")
    require_member_or_owner(call, colony)
    return store.definitions_of(call.state, colony)  # [] when there are none


@rpc("removeblueprintdefinitionmsg", "Failed to remove blueprint definition")
def remove_blueprint_definition(call: Call) -> None:
    colony, name = call.str("namespace"), call.str("name")
    require_colony_owner(call, colony)
    state = call.state
    definition = store.get_definition(state, colony, name)
    if definition is None:
        raise ApiError(404, f"BlueprintDefinition '{name}' not found in namespace '{colony}'")
    kind = definition_kind(definition)
    in_use = sum(1 for bp in store.blueprints_of(state, colony) if bp["kind"] == kind)
    if in_use:
        raise ApiError(
            409,
            f"cannot remove BlueprintDefinition '{name}': {in_use} blueprint(s) of kind "
            f"'{kind}' still exist",
        )
    store.delete_definition(state, colony, name)
