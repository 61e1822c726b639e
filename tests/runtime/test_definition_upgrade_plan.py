"""Planning an upgrade from what was read: which name the new definition gets, what is
removed, and when a plan is not needed at all."""

from __future__ import annotations

from pydantic import BaseModel

from colonies.models import Blueprint, BlueprintDefinition
from colonies.runtime.definition_upgrade import effective_definition, model_validator, plan_upgrade
from colonies.runtime.definitions import build_definition
from tests.runtime.lamps import Lamps
from tests.runtime.test_e2e_definition_upgrade import SpecV1, SpecV2, lamps

KIND = "PlanLamp"


def definition(spec: type[BaseModel], name: str | None = None) -> BlueprintDefinition:
    built = build_definition(type(lamps(spec, KIND)), "c", "lamp-executor")
    if name is None:
        return built
    return built.model_copy(update={"metadata": built.metadata.model_copy(update={"name": name})})


STORED = [
    Blueprint.model_validate({"kind": KIND, "metadata": {"name": "desk"}, "spec": {"power": True}})
]
VALIDATE = model_validator(SpecV2)


def test_nothing_to_do_when_the_definition_in_effect_matches() -> None:
    assert plan_upgrade([definition(SpecV1)], STORED, definition(SpecV1), VALIDATE).up_to_date


def test_with_blueprints_each_upgrade_takes_a_name_that_sorts_first() -> None:
    first = plan_upgrade([definition(SpecV1)], STORED, definition(SpecV2), VALIDATE)
    assert first.compatible
    assert first.removals == []
    assert first.addition is not None
    assert first.addition.metadata.name == "9999.planlamp"
    upgraded = [definition(SpecV1), first.addition]
    assert effective_definition(upgraded, KIND) == first.addition
    second = plan_upgrade(upgraded, STORED, definition(SpecV1), model_validator(SpecV1))
    assert second.addition is not None
    assert second.addition.metadata.name == "9998.planlamp"


def test_without_blueprints_the_old_definitions_go_and_the_plain_name_returns() -> None:
    upgraded = [definition(SpecV1), definition(SpecV1, "9999.planlamp")]
    plan = plan_upgrade(upgraded, [], definition(SpecV2), VALIDATE)
    assert sorted(plan.removals) == ["9999.planlamp", "planlamp"]
    assert plan.addition is not None
    assert plan.addition.metadata.name == "planlamp"


def test_other_kinds_are_ignored_and_a_missing_kind_is_added() -> None:
    class Other(Lamps):
        kind = "OtherLamp"

    other = build_definition(Other, "c", "x")
    plan = plan_upgrade([other], [], definition(SpecV1), VALIDATE)
    assert plan.current is None
    assert plan.addition == definition(SpecV1)
