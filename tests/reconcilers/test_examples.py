"""The shipped example blueprints and definition stay valid and in step with the spec model."""

from __future__ import annotations

import pytest

from colonies.runtime.definitions import build_definition, mismatches
from colonies_home.blueprints import example_blueprints, example_definition
from colonies_home.model import BackendKind, DeviceType, HomeDeviceSpec
from colonies_home.reconciler import HomeDeviceReconciler


def test_the_definition_matches_what_the_runtime_registers() -> None:
    shipped = example_definition("home")
    generated = build_definition(HomeDeviceReconciler, "home", "home-reconciler")
    assert mismatches(shipped, generated) == []
    assert shipped.spec.schema_ == generated.spec.schema_
    assert shipped.spec.names.kind == "HomeDevice"


@pytest.mark.parametrize("backend", list(BackendKind))
def test_each_backend_has_a_valid_example_of_every_type(backend: BackendKind) -> None:
    blueprints = example_blueprints(backend, "home")
    specs = [HomeDeviceSpec.model_validate(blueprint.spec) for blueprint in blueprints]
    assert {spec.type for spec in specs} == set(DeviceType)
    assert {spec.backend for spec in specs} == {backend}
    assert all(blueprint.kind == "HomeDevice" for blueprint in blueprints)
    assert all(blueprint.metadata.colony_name == "home" for blueprint in blueprints)
