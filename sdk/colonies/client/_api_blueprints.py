"""Blueprint definitions and blueprints (protocol 3.11, 3.12, 7).

The server names the colony ``namespace`` in some of these messages and ``colonyname`` in
others (8.1); the methods take ``colony`` everywhere and send the right field.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

from colonies.client._call import Call, Flow, KeyArg, as_documents, as_list, as_model, as_none
from colonies.client._operation import flow, operation
from colonies.errors import ColoniesError, ServerError
from colonies.models import Blueprint, BlueprintDefinition, BlueprintHistory, Process

__all__ = ["BlueprintOperations", "SpecChanges", "merge_patch"]

SpecChanges = Mapping[str, Any] | Callable[[dict[str, Any]], dict[str, Any]]
"""A JSON merge patch of a spec, or a function from the current spec to the new one."""


def merge_patch(target: Mapping[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
    """Apply an RFC 7386 JSON merge patch: nested mappings merge, ``None`` deletes a key."""
    merged = dict(target)
    for name, value in patch.items():
        if value is None:
            merged.pop(name, None)
        elif isinstance(value, Mapping) and isinstance(merged.get(name), Mapping):
            merged[name] = merge_patch(merged[name], value)
        elif isinstance(value, Mapping):
            merged[name] = merge_patch({}, value)
        else:
            merged[name] = copy.deepcopy(value)
    return merged


def lost_first_add_race(error: ColoniesError) -> bool:
    """Whether an add lost the race to create its location or its kind's reconcile cron.

    The server creates both on first use without a lock. The loser's location failure comes
    before the blueprint is stored, and its cron failure removes the blueprint again, so
    sending the add once more is safe; by then the winner has created both.
    """
    if not isinstance(error, ServerError) or error.status != 500:
        return False
    message = error.message
    return message.startswith("failed to create location: ") or (
        message.startswith("failed to create reconciliation cron: Cron with name <")
        and message.endswith("already exists")
    )


def _get_blueprint(colony: str, name: str, key: KeyArg) -> Call[Blueprint]:
    message = {"namespace": colony, "name": name}
    return Call("getblueprintmsg", message, as_model(Blueprint), key=key, read=True)


def _update_blueprint(blueprint: Blueprint, force: bool, key: KeyArg) -> Call[Blueprint]:
    message = {"blueprint": blueprint.to_wire(), "forcegeneration": force}
    return Call("updateblueprintmsg", message, as_model(Blueprint), key=key)


class BlueprintOperations:
    """Declare kinds, manage desired state, report observed state, trigger reconciles."""

    @operation
    def add_blueprint_definition(
        self, definition: BlueprintDefinition, *, key: KeyArg = None
    ) -> Call[BlueprintDefinition]:
        """Declare a kind in ``definition.metadata.colony_name``. Colony owner only."""
        message = {"blueprintdefinition": definition.to_wire()}
        decode = as_model(BlueprintDefinition)
        return Call("addblueprintdefinitionmsg", message, decode, key=key)

    @operation
    def get_blueprint_definition(
        self, colony: str, name: str, *, key: KeyArg = None
    ) -> Call[BlueprintDefinition]:
        """One definition by its ``metadata.name``."""
        message = {"colonyname": colony, "name": name}
        decode = as_model(BlueprintDefinition)
        return Call("getblueprintdefinitionmsg", message, decode, key=key, read=True)

    @operation
    def get_blueprint_definitions(
        self, colony: str, *, key: KeyArg = None
    ) -> Call[list[BlueprintDefinition]]:
        """All definitions of a colony, ordered by name."""
        message = {"colonyname": colony}
        decode = as_list(BlueprintDefinition)
        return Call("getblueprintdefinitionsmsg", message, decode, key=key, read=True)

    @operation
    def remove_blueprint_definition(
        self, colony: str, name: str, *, key: KeyArg = None
    ) -> Call[None]:
        """Remove a definition; refused (409) while blueprints of its kind exist.
        Colony owner only."""
        message = {"namespace": colony, "name": name}
        return Call("removeblueprintdefinitionmsg", message, as_none, key=key)

    @operation
    def add_blueprint(self, blueprint: Blueprint, *, key: KeyArg = None) -> Call[Blueprint]:
        """Store a blueprint as sent; creates the kind's reconcile cron on first use and
        submits an immediate reconcile process (when the definition has a handler).

        Concurrent first adds of a kind or location race to create the location and the
        kind's cron; the server refuses the losers and keeps nothing of them (protocol 12).
        The client sends such an add again, within its retry budget.
        """
        message = {"blueprint": blueprint.to_wire()}
        return Call(
            "addblueprintmsg",
            message,
            as_model(Blueprint),
            key=key,
            rolled_back=lost_first_add_race,
        )

    @operation
    def get_blueprint(self, colony: str, name: str, *, key: KeyArg = None) -> Call[Blueprint]:
        """One blueprint by name."""
        return _get_blueprint(colony, name, key)

    @operation
    def get_blueprints(
        self,
        colony: str,
        kind: str | None = None,
        location: str | None = None,
        *,
        key: KeyArg = None,
    ) -> Call[list[Blueprint]]:
        """Blueprints of a colony ordered by name, optionally of one ``kind``. The server
        ignores ``location`` unless ``kind`` is given; locations match case-insensitively."""
        return Call(
            "getblueprintsmsg",
            _listing(colony, kind, location),
            as_list(Blueprint),
            key=key,
            read=True,
        )

    @operation
    def get_blueprint_documents(
        self,
        colony: str,
        kind: str | None = None,
        location: str | None = None,
        *,
        key: KeyArg = None,
    ) -> Call[list[dict[str, Any]]]:
        """:meth:`get_blueprints` as plain JSON documents, for lists of thousands: validate
        each with ``Blueprint.model_validate`` when its turn comes (a model takes about twice
        the memory of its document)."""
        return Call(
            "getblueprintsmsg", _listing(colony, kind, location), as_documents, key=key, read=True
        )

    @operation
    def update_blueprint(
        self, blueprint: Blueprint, force_generation: bool = False, *, key: KeyArg = None
    ) -> Call[Blueprint]:
        """Replace a stored blueprint with ``blueprint`` (status included: leaving it out
        wipes it). A spec change, or ``force_generation``, bumps the generation and submits a
        reconcile. Prefer :meth:`update_blueprint_spec` to change only the spec."""
        return _update_blueprint(blueprint, force_generation, key)

    @flow
    def update_blueprint_spec(
        self,
        colony: str,
        name: str,
        changes: SpecChanges,
        *,
        force_generation: bool = False,
        key: KeyArg = None,
    ) -> Flow[Blueprint]:
        """Change a blueprint's spec and keep everything else, including its current status.

        ``changes`` is a JSON merge patch (nested mappings merge, ``None`` deletes) or a
        function from a copy of the current spec to the new spec. The server replaces whole
        documents, so this reads the blueprint and sends it back changed; a status written
        between the two calls is overwritten with the one read.
        """
        current: Blueprint = yield _get_blueprint(colony, name, key)
        spec = copy.deepcopy(current.spec)
        new_spec = changes(spec) if callable(changes) else merge_patch(spec, changes)
        updated = current.model_copy(update={"spec": new_spec})
        result: Blueprint = yield _update_blueprint(updated, force_generation, key)
        return result

    @operation
    def update_blueprint_status(
        self, colony: str, name: str, status: Mapping[str, Any] | None, *, key: KeyArg = None
    ) -> Call[None]:
        """Replace a blueprint's status (``None`` removes it). Members only: the colony
        owner key alone is refused. Does not touch the generation or history."""
        message = {
            "colonyname": colony,
            "blueprintname": name,
            "status": dict(status) if status is not None else None,
        }
        return Call("updateblueprintstatusmsg", message, as_none, key=key)

    @operation
    def reconcile_blueprint(
        self, colony: str, name: str, force: bool = False, *, key: KeyArg = None
    ) -> Call[Process]:
        """Submit a reconcile process for a blueprint and return it; ``force`` bumps the
        generation first. Members only: the colony owner key alone is refused."""
        message = {"namespace": colony, "name": name, "force": force}
        return Call("reconcileblueprintmsg", message, as_model(Process), key=key)

    @operation
    def remove_blueprint(self, colony: str, name: str, *, key: KeyArg = None) -> Call[None]:
        """Delete a blueprint; the server submits a ``cleanup`` process for its kind."""
        message = {"namespace": colony, "name": name}
        return Call("removeblueprintmsg", message, as_none, key=key)

    @operation
    def get_blueprint_history(
        self, blueprint_id: str, limit: int = 0, *, key: KeyArg = None
    ) -> Call[list[BlueprintHistory]]:
        """Recorded spec changes of an existing blueprint, newest first (``limit`` 0: all)."""
        message = {"blueprintid": blueprint_id, "limit": limit}
        decode = as_list(BlueprintHistory)
        return Call("getblueprinthistorymsg", message, decode, key=key, read=True)


def _listing(colony: str, kind: str | None, location: str | None) -> dict[str, Any]:
    return {"namespace": colony, "kind": kind or "", "locationname": location or ""}
