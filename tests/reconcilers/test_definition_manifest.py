"""The shipped definition.yaml carries the HomeDevice model's real constraints: the server's
schema and, in the colonies.dev/spec-schema annotation, the full JSON Schema (ranges, no
extra fields). Generated from the model here, so the file cannot drift from it."""

from __future__ import annotations

import jsonschema

from colonies.runtime.definitions import build_definition
from colonies.runtime.schema import full_schema, stored_full_schema
from colonies_home.blueprints import example_definition
from colonies_home.model import HomeDeviceSpec
from colonies_home.reconciler import HomeDeviceReconciler


def test_the_annotation_is_the_models_full_schema() -> None:
    shipped = example_definition("home")
    generated = build_definition(HomeDeviceReconciler, "home", "home-reconciler")
    annotated = stored_full_schema(shipped.metadata.annotations)
    assert annotated == full_schema(HomeDeviceSpec)
    assert annotated == stored_full_schema(generated.metadata.annotations)
    assert shipped.spec.schema_ == generated.spec.schema_
    assert shipped.spec.handler == generated.spec.handler


def test_the_annotation_refuses_what_the_server_schema_lets_through() -> None:
    schema = stored_full_schema(example_definition("home").metadata.annotations)
    assert schema is not None
    validator = jsonschema.Draft202012Validator(schema)
    base = {"backend": "simulated", "device": "lamp", "type": "light"}
    assert validator.is_valid({**base, "brightness": 100})
    assert not validator.is_valid({**base, "brightness": 250})  # range
    assert not validator.is_valid({**base, "brightnes": 50})  # no extra fields
    assert not validator.is_valid({**base, "brightness": 1.5})  # integer
