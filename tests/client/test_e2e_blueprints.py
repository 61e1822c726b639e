"""Blueprint definitions and blueprints end to end (protocol 3.11, 3.12, 7)."""

from __future__ import annotations

import pytest

from colonies.client import ColoniesClient
from colonies.errors import ConflictError, ForbiddenError, InvalidRequestError, NotFoundError
from colonies.models import (
    Blueprint,
    BlueprintDefinition,
    BlueprintDefinitionSpec,
    BlueprintHandler,
    BlueprintMetadata,
    BlueprintNames,
    ProcessState,
)
from colonies.testing import ThrowawayColony, unique_kind

SCHEMA = {
    "type": "object",
    "properties": {"power": {"type": "boolean"}, "level": {"type": "number"}},
    "required": ["power"],
}


@pytest.fixture
def kind() -> str:
    """A kind of the test's own: a real server finds the definition for reconcile and remove
    by kind in any colony (protocol 7.5)."""
    return unique_kind("TestLamp")


def _define(colony: ThrowawayColony, owner: ColoniesClient, kind: str) -> BlueprintDefinition:
    definition = BlueprintDefinition(
        kind=kind,
        metadata=BlueprintMetadata(name="testlamp-def", colony_name=colony.name),
        spec=BlueprintDefinitionSpec(
            group="test.io",
            version="v1",
            names=BlueprintNames(kind=kind, singular="testlamp", plural="testlamps"),
            scope="Namespaced",
            schema=SCHEMA,
            handler=BlueprintHandler(executor_type=colony.executor_type, function_name="reconcile"),
        ),
    )
    return owner.add_blueprint_definition(definition)


def _lamp(
    colony: ThrowawayColony, kind: str, name: str, location: str = "", **spec: object
) -> Blueprint:
    metadata = BlueprintMetadata(name=name, colony_name=colony.name, location_name=location)
    return Blueprint(kind=kind, metadata=metadata, spec={"power": True, **spec})


def test_definitions(
    colony: ThrowawayColony, owner: ColoniesClient, user: ColoniesClient, kind: str
) -> None:
    added = _define(colony, owner, kind)
    assert added.blueprint_definition_id
    assert added.spec.handler == BlueprintHandler(
        executor_type=colony.executor_type, function_name="reconcile"
    )
    assert added.spec.schema_ == SCHEMA
    fetched = user.get_blueprint_definition(colony.name, "testlamp-def")
    assert fetched.spec.names.kind == kind
    assert [d.metadata.name for d in owner.get_blueprint_definitions(colony.name)] == [
        "testlamp-def"
    ]
    with pytest.raises(ForbiddenError):
        user.add_blueprint_definition(added.model_copy(update={"blueprint_definition_id": ""}))
    owner.remove_blueprint_definition(colony.name, "testlamp-def")
    assert owner.get_blueprint_definitions(colony.name) == []
    with pytest.raises(NotFoundError):
        user.get_blueprint_definition(colony.name, "testlamp-def")


def test_add_get_list_and_the_reconcile_process(
    colony: ThrowawayColony, owner: ColoniesClient, user: ColoniesClient, kind: str
) -> None:
    _define(colony, owner, kind)
    added = user.add_blueprint(_lamp(colony, kind, "hall", location="Hall", level=10))
    assert added.blueprint_id
    assert added.metadata.generation == 0
    assert added.status is None
    fetched = user.get_blueprint(colony.name, "hall")
    assert fetched.spec == {"power": True, "level": 10}
    assert fetched.metadata.location_name == "Hall"
    user.add_blueprint(_lamp(colony, kind, "attic"))
    assert [b.metadata.name for b in user.get_blueprints(colony.name)] == ["attic", "hall"]
    assert [b.metadata.name for b in user.get_blueprints(colony.name, kind, "hall")] == ["hall"]
    assert user.get_blueprints(colony.name, "OtherKind") == []
    documents = user.get_blueprint_documents(colony.name, kind)
    assert [Blueprint.model_validate(d) for d in documents] == user.get_blueprints(
        colony.name, kind
    )
    assert user.get_blueprint_documents(colony.name, "OtherKind") == []
    assert "Hall" in {loc.name for loc in user.get_locations(colony.name)}
    reconciles = user.get_processes(colony.name, executor_type=colony.executor_type)
    assert sorted(p.spec.kwargs["blueprintName"] for p in reconciles) == ["attic", "hall"]
    assert {p.spec.kwargs["kind"] for p in reconciles} == {kind}
    assert {p.spec.max_exec_time for p in reconciles} == {-1}
    with pytest.raises(ConflictError):
        user.add_blueprint(_lamp(colony, kind, "hall"))
    with pytest.raises(InvalidRequestError, match="validation failed"):
        user.add_blueprint(_lamp(colony, kind, "bad", power="yes"))


def test_update_spec_keeps_status_and_bumps_generation(
    colony: ThrowawayColony, owner: ColoniesClient, user: ColoniesClient, kind: str
) -> None:
    _define(colony, owner, kind)
    user.add_blueprint(_lamp(colony, kind, "desk", level=10))
    user.update_blueprint_status(colony.name, "desk", {"power": True, "level": 10})
    with pytest.raises(ForbiddenError):
        owner.update_blueprint_status(colony.name, "desk", {"power": False})
    changed = user.update_blueprint_spec(colony.name, "desk", {"level": 80})
    assert changed.metadata.generation == 1
    stored = user.get_blueprint(colony.name, "desk")
    assert stored.spec == {"power": True, "level": 80}
    assert stored.status == {"power": True, "level": 10}
    doubled = user.update_blueprint_spec(
        colony.name, "desk", lambda spec: {**spec, "level": spec["level"] // 2}
    )
    assert doubled.spec["level"] == 40
    same = user.update_blueprint(user.get_blueprint(colony.name, "desk"))
    assert same.metadata.generation == 2
    forced = user.update_blueprint(user.get_blueprint(colony.name, "desk"), force_generation=True)
    assert forced.metadata.generation == 3
    user.update_blueprint_status(colony.name, "desk", None)
    assert user.get_blueprint(colony.name, "desk").status is None
    history = user.get_blueprint_history(stored.blueprint_id)
    assert [h.generation for h in history] == [3, 2, 1, 0]
    assert [h.change_type for h in history] == ["update", "update", "update", "create"]
    assert history[-1].changed_by == colony.user_key.id
    assert [h.generation for h in user.get_blueprint_history(stored.blueprint_id, limit=1)] == [3]
    with pytest.raises(NotFoundError):
        user.update_blueprint_spec(colony.name, "missing", {"level": 1})


def test_reconcile_and_remove(
    colony: ThrowawayColony, owner: ColoniesClient, user: ColoniesClient, kind: str
) -> None:
    _define(colony, owner, kind)
    added = user.add_blueprint(_lamp(colony, kind, "porch"))
    process = user.reconcile_blueprint(colony.name, "porch")
    assert process.state is ProcessState.WAITING
    assert process.spec.kwargs == {"blueprintName": "porch", "kind": kind}
    forced = user.reconcile_blueprint(colony.name, "porch", force=True)
    assert forced.spec.kwargs == {"blueprintName": "porch", "force": True, "kind": kind}
    assert user.get_blueprint(colony.name, "porch").metadata.generation == 1
    with pytest.raises(ForbiddenError):
        owner.reconcile_blueprint(colony.name, "porch")
    with pytest.raises(ConflictError):
        owner.remove_blueprint_definition(colony.name, "testlamp-def")
    user.remove_blueprint(colony.name, "porch")
    with pytest.raises(NotFoundError):
        user.get_blueprint(colony.name, "porch")
    with pytest.raises(NotFoundError):
        user.get_blueprint_history(added.blueprint_id)
    cleanup = [p for p in user.get_processes(colony.name) if p.spec.func_name == "cleanup"]
    assert [p.spec.kwargs for p in cleanup] == [{"blueprintName": "porch", "kind": kind}]
    owner.remove_blueprint_definition(colony.name, "testlamp-def")
