"""Upgrading a kind's BlueprintDefinition on a server that cannot update one (v1.9.12).

The server has no update call, and refuses to remove a definition while blueprints of its
kind exist (protocol 3.11). What it does have: several definitions may declare one kind, and
add and update validate a blueprint against the *first by name* of them (handlers.go:
``GetBlueprintDefinitionsByNamespace`` ordered by NAME). So an upgrade adds the new
definition under a name that sorts before every existing one; the old ones stay, superseded,
until no blueprint of the kind is left (then an upgrade removes them and reuses the plain
name). Reconcile processes find "a" definition of the kind anywhere; they use only its
handler, which an upgrade keeps.

Planning is pure (:func:`plan_upgrade` over what the caller read); the caller sends
:attr:`UpgradePlan.removals` then :attr:`UpgradePlan.addition` with the colony owner key.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from colonies.models import Blueprint, BlueprintDefinition
from colonies.runtime.schema import stored_full_schema
from colonies.runtime.schema_compat import SchemaChange, canonical, schema_changes

__all__ = [
    "SpecCheck",
    "UpgradePlan",
    "base_name",
    "definitions_of_kind",
    "effective_definition",
    "handler_routing",
    "model_validator",
    "plan_upgrade",
]

#: Checks one stored spec against the new schema: ``None`` when valid, else the reason.
SpecCheck = Callable[[dict[str, Any]], str | None]

_REVISION = re.compile(r"^(\d{4})\.(.+)$")
_FIRST_REVISION = 9999  # counts down: each upgrade must sort before the previous ones


def definitions_of_kind(
    definitions: Iterable[BlueprintDefinition], kind: str
) -> list[BlueprintDefinition]:
    """The definitions of ``kind`` in the order the server consults them (by name)."""
    return sorted(
        (d for d in definitions if d.spec.names.kind == kind), key=lambda d: d.metadata.name
    )


def effective_definition(
    definitions: Iterable[BlueprintDefinition], kind: str
) -> BlueprintDefinition | None:
    """The definition the server validates ``kind``'s blueprints against on add and update:
    the first by name. The others are superseded revisions."""
    found = definitions_of_kind(definitions, kind)
    return found[0] if found else None


def model_validator(model: type[BaseModel]) -> SpecCheck:
    """Validate specs with the spec model itself (what the runtime will do with them). A
    manifest's full schema is checked with ``colonies.manifests.schemas.SpecValidator``."""

    def validate(spec: dict[str, Any]) -> str | None:
        try:
            model.model_validate(spec)
        except ValidationError as error:
            return "; ".join(
                f"field {'.'.join(str(p) for p in e['loc'])!r}: {e['msg']}"
                if e["loc"]
                else e["msg"]
                for e in error.errors()
            )
        return None

    return validate


def _schema_of(definition: BlueprintDefinition) -> tuple[dict[str, Any] | None, bool]:
    """The schema to compare, and whether it is the full one (annotation) or the server's."""
    full = stored_full_schema(definition.metadata.annotations)
    return (full, True) if full is not None else (definition.spec.schema_, False)


def _revision_name(base: str, existing: Sequence[BlueprintDefinition]) -> str:
    """A name that sorts before every existing one: ``9999.base``, ``9998.base`` ..."""
    numbers = [int(m.group(1)) for d in existing if (m := _REVISION.match(d.metadata.name))]
    return f"{min([*numbers, _FIRST_REVISION + 1]) - 1:04d}.{base}"


def base_name(definition: BlueprintDefinition) -> str:
    """The name without a revision prefix."""
    match = _REVISION.match(definition.metadata.name)
    return match.group(2) if match else definition.metadata.name


@dataclass(frozen=True)
class UpgradePlan:
    """What it takes to make ``wanted`` the kind's effective definition."""

    kind: str
    current: BlueprintDefinition | None
    changes: list[SchemaChange]
    #: Stored blueprints the new schema rejects (name -> reason): they block the upgrade.
    rejected: dict[str, str]
    #: Definitions to remove first (only when no blueprint of the kind exists).
    removals: list[str] = field(default_factory=list)
    #: The definition to add; ``None`` when the current one already matches.
    addition: BlueprintDefinition | None = None

    @property
    def up_to_date(self) -> bool:
        return self.addition is None

    @property
    def compatible(self) -> bool:
        return all(change.compatible for change in self.changes)

    @property
    def blocked(self) -> bool:
        return bool(self.rejected)

    def describe_changes(self) -> str:
        if not self.changes:
            return "no schema change (the definition gains the full schema annotation)"
        return "; ".join(str(change) for change in self.changes)

    def describe_blockers(self) -> str:
        return "; ".join(f"{name} ({reason})" for name, reason in sorted(self.rejected.items()))


def plan_upgrade(
    definitions: Sequence[BlueprintDefinition],
    blueprints: Sequence[Blueprint],
    wanted: BlueprintDefinition,
    validate: SpecCheck,
    *,
    changed: bool = False,
) -> UpgradePlan:
    """Compare the kind's effective definition with ``wanted`` and plan the upgrade.

    ``definitions`` are the colony's (any kinds), ``blueprints`` the stored ones of the
    kind. Compatible changes never block. Incompatible ones block only when a stored
    blueprint fails ``validate``; those are named in :attr:`UpgradePlan.rejected`.
    ``changed``: the caller found a difference beyond handler and schema (a manifest's
    names or labels), so a revision is due even when those match.
    """
    kind = wanted.spec.names.kind
    existing = definitions_of_kind(definitions, kind)
    current = existing[0] if existing else None
    if current is None:
        return UpgradePlan(kind, None, [], {}, addition=wanted)
    if not changed and _same(current, wanted):
        return UpgradePlan(kind, current, [], {})
    old, old_full = _schema_of(current)
    new, _ = _schema_of(wanted)
    if not old_full:  # the server's copy only: compare like with like
        new = wanted.spec.schema_
    changes = schema_changes(old or {}, new or {}) if old is not None else []
    rejected: dict[str, str] = {}
    if not all(change.compatible for change in changes):
        for blueprint in blueprints:
            reason = validate(blueprint.spec)
            if reason is not None:
                rejected[blueprint.metadata.name] = reason
    if blueprints:
        name = _revision_name(base_name(current), existing)
        removals: list[str] = []
    else:
        name = base_name(wanted)
        removals = [d.metadata.name for d in existing]
    addition = wanted.model_copy(
        update={"metadata": wanted.metadata.model_copy(update={"name": name})}
    )
    return UpgradePlan(kind, current, changes, rejected, removals, addition)


def handler_routing(definition: BlueprintDefinition) -> tuple[str, str]:
    """The handler's ``(executorType, functionName)``. A definition without a handler reads
    as the server's empty one (its Go struct always has one), so a handler-less manifest
    and the server's copy of it compare equal everywhere."""
    handler = definition.spec.handler
    return (handler.executor_type, handler.function_name) if handler else ("", "")


def _same(current: BlueprintDefinition, wanted: BlueprintDefinition) -> bool:
    """Same handler, same server schema, same full schema (when ``wanted`` has one)."""
    if handler_routing(current) != handler_routing(wanted):
        return False
    if canonical(current.spec.schema_) != canonical(wanted.spec.schema_):
        return False
    wanted_full = stored_full_schema(wanted.metadata.annotations)
    return wanted_full is None or canonical(
        stored_full_schema(current.metadata.annotations)
    ) == canonical(wanted_full)
