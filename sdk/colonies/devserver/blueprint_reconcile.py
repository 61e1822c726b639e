"""Blueprint RPCs around reconciliation (protocol 7.4, 7.5, 7.9): status updates, explicit
reconcile requests and the change history.

Status updates and reconcile requests are for members only (the reconcilers themselves and
users); the bare colony-owner key is refused. Reconcile takes its handler from the first
definition of the kind in *any* colony, like the real server (a known cross-colony bug that
the dev server mirrors on purpose, protocol 7.5): processes still go to the blueprint's own
colony, but with the other colony's executor type and function name when it was first.
"""

from __future__ import annotations

from typing import Any

from colonies.devserver import blueprint_store as store
from colonies.devserver.auth import require_member, require_member_or_owner
from colonies.devserver.blueprint_codec import ANY_MAP, GoDecodeError
from colonies.devserver.blueprint_documents import (
    definition_handler,
    generation_of,
    with_generation,
)
from colonies.devserver.blueprint_processes import resolve_initiator, submit_reconcile
from colonies.devserver.call import Call
from colonies.devserver.errors import ApiError
from colonies.devserver.registry import JsonNull, null_if_empty, rpc

__all__: list[str] = []


@rpc("updateblueprintstatusmsg", "Failed to update blueprint status")
def update_blueprint_status(call: Call) -> None:
    colony, name = call.str("colonyname"), call.str("blueprintname")
    try:
        status = ANY_MAP.decode(call.obj("status"))
    except GoDecodeError:
        raise call.invalid() from None
    require_member(call, colony)
    state = call.state
    blueprint = store.get_blueprint(state, colony, name)
    if blueprint is None:
        raise ApiError(404, "Blueprint not found")
    blueprint = {key: value for key, value in blueprint.items() if key != "status"}
    if status:
        blueprint["status"] = status
    store.put_blueprint(state, blueprint)


@rpc("reconcileblueprintmsg", "Failed to reconcile blueprint")
def reconcile_blueprint(call: Call) -> dict[str, Any]:
    colony, name, force = call.str("namespace"), call.str("name"), call.bool("force")
    require_member(call, colony)
    state = call.state
    blueprint = store.get_blueprint(state, colony, name)
    if blueprint is None:
        raise ApiError(404, "Blueprint not found")
    if force:  # written at once: it stays even when the handler check below fails
        blueprint = with_generation(blueprint, generation_of(blueprint) + 1)
        store.put_blueprint(state, blueprint)
    initiator_name = resolve_initiator(state, colony, call.signer_id)
    if initiator_name is None:
        raise ApiError(500, "Could not derive InitiatorName")
    definition = store.definition_by_kind_anywhere(state, blueprint["kind"])
    executor_type, function_name = (
        ("", "") if definition is None else definition_handler(definition)
    )
    if not executor_type:
        raise ApiError(400, "Blueprint has no handler with executor type defined")
    if not function_name:
        raise ApiError(400, "Blueprint has no handler with function name defined")
    return submit_reconcile(
        state,
        blueprint,
        (executor_type, function_name),
        initiator_id=call.signer_id,
        initiator_name=initiator_name,
        force=force,
    )


@rpc("getblueprinthistorymsg", "Failed to get blueprint history")
def get_blueprint_history(call: Call) -> list[dict[str, Any]] | JsonNull:
    blueprint_id, limit = call.str("blueprintid"), call.int("limit")
    state = call.state
    blueprint = store.blueprint_by_id(state, blueprint_id)
    if blueprint is None:
        raise ApiError(404, "Blueprint not found")
    require_member_or_owner(call, blueprint["metadata"]["colonyname"])
    return null_if_empty(store.history_of(state, blueprint_id, limit))
