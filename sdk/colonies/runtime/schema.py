"""A spec model as the server's subset of JSON Schema (protocol 7.8).

The server understands ``type``, ``properties``, ``enum``, ``items``, ``required`` (and
keeps ``description``); it has no ``$ref``, ``anyOf`` or ``null``. Pydantic's full schema
is folded into that subset: references are inlined, ``Optional[X]`` becomes ``X``, a
``Literal``/``Enum`` becomes an ``enum``. Anything the subset cannot express is left
unconstrained there and still enforced by the runtime's own model validation.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

_SERVER_TYPES = frozenset({"object", "array", "string", "number", "integer", "boolean"})


def _type_of_values(values: list[Any]) -> str | None:
    kinds = {type(value) for value in values}
    if kinds == {str}:
        return "string"
    if kinds == {bool}:
        return "boolean"
    if kinds <= {int, float} and kinds:
        return "number"
    return None


class _Folder:
    def __init__(self, definitions: dict[str, Any]) -> None:
        self.definitions = definitions

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            node = {
                **self.definitions[node["$ref"].rsplit("/", 1)[-1]],
                **{k: v for k, v in node.items() if k != "$ref"},
            }
        for combinator in ("anyOf", "oneOf", "allOf"):
            options = [
                option for option in node.get(combinator, []) if option.get("type") != "null"
            ]
            if combinator in node:
                rest = {k: v for k, v in node.items() if k != combinator}
                return self.resolve({**options[0], **rest}) if len(options) == 1 else rest
        return node

    def fold(self, node: dict[str, Any], *, top: bool = False) -> dict[str, Any]:
        node = self.resolve(node)
        folded: dict[str, Any] = {}
        enum = [node["const"]] if "const" in node else node.get("enum")
        kind = node.get("type")
        if kind not in _SERVER_TYPES and enum:
            kind = _type_of_values(enum)
        if kind in _SERVER_TYPES:
            folded["type"] = kind
        if node.get("description") and not top:  # the server keeps none at the top (12)
            folded["description"] = node["description"]
        if enum and not top:  # nor an enum
            folded["enum"] = list(enum)
        if kind == "object" and node.get("properties"):  # Go's omitempty drops an empty map
            folded["properties"] = {
                name: self.fold(child) for name, child in node["properties"].items()
            }
            if top and node.get("required"):
                folded["required"] = list(node["required"])
        if kind == "array" and isinstance(node.get("items"), dict):
            folded["items"] = self.fold(node["items"])
        return folded


def server_schema(schema: Mapping[str, Any]) -> dict[str, Any]:
    """Exactly what a v1.9.12 server stores of ``schema`` (pydantic's, a manifest's).

    The server decodes ``spec.schema`` through Go structs (protocol 12): at the top it keeps
    ``type``, ``properties`` and ``required``; per property ``type``, ``description``,
    ``enum``, ``properties`` and ``items``. References are inlined and ``Optional[X]`` becomes
    ``X`` first, so what the server checks still holds. A definition sent with this subset
    reads back unchanged, which is how the runtime and ``apply`` tell "unchanged".
    """
    return _Folder(dict(schema.get("$defs", {}))).fold(dict(schema), top=True)


def blueprint_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The definition schema for blueprints whose spec validates into ``model``."""
    return server_schema(model.model_json_schema(by_alias=True, mode="validation"))


#: The definition annotation that keeps the spec model's full JSON Schema. The server's
#: copy of ``spec.schema`` loses ``minimum``, ``additionalProperties`` and the rest (protocol
#: 12); annotations survive verbatim. ``colonies-sdk apply`` validates against it and writes
#: it for definition manifests; the runtime writes it and checks upgrades against it.
SPEC_SCHEMA_ANNOTATION = "colonies.dev/spec-schema"

_JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def full_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's complete JSON Schema (draft 2020-12), self-contained: references point
    only into its own ``$defs``."""
    return {"$schema": _JSON_SCHEMA_DIALECT, **model.model_json_schema(mode="validation")}


def encode_full_schema(schema: dict[str, Any]) -> str:
    """The annotation value: compact JSON with sorted keys, so equal schemas are equal text."""
    return json.dumps(schema, sort_keys=True, separators=(",", ":"))


def stored_full_schema(annotations: Mapping[str, str]) -> dict[str, Any] | None:
    """The full schema a definition carries in :data:`SPEC_SCHEMA_ANNOTATION`; ``None``
    when it has none or the value is not a JSON object."""
    text = annotations.get(SPEC_SCHEMA_ANNOTATION)
    if not text:
        return None
    try:
        schema = json.loads(text)
    except ValueError:
        return None
    return schema if isinstance(schema, dict) else None
