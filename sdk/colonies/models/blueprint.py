"""Blueprint definitions, blueprints and their history (protocol 7, 9).

The server mixes naming styles here: camelCase for the definition handler and some metadata
fields, ``namespace`` for the colony in history entries. The models use snake_case throughout
and keep the wire spelling as aliases.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from colonies.models._base import GoTime, NullableDict, NullableList, WireModel

__all__ = [
    "Blueprint",
    "BlueprintDefinition",
    "BlueprintDefinitionSpec",
    "BlueprintHandler",
    "BlueprintHistory",
    "BlueprintMetadata",
    "BlueprintNames",
]


class BlueprintMetadata(WireModel):
    """Identity and bookkeeping of a blueprint or definition.

    ``generation`` is bumped by the server on spec changes and forced reconciles; the time
    fields and ``last_reconciliation_process`` are stored as the client sends them.
    """

    name: str = ""
    colony_name: str = ""
    location_name: str = ""
    labels: NullableDict[str, str] = {}
    annotations: NullableDict[str, str] = {}
    generation: int = 0
    created_at: GoTime = Field(default=None, alias="createdAt")
    updated_at: GoTime = Field(default=None, alias="updatedAt")
    last_reconciliation_process: str = Field(default="", alias="lastReconciliationProcess")
    last_reconciliation_time: GoTime = Field(default=None, alias="lastReconciliationTime")


class BlueprintHandler(WireModel):
    """Which executor type and function reconcile blueprints of a kind.

    ``reconcile_interval`` is stored but has no effect on v1.9.12 (crons always use 60 s).
    """

    executor_type: str = Field(default="", alias="executorType")
    function_name: str = Field(default="", alias="functionName")
    reconcile_interval: int = Field(default=0, alias="reconcileInterval")


class BlueprintNames(WireModel):
    """The kind a definition declares, and its other spellings."""

    kind: str = ""
    list_kind: str = Field(default="", alias="listKind")
    singular: str = ""
    plural: str = ""
    short_names: NullableList[str] = Field(default=[], alias="shortNames")


class BlueprintDefinitionSpec(WireModel):
    """The kind, its validation schema (the server's subset of JSON Schema) and handler."""

    group: str = ""
    version: str = ""
    names: BlueprintNames = Field(default_factory=BlueprintNames)
    scope: str = ""
    schema_: dict[str, Any] | None = Field(default=None, alias="schema")
    handler: BlueprintHandler | None = None


class BlueprintDefinition(WireModel):
    """Declares a blueprint kind in a colony; only ``spec.names.kind`` is matched."""

    blueprint_definition_id: str = ""
    kind: str = ""
    metadata: BlueprintMetadata = Field(default_factory=BlueprintMetadata)
    spec: BlueprintDefinitionSpec = Field(default_factory=BlueprintDefinitionSpec)


class Blueprint(WireModel):
    """Desired state (``spec``) and observed state (``status``) of one managed thing."""

    blueprint_id: str = ""
    kind: str = ""
    metadata: BlueprintMetadata = Field(default_factory=BlueprintMetadata)
    spec: NullableDict[str, Any] = {}
    status: dict[str, Any] | None = None


class BlueprintHistory(WireModel):
    """A recorded spec change; ``changed_by`` is the signer's ID."""

    history_id: str = ""
    blueprint_id: str = ""
    kind: str = ""
    colony_name: str = Field(default="", alias="namespace")
    name: str = ""
    generation: int = 0
    spec: NullableDict[str, Any] = {}
    status: dict[str, Any] | None = None
    timestamp: GoTime = None
    changed_by: str = ""
    change_type: str = ""
