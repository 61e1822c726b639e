"""Blueprint RPCs (protocol 3.12, 7.2, 7.3, 7.6): add, get, list, update, remove.

Faithful to the real server, including what surprises: the stored document is whatever the
client sent (``generation``, ``createdAt``, ``status``... are never set by the server), an
update replaces the whole document, a blueprint named ``""`` is accepted, every add and
every generation-bumping update submits one more reconcile process (no de-duplication), and
removal looks up the cleanup handler by kind across all colonies (protocol 7.5).
"""

from __future__ import annotations

import uuid
from typing import Any

from colonies.devserver import blueprint_store as store
from colonies.devserver.auth import require_member_or_owner
from colonies.devserver.blueprint_definitions import duplicate_key_error
from colonies.devserver.blueprint_documents import (
    GoDecodeError,
    as_read_back,
    decode_blueprint,
    definition_handler,
    generation_of,
    history_entry,
    location_of,
    same_spec,
    with_generation,
)
from colonies.devserver.blueprint_processes import (
    ensure_reconcile_cron,
    resolve_initiator,
    retire_reconcile_cron,
    submit_cleanup,
    submit_reconcile,
)
from colonies.devserver.blueprint_schema import validate_spec
from colonies.devserver.call import Call
from colonies.devserver.errors import ApiError
from colonies.devserver.locations import location_row
from colonies.devserver.registry import JsonNull, null_if_empty, rpc
from colonies.devserver.state import LOCATIONS, ServerState
from colonies.devserver.store import key_of
from colonies.devserver.timefmt import format_time

__all__ = ["record_history"]


def _submitted_blueprint(call: Call) -> dict[str, Any]:
    """The ``blueprint`` field decoded like the server's struct; 400s as the server does."""
    raw = call.obj("blueprint")
    try:
        blueprint = None if raw is None else decode_blueprint(raw)
    except GoDecodeError:
        raise call.invalid() from None
    if blueprint is None:
        raise ApiError(400, f"{call.failure}, blueprint is nil")
    return blueprint


def _checked_definition(state: ServerState, blueprint: dict[str, Any]) -> dict[str, Any]:
    """The colony's definition of the blueprint's kind, after validating the spec by it."""
    kind, colony = blueprint["kind"], blueprint["metadata"]["colonyname"]
    if not kind:
        raise ApiError(400, "blueprint kind is required")
    definition = store.definition_for_kind(state, colony, kind)
    if definition is None:
        raise ApiError(
            400, f"BlueprintDefinition for kind '{kind}' not found in namespace '{colony}'"
        )
    schema = definition["spec"].get("schema")
    if schema is not None:
        reason = validate_spec(blueprint["spec"], schema)
        if reason is not None:
            raise ApiError(400, f"blueprint validation failed: {reason}")
    return definition


def record_history(
    state: ServerState, blueprint: dict[str, Any], signer_id: str, change: str
) -> None:
    """Append a history entry (``create`` or ``update``) for the blueprint as stored."""
    entry = history_entry(
        blueprint,
        history_id=str(uuid.uuid4()),  # history IDs are plain UUIDs
        changed_by=signer_id,
        change_type=change,
        timestamp=format_time(state.now()),
    )
    store.add_history(state, entry)


def _ensure_location(state: ServerState, blueprint: dict[str, Any]) -> None:
    """Create the blueprint's location when the colony has none of that exact name."""
    colony, location = blueprint["metadata"]["colonyname"], location_of(blueprint)
    if not location or state.location(colony, location) is not None:
        return
    description = f"Auto-created from blueprint {blueprint['metadata']['name']}"
    row = location_row(colony, location, location_id=state.new_id(), description=description)
    state.table(LOCATIONS).put(key_of(colony, location), row)


@rpc("addblueprintmsg", "Failed to add blueprint")
def add_blueprint(call: Call) -> dict[str, Any]:
    blueprint = _submitted_blueprint(call)
    colony, name = blueprint["metadata"]["colonyname"], blueprint["metadata"]["name"]
    require_member_or_owner(call, colony)
    state = call.state
    if not blueprint["blueprintid"]:
        blueprint["blueprintid"] = state.new_id()
    definition = _checked_definition(state, blueprint)
    if store.get_blueprint(state, colony, name) is not None:
        raise ApiError(409, f"blueprint with name '{name}' already exists in colony '{colony}'")
    if store.blueprint_id_taken(state, blueprint["blueprintid"]):
        raise duplicate_key_error("blueprints_pkey")
    _ensure_location(state, blueprint)
    store.put_blueprint(state, blueprint)
    record_history(state, blueprint, call.signer_id, "create")
    handler = definition_handler(definition)
    if all(handler):
        initiator_name = resolve_initiator(state, colony, call.signer_id) or ""
        try:
            ensure_reconcile_cron(
                state,
                blueprint,
                handler,
                initiator_id=call.signer_id,
                initiator_name=initiator_name,
            )
        except ApiError:  # the server removes the blueprint again; its history stays
            store.delete_blueprint(state, colony, name)
            raise
        submit_reconcile(
            state, blueprint, handler, initiator_id=call.signer_id, initiator_name=initiator_name
        )
    return blueprint


@rpc("getblueprintmsg", "Failed to get blueprint")
def get_blueprint(call: Call) -> dict[str, Any]:
    colony, name = call.str("namespace"), call.str("name")
    require_member_or_owner(call, colony)
    blueprint = store.get_blueprint(call.state, colony, name)
    if blueprint is None:
        raise ApiError(404, "Blueprint not found")
    return as_read_back(blueprint)


@rpc("getblueprintsmsg", "Failed to get blueprints")
def get_blueprints(call: Call) -> list[dict[str, Any]] | JsonNull:
    colony, kind, location = call.str("namespace"), call.str("kind"), call.str("locationname")
    require_member_or_owner(call, colony)
    found = store.blueprints_of(call.state, colony)
    if kind:
        found = [bp for bp in found if bp["kind"] == kind]
        if location:  # only together with a kind, and case-insensitively
            found = [bp for bp in found if location_of(bp).lower() == location.lower()]
    return null_if_empty([as_read_back(bp) for bp in found])


@rpc("updateblueprintmsg", "Failed to update blueprint")
def update_blueprint(call: Call) -> dict[str, Any]:
    blueprint = _submitted_blueprint(call)
    force = call.bool("forcegeneration")
    colony, name = blueprint["metadata"]["colonyname"], blueprint["metadata"]["name"]
    require_member_or_owner(call, colony)
    state = call.state
    old = store.get_blueprint(state, colony, name)
    if old is None:
        raise ApiError(404, f"blueprint '{name}' not found in namespace '{colony}'")
    definition = _checked_definition(state, blueprint)
    bumped = force or not same_spec(old["spec"], blueprint["spec"])
    generation = generation_of(old) + 1 if bumped else generation_of(old)
    blueprint = with_generation({**blueprint, "blueprintid": old["blueprintid"]}, generation)
    store.put_blueprint(state, blueprint)
    if bumped:
        record_history(state, blueprint, call.signer_id, "update")
        initiator_name = resolve_initiator(state, colony, call.signer_id)
        handler = definition_handler(definition)
        if initiator_name is not None and all(handler):
            submit_reconcile(
                state,
                blueprint,
                handler,
                initiator_id=call.signer_id,
                initiator_name=initiator_name,
            )
    return blueprint


@rpc("removeblueprintmsg", "Failed to remove blueprint")
def remove_blueprint(call: Call) -> None:
    colony, name = call.str("namespace"), call.str("name")
    require_member_or_owner(call, colony)
    state = call.state
    blueprint = store.get_blueprint(state, colony, name)
    if blueprint is None:
        raise ApiError(404, "Blueprint not found")
    store.delete_blueprint(state, colony, name)
    kind, location = blueprint["kind"], location_of(blueprint)
    if not any(
        bp["kind"] == kind and location_of(bp) == location
        for bp in store.blueprints_of(state, colony)
    ):
        retire_reconcile_cron(state, colony, kind, location)
    definition = store.definition_by_kind_anywhere(state, kind)
    executor_type = "" if definition is None else definition_handler(definition)[0]
    if executor_type:
        submit_cleanup(
            state,
            blueprint,
            executor_type,
            initiator_id=call.signer_id,
            initiator_name=resolve_initiator(state, colony, call.signer_id) or "",
        )
