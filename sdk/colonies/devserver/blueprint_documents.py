"""The JSON shapes of blueprints, blueprint definitions and history entries (protocol 7, 9).

Each shape is the real server's Go struct expressed as a :mod:`blueprint_codec` codec, so
decoding a request value yields exactly what the server stores and echoes. Small accessors
read fields that ``omitempty`` may have removed.
"""

from __future__ import annotations

from typing import Any

from colonies import deepjson
from colonies.devserver.blueprint_codec import (
    ANY,
    ANY_LIST,
    ANY_MAP,
    INT64,
    STRING,
    STRING_LIST,
    STRING_MAP,
    TIME,
    Field,
    GoDecodeError,
    Map,
    Pointer,
    Struct,
)

__all__ = [
    "BLUEPRINT",
    "DEFINITION",
    "GoDecodeError",
    "as_read_back",
    "decode_blueprint",
    "decode_definition",
    "definition_handler",
    "definition_kind",
    "generation_of",
    "history_entry",
    "location_of",
    "same_spec",
    "with_generation",
]

METADATA = Struct(
    [
        Field("name", STRING),
        Field("colonyname", STRING),
        Field("locationname", STRING, omitempty=True),
        Field("labels", STRING_MAP, omitempty=True),
        Field("annotations", STRING_MAP, omitempty=True),
        Field("generation", INT64, omitempty=True),
        Field("createdAt", TIME, omitempty=True),
        Field("updatedAt", TIME, omitempty=True),
        Field("lastReconciliationProcess", STRING, omitempty=True),
        Field("lastReconciliationTime", TIME, omitempty=True),
    ]
)

BLUEPRINT = Struct(
    [
        Field("blueprintid", STRING),
        Field("kind", STRING),
        Field("metadata", METADATA),
        Field("spec", ANY_MAP),
        Field("status", ANY_MAP, omitempty=True),
    ]
)


class _SchemaProperty(Struct):
    """SchemaProperty refers to itself (nested ``properties`` and ``items``)."""

    def __init__(self) -> None:
        super().__init__(
            [
                Field("type", STRING, omitempty=True),
                Field("description", STRING, omitempty=True),
                Field("enum", ANY_LIST, omitempty=True),
                Field("default", ANY, omitempty=True),
                Field("properties", Map(self.decode), omitempty=True),
                Field("items", Pointer(self), omitempty=True),
            ]
        )


_PROPERTY = _SchemaProperty()

SCHEMA = Struct(
    [
        Field("type", STRING, omitempty=True),
        Field("properties", Map(_PROPERTY.decode), omitempty=True),
        Field("required", STRING_LIST, omitempty=True),
    ]
)

DEFINITION = Struct(
    [
        Field("blueprintdefinitionid", STRING),
        Field("kind", STRING),
        Field("metadata", METADATA),
        Field(
            "spec",
            Struct(
                [
                    Field("group", STRING),
                    Field("version", STRING),
                    Field(
                        "names",
                        Struct(
                            [
                                Field("kind", STRING),
                                Field("listKind", STRING),
                                Field("singular", STRING),
                                Field("plural", STRING),
                                Field("shortNames", STRING_LIST, omitempty=True),
                            ]
                        ),
                    ),
                    Field("scope", STRING),
                    Field("schema", Pointer(SCHEMA), omitempty=True),
                    Field(
                        "handler",
                        Struct(
                            [
                                Field("executorType", STRING),
                                Field("functionName", STRING),
                                Field("reconcileInterval", INT64, omitempty=True),
                            ]
                        ),
                    ),
                ]
            ),
        ),
    ]
)


def decode_blueprint(value: dict[str, Any]) -> dict[str, Any]:
    """The blueprint as the server stores and echoes it; raises GoDecodeError."""
    decoded: dict[str, Any] = BLUEPRINT.decode(value)
    return decoded


def decode_definition(value: dict[str, Any]) -> dict[str, Any]:
    """The definition as the server stores and echoes it; raises GoDecodeError."""
    decoded: dict[str, Any] = DEFINITION.decode(value)
    return decoded


def as_read_back(blueprint: dict[str, Any]) -> dict[str, Any]:
    """A stored blueprint as a later read returns it: a null spec reads back as ``{}``."""
    if blueprint.get("spec") is not None:
        return blueprint
    return {**blueprint, "spec": {}}


def same_spec(stored: dict[str, Any] | None, submitted: dict[str, Any] | None) -> bool:
    """The update rule's spec comparison: equal after a JSON round trip, so key order and
    ``50`` vs ``50.0`` do not matter, while a missing spec equals an empty one."""

    def canonical(spec: dict[str, Any] | None) -> str:
        return deepjson.dumps(ANY_MAP.decode(spec or {}), separators=(", ", ": "), sort_keys=True)

    return canonical(stored) == canonical(submitted)


def generation_of(blueprint: dict[str, Any]) -> int:
    generation: int = blueprint["metadata"].get("generation", 0)
    return generation


def location_of(blueprint: dict[str, Any]) -> str:
    location: str = blueprint["metadata"].get("locationname", "")
    return location


def with_generation(blueprint: dict[str, Any], generation: int) -> dict[str, Any]:
    """A copy with ``metadata.generation`` set (omitted when 0, like ``omitempty``)."""
    metadata = METADATA.decode({**blueprint["metadata"], "generation": generation})
    return {**blueprint, "metadata": metadata}


def definition_kind(definition: dict[str, Any]) -> str:
    kind: str = definition["spec"]["names"]["kind"]
    return kind


def definition_handler(definition: dict[str, Any]) -> tuple[str, str]:
    """(executorType, functionName) of a definition's handler; empty strings when unset."""
    handler = definition["spec"]["handler"]
    return handler["executorType"], handler["functionName"]


def history_entry(
    blueprint: dict[str, Any],
    *,
    history_id: str,
    changed_by: str,
    change_type: str,
    timestamp: str,
) -> dict[str, Any]:
    """A BlueprintHistory row: status only when non-empty, spec null when the blueprint had none."""
    entry: dict[str, Any] = {
        "historyid": history_id,
        "blueprintid": blueprint["blueprintid"],
        "kind": blueprint["kind"],
        "namespace": blueprint["metadata"]["colonyname"],
        "name": blueprint["metadata"]["name"],
        "generation": generation_of(blueprint),
        "spec": blueprint.get("spec"),
    }
    if blueprint.get("status"):
        entry["status"] = blueprint["status"]
    entry.update(timestamp=timestamp, changedby=changed_by, changetype=change_type)
    return entry
