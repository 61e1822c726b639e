"""What ``apply`` would do with each document, decided from the server's state without writing.

A document is ``created`` when the server lacks it, ``unchanged`` when the server already holds
what it says, and ``configured`` otherwise. Unchanged means no request at all, hence no
generation bump and no reconcile process. An update starts from the stored blueprint and
replaces only what a manifest owns (spec, labels, annotations, location), so the stored status
and the server's bookkeeping survive the server's whole-document replace (protocol 7.3).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from colonies.inspection.compare import FieldPair, FieldState, compare_documents
from colonies.manifests.documents import Manifest, ManifestError
from colonies.manifests.kinds import KindResolver, UnknownKindError, display_kind
from colonies.manifests.schemas import (
    SPEC_SCHEMA_ANNOTATION,
    InvalidSchemaError,
    SpecValidator,
    for_server,
    full_schema,
    schema_check,
)
from colonies.models import Blueprint, BlueprintDefinition
from colonies.runtime.definition_upgrade import handler_routing, plan_upgrade
from colonies.runtime.drift import policy_overrides

__all__ = [
    "Action",
    "Plan",
    "Step",
    "blueprint_label",
    "make_plan",
    "spec_changes",
    "spec_problems",
]

DEFINITION_LABEL = "blueprintdefinition"


class Action(enum.StrEnum):
    """What a step does, in kubectl's words."""

    CREATED = "created"
    CONFIGURED = "configured"
    UNCHANGED = "unchanged"
    DELETED = "deleted"


@dataclass(frozen=True)
class Step:
    """One document's outcome: the object to send (``None`` when nothing is sent) and the
    field-level difference between it (left) and the server's copy (right)."""

    label: str
    action: Action
    send: Blueprint | BlueprintDefinition | None = None
    changes: tuple[FieldPair, ...] = ()
    notes: tuple[str, ...] = ()
    """Changes told in words (a definition's schema changes, rule by rule)."""
    removals: tuple[str, ...] = ()
    """Definitions to remove before ``send`` is added (an upgrade of an unused kind)."""
    blocker: str | None = None
    """Why the change cannot be made (stored blueprints the new schema rejects)."""


@dataclass
class Plan:
    """Steps in the order to run them (definitions first) and the documents refused."""

    steps: list[Step] = field(default_factory=list)
    errors: list[ManifestError] = field(default_factory=list)


def blueprint_label(definition: BlueprintDefinition | None, blueprint: Blueprint) -> str:
    """``homedevice/living-room-lamp``: how output names a blueprint."""
    kind = display_kind(definition) if definition else blueprint.kind.lower()
    return f"{kind}/{blueprint.metadata.name}"


def spec_problems(definition: BlueprintDefinition, spec: Any) -> list[str]:
    """Why ``spec`` does not fit the kind's full schema; empty when it does (or has none)."""
    schema = full_schema(definition)
    if schema is None:
        return []
    return [str(problem) for problem in SpecValidator(schema).problems(spec)]


def _without_empty(value: Any) -> Any:
    """``value`` without empty strings and mappings: the server and manifests spell "unset"
    in several ways (``""``, ``{}``, ``null``, absent), which must not count as a change."""
    if isinstance(value, Mapping):
        kept = {key: _without_empty(child) for key, child in value.items()}
        return {key: child for key, child in kept.items() if child not in (None, "", {})}
    return value


def _changes(left: Mapping[str, Any], right: Mapping[str, Any]) -> tuple[FieldPair, ...]:
    pairs = compare_documents(_without_empty(left), _without_empty(right))
    return tuple(sorted((p for p in pairs if p.state is not FieldState.SAME), key=_path))


def _path(pair: FieldPair) -> str:
    return pair.path


def spec_changes(new: Mapping[str, Any], old: Mapping[str, Any]) -> tuple[FieldPair, ...]:
    """The field-level difference between two specs, as ``spec.<path>`` pairs."""
    return _changes({"spec": new}, {"spec": old})


def _blueprint_view(blueprint: Blueprint) -> dict[str, Any]:
    """The part of a blueprint a manifest owns, as compared for ``unchanged``."""
    metadata = blueprint.metadata
    return {
        "metadata": {
            "locationname": metadata.location_name,
            "labels": metadata.labels,
            "annotations": metadata.annotations,
        },
        "spec": blueprint.spec,
    }


def _definition_view(definition: BlueprintDefinition) -> dict[str, Any]:
    """A definition's names, handler and metadata; its schema is compared by
    :func:`~colonies.runtime.definition_upgrade.plan_upgrade`, rule by rule."""
    spec = definition.spec
    executor_type, function_name = handler_routing(definition)
    annotations = definition.metadata.annotations
    return {
        "metadata": {
            "labels": definition.metadata.labels,
            "annotations": {k: v for k, v in annotations.items() if k != SPEC_SCHEMA_ANNOTATION},
        },
        "spec": {
            "group": spec.group,
            "version": spec.version,
            "scope": spec.scope,
            "names": spec.names.model_dump(mode="json", by_alias=True),
            "handler": {"executorType": executor_type, "functionName": function_name},
        },
    }


def _in_colony(manifest: Manifest, colony: str) -> dict[str, Any]:
    content = manifest.content()
    metadata = content["metadata"]
    named = metadata.get("colonyname")
    if named and named != colony:
        raise manifest.error(
            f"metadata.colonyname is {named!r}, but the target colony is {colony!r}"
        )
    metadata["colonyname"] = colony
    return content


def _model(manifest: Manifest, colony: str, model: type[Any]) -> Any:
    try:
        return model.model_validate(_in_colony(manifest, colony))
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise manifest.error(f"field {where!r}: {first['msg']}") from None


def _plan_definition(
    manifest: Manifest,
    colony: str,
    definitions: Sequence[BlueprintDefinition],
    blueprints: Iterable[Blueprint],
) -> Step:
    """Create the kind, leave it, or upgrade it as ``definition upgrade`` does: a server
    that cannot update a definition validates against the first of a kind by name, so the
    new one is added under a name that sorts first (runtime/definition_upgrade.py)."""
    try:
        wanted: BlueprintDefinition = for_server(_model(manifest, colony, BlueprintDefinition))
    except InvalidSchemaError as error:
        raise manifest.error(f"spec.schema: {error}") from None
    label = f"{DEFINITION_LABEL}/{manifest.name}"
    kind = wanted.spec.names.kind
    taken = next((d for d in definitions if d.metadata.name == manifest.name), None)
    if taken is not None and taken.spec.names.kind != kind:
        raise manifest.error(
            f"the name is taken by the definition of kind {taken.spec.names.kind!r}"
        )
    of_kind = [blueprint for blueprint in blueprints if blueprint.kind == kind]
    check = schema_check(wanted)
    upgrade = plan_upgrade(definitions, of_kind, wanted, check)
    if upgrade.current is None:
        return Step(label, Action.CREATED, wanted, _changes(_definition_view(wanted), {}))
    changes = _changes(_definition_view(wanted), _definition_view(upgrade.current))
    if upgrade.up_to_date and changes:  # names, labels ...: a revision carries them too
        upgrade = plan_upgrade(definitions, of_kind, wanted, check, changed=True)
    if upgrade.up_to_date:
        return Step(label, Action.UNCHANGED)
    notes = tuple(str(change) for change in upgrade.changes)
    if not notes and not changes:
        notes = (upgrade.describe_changes(),)
    if upgrade.blocked:
        blocker = (
            f"the new schema rejects stored blueprints: {upgrade.describe_blockers()}; "
            "change or delete them first"
        )
        return Step(label, Action.CONFIGURED, None, changes, notes=notes, blocker=blocker)
    return Step(label, Action.CONFIGURED, upgrade.addition, changes, notes, tuple(upgrade.removals))


def _plan_blueprint(
    manifest: Manifest, colony: str, kinds: KindResolver, stored: Mapping[str, Blueprint]
) -> Step:
    try:
        definition = kinds.resolve(manifest.kind)
    except UnknownKindError as error:
        raise manifest.error(str(error)) from None
    body = {**manifest.body, "kind": definition.spec.names.kind}
    wanted: Blueprint = _model(Manifest(manifest.origin, body), colony, Blueprint)
    label = blueprint_label(definition, wanted)
    try:
        problems = spec_problems(definition, wanted.spec)
    except InvalidSchemaError as error:
        raise manifest.error(f"{DEFINITION_LABEL}/{definition.metadata.name}: {error}") from None
    try:  # the runtime reads these annotations; a bad one would only show in its log
        policy_overrides(wanted.metadata.annotations)
    except ValueError as error:
        problems.append(f"metadata.annotations.{error}")
    if problems:
        raise manifest.error("; ".join(problems), name=label)
    current = stored.get(wanted.metadata.name)
    if current is None:
        return Step(label, Action.CREATED, wanted, _changes(_blueprint_view(wanted), {}))
    if current.kind != wanted.kind:
        raise manifest.error(
            f"a blueprint of kind {current.kind!r} already has this name", name=label
        )
    changes = _changes(_blueprint_view(wanted), _blueprint_view(current))
    if not changes:
        return Step(label, Action.UNCHANGED)
    metadata = current.metadata.model_copy(
        update={
            "location_name": wanted.metadata.location_name,
            "labels": wanted.metadata.labels,
            "annotations": wanted.metadata.annotations,
        }
    )
    update = current.model_copy(update={"spec": wanted.spec, "metadata": metadata})
    return Step(label, Action.CONFIGURED, update, changes)


def make_plan(
    manifests: Iterable[Manifest],
    colony: str,
    definitions: Sequence[BlueprintDefinition],
    blueprints: Iterable[Blueprint],
) -> Plan:
    """Plan every document against the server's ``definitions`` and ``blueprints``.

    Blueprints of a kind defined in the same manifests validate against that definition,
    so a new kind and its first blueprints apply together.
    """
    plan = Plan()
    ordered = sorted(manifests, key=lambda manifest: not manifest.is_definition)
    kinds = KindResolver(definitions)
    stored = {blueprint.metadata.name: blueprint for blueprint in blueprints}
    for manifest in ordered:
        try:
            if manifest.is_definition:
                step = _plan_definition(manifest, colony, definitions, stored.values())
                if isinstance(step.send, BlueprintDefinition):
                    kinds.add(step.send, replace=True)  # it becomes the kind's effective one
            else:
                step = _plan_blueprint(manifest, colony, kinds, stored)
        except ManifestError as error:
            plan.errors.append(error)
            continue
        plan.steps.append(step)
    return plan
