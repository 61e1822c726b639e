"""End to end: a spec model changes between two starts of a runtime against the same server.
A compatible change (a new optional field, a wider range, a new enum value) upgrades the
definition without blocking; an incompatible one names the stored blueprints it rejects.
Runs unchanged against a real v1.9.12 server, which has no definition update call."""

from __future__ import annotations

from typing import Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field

from colonies.runtime import ConfigurationError
from colonies.runtime.definition_upgrade import effective_definition
from colonies.runtime.schema import stored_full_schema
from colonies.testing import ThrowawayColony, unique_kind
from colonies.testing.runner import ReconcilerRunner
from tests.runtime.lamps import Lamps


class SpecV1(BaseModel):
    model_config = ConfigDict(extra="forbid")
    power: bool
    level: int = Field(default=50, ge=0, le=100)
    mode: Literal["steady", "blink"] = "steady"


class SpecV2(BaseModel):
    """Compatible: a new optional field, a wider range, a new enum value."""

    model_config = ConfigDict(extra="forbid")
    power: bool
    level: int = Field(default=50, ge=0, le=1000)
    mode: Literal["steady", "blink", "pulse"] = "steady"
    label: str | None = None


class SpecV3(BaseModel):
    """Incompatible: the range shrinks below what a stored blueprint holds."""

    model_config = ConfigDict(extra="forbid")
    power: bool
    level: int = Field(default=5, ge=0, le=10)
    mode: Literal["steady", "blink"] = "steady"


def lamps(spec: type[BaseModel], kind: str) -> Lamps:
    """Lamps of ``kind`` whose spec model is ``spec`` (one version of the reconciler)."""
    versioned: type[Lamps] = type(f"Lamps{spec.__name__}", (Lamps,), {"kind": kind})
    versioned.spec_model = spec  # after creation: the generic base would set LampSpec
    return versioned()


@pytest.fixture
def kind() -> str:
    return unique_kind("RtUpgradeLamp")


async def test_a_compatible_change_upgrades_the_definition_at_start_up(
    colony: ThrowawayColony, kind: str
) -> None:
    async with ReconcilerRunner(lamps(SpecV1, kind), colony) as runner:
        await runner.set_spec("desk", {"power": True, "level": 80})
        await runner.wait_converged("desk")
    async with ReconcilerRunner(lamps(SpecV2, kind), colony) as runner:
        definitions = await runner.client.get_blueprint_definitions(colony.name)
        current = effective_definition(definitions, kind)
        assert current is not None
        schema = stored_full_schema(current.metadata.annotations)
        assert schema is not None
        assert "label" in schema["properties"]
        # the server validates by the new definition: the new enum value is accepted
        await runner.set_spec("desk", {"power": True, "level": 900, "mode": "pulse"})
        await runner.wait_converged("desk")
    async with ReconcilerRunner(lamps(SpecV2, kind), colony) as runner:  # a plain restart
        again = await runner.client.get_blueprint_definitions(colony.name)
        assert [d.metadata.name for d in again] == [d.metadata.name for d in definitions]


async def test_an_incompatible_change_names_the_blueprints_it_rejects(
    colony: ThrowawayColony, kind: str
) -> None:
    async with ReconcilerRunner(lamps(SpecV1, kind), colony) as runner:
        await runner.set_spec("bright", {"power": True, "level": 80})
        await runner.set_spec("dim", {"power": True, "level": 5})
        await runner.wait_converged("bright")
    with pytest.raises(ConfigurationError) as refused:
        async with ReconcilerRunner(lamps(SpecV3, kind), colony):
            pass
    message = str(refused.value)
    assert "bright (field 'level':" in message
    assert "dim" not in message
    assert "maximum 100 -> 10" in message
    assert "colonies-sdk set" in message


async def test_an_incompatible_change_that_no_stored_blueprint_breaks_starts(
    colony: ThrowawayColony, kind: str
) -> None:
    async with ReconcilerRunner(lamps(SpecV1, kind), colony) as runner:
        await runner.set_spec("dim", {"power": True, "level": 5})
        await runner.wait_converged("dim")
    async with ReconcilerRunner(lamps(SpecV3, kind), colony) as runner:
        await runner.wait_converged("dim")


async def test_without_blueprints_the_definition_is_replaced_under_its_name(
    colony: ThrowawayColony, kind: str
) -> None:
    async with ReconcilerRunner(lamps(SpecV1, kind), colony):
        pass
    async with ReconcilerRunner(lamps(SpecV2, kind), colony) as runner:
        definitions = await runner.client.get_blueprint_definitions(colony.name)
    (only,) = [d for d in definitions if d.spec.names.kind == kind]
    assert only.metadata.name == kind.lower()
    schema = stored_full_schema(only.metadata.annotations)
    assert schema is not None
    assert "label" in schema["properties"]
