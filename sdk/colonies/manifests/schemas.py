"""A kind's full spec schema, where it survives on a v1.9.12 server, and validation against it.

The server stores a definition's ``spec.schema`` through a Go struct that keeps only ``type``,
``description``, ``enum``, ``default``, ``properties``, ``items`` and top-level ``required``
(protocol 12): ranges, ``additionalProperties`` and nested ``required`` are lost, and even
``integer`` is not checked (7.8). Annotations are kept verbatim, so the full JSON Schema lives
in the definition's ``colonies.dev/spec-schema`` annotation, as kubectl keeps its
last-applied configuration in one. Blueprints are validated against that, with ``jsonschema``,
before anything is sent.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator, SchemaError, ValidationError
from jsonschema.exceptions import best_match
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for

from colonies.models import BlueprintDefinition, BlueprintHandler
from colonies.runtime.definition_upgrade import SpecCheck
from colonies.runtime.schema import (
    SPEC_SCHEMA_ANNOTATION,
    encode_full_schema,
    server_schema,
    stored_full_schema,
)

__all__ = [
    "SPEC_SCHEMA_ANNOTATION",
    "InvalidSchemaError",
    "SpecProblem",
    "SpecValidator",
    "for_server",
    "full_schema",
    "schema_check",
]


class InvalidSchemaError(ValueError):
    """A definition whose schema (or schema annotation) is not a usable JSON Schema."""


def full_schema(definition: BlueprintDefinition) -> dict[str, Any] | None:
    """The kind's full spec schema: the annotation when present, else ``spec.schema``."""
    annotations = definition.metadata.annotations
    if SPEC_SCHEMA_ANNOTATION not in annotations:
        return definition.spec.schema_
    schema = stored_full_schema(annotations)
    if schema is None:
        raise InvalidSchemaError(f"annotation {SPEC_SCHEMA_ANNOTATION} is not a JSON object")
    return schema


def for_server(definition: BlueprintDefinition) -> BlueprintDefinition:
    """``definition`` as ``apply`` sends it and the server then holds it: the server subset
    in ``spec.schema``, the full schema in the annotation (so it validates as fully as one
    the runtime registered), and a handler, empty when none is given (the server's struct
    always has one)."""
    spec_update: dict[str, Any] = {"handler": definition.spec.handler or BlueprintHandler()}
    annotations = dict(definition.metadata.annotations)
    schema = full_schema(definition)
    if schema is not None:
        SpecValidator(schema)  # refuse a broken schema before it is stored
        annotations[SPEC_SCHEMA_ANNOTATION] = encode_full_schema(schema)
        spec_update["schema_"] = server_schema(schema)
    return definition.model_copy(
        update={
            "metadata": definition.metadata.model_copy(update={"annotations": annotations}),
            "spec": definition.spec.model_copy(update=spec_update),
        }
    )


@dataclass(frozen=True)
class SpecProblem:
    """One reason a spec is invalid: the dotted ``field`` (``""`` for the spec itself)."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"field {self.field!r}: {self.message}" if self.field else self.message


def _field(path: Sequence[Any]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _join(parent: str, name: str) -> str:
    return f"{parent}.{name}" if parent else name


def _is_null_branch(error: ValidationError) -> bool:
    return error.validator == "type" and error.validator_value == "null"


def _leaf(error: ValidationError) -> ValidationError:
    """The most specific reason under ``anyOf``/``oneOf``, skipping ``Optional``'s null branch."""
    while error.context:
        candidates = [child for child in error.context if not _is_null_branch(child)]
        if not candidates:
            break
        error = best_match(candidates)
    return error


def _unknown_fields(error: ValidationError) -> list[str]:
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    known = schema.get("properties", {})
    patterns = schema.get("patternProperties", {})
    instance = error.instance if isinstance(error.instance, Mapping) else {}
    return [
        name
        for name in instance
        if name not in known and not any(re.search(pattern, name) for pattern in patterns)
    ]


def _problems(error: ValidationError) -> list[SpecProblem]:
    error = _leaf(error)
    where = _field(list(error.absolute_path))
    if error.validator == "required" and isinstance(error.instance, Mapping):
        required = error.validator_value if isinstance(error.validator_value, list) else []
        missing = [name for name in required if name not in error.instance]
        return [SpecProblem(_join(where, name), "required field is missing") for name in missing]
    if error.validator == "additionalProperties" and error.validator_value is False:
        known = list(error.schema.get("properties", {})) if isinstance(error.schema, dict) else []
        problems = []
        for name in _unknown_fields(error):
            close = difflib.get_close_matches(name, known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(SpecProblem(_join(where, name), f"unknown field{hint}"))
        return problems
    return [SpecProblem(where, error.message)]


class SpecValidator:
    """Validates specs against one JSON Schema (its ``$schema`` dialect, else 2020-12)."""

    def __init__(self, schema: dict[str, Any]) -> None:
        cls = validator_for(schema, default=Draft202012Validator)
        try:
            cls.check_schema(schema)
        except SchemaError as error:
            raise InvalidSchemaError(f"not a valid JSON Schema: {error.message}") from None
        self._validator: Validator = cls(schema)

    def problems(self, spec: Any) -> list[SpecProblem]:
        """Every reason ``spec`` is invalid, ordered by field; empty when it is valid."""
        found = [
            problem for error in self._validator.iter_errors(spec) for problem in _problems(error)
        ]
        return sorted(found, key=lambda problem: problem.field)


def schema_check(definition: BlueprintDefinition) -> SpecCheck:
    """Why ``definition``'s full schema rejects a stored spec (every problem, joined), or
    ``None``: how an upgrade to a definition manifest judges the blueprints already stored."""
    schema = full_schema(definition)
    validator = SpecValidator(schema) if schema is not None else None

    def check(spec: dict[str, Any]) -> str | None:
        problems = validator.problems(spec) if validator else []
        return "; ".join(str(problem) for problem in problems) or None

    return check
