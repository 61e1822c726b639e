"""Executors, users and locations end to end (protocol 3.2, 3.3, 3.10, 6)."""

from __future__ import annotations

import pytest

from colonies.client import ColoniesClient
from colonies.crypto import PrivateKey
from colonies.errors import ForbiddenError, InvalidRequestError, NotFoundError
from colonies.models import Capabilities, ExecutorState, Hardware, Software
from colonies.testing import ThrowawayColony


def test_fixture_executor_is_approved_and_findable(
    colony: ThrowawayColony, user: ColoniesClient
) -> None:
    listed = {e.executor_name: e for e in user.get_executors(colony.name)}
    executor = listed[colony.executor_name]
    assert executor.state is ExecutorState.APPROVED
    assert executor.executor_type == colony.executor_type
    assert executor.executor_id == colony.executor_key.id
    assert user.get_executor(colony.name, colony.executor_name) == executor
    assert user.get_executor_by_id(colony.name, colony.executor_key.id) == executor


def test_executor_registration_life_cycle(
    colony: ThrowawayColony, owner: ColoniesClient, user: ColoniesClient
) -> None:
    key = PrivateKey.generate()
    capabilities = Capabilities(
        hardware=[Hardware(model="pi", cores=4, mem="8Gi")],
        software=[Software(name="python", type="runtime", version="3.11")],
    )
    added = owner.add_executor(
        key.id, "worker", "lab-worker", colony.name, location="lab", capabilities=capabilities
    )
    assert added.state is ExecutorState.PENDING
    assert added.location_name == "lab"
    assert added.capabilities.hardware[0].cores == 4
    assert added.capabilities.software[0].name == "python"
    with pytest.raises(ForbiddenError):
        owner.add_executor(PrivateKey.generate().id, "w2", "t", colony.name, key=colony.user_key)
    owner.approve_executor(colony.name, "worker")
    assert user.get_executor(colony.name, "worker").state is ExecutorState.APPROVED
    owner.reject_executor(colony.name, "worker")
    assert user.get_executor(colony.name, "worker").state is ExecutorState.REJECTED
    owner.remove_executor(colony.name, "worker")
    states = {e.executor_name: e.state for e in user.get_executors(colony.name)}
    assert states["worker"] is ExecutorState.UNREGISTERED


def test_unknown_executors_are_not_found(colony: ThrowawayColony, user: ColoniesClient) -> None:
    with pytest.raises(NotFoundError):
        user.get_executor(colony.name, "nobody")
    with pytest.raises(NotFoundError):
        user.get_executor_by_id(colony.name, PrivateKey.generate().id)


def test_users(colony: ThrowawayColony, owner: ColoniesClient, user: ColoniesClient) -> None:
    me = user.get_user(colony.name, colony.user_name)
    assert me.user_id == colony.user_key.id
    assert user.get_user_by_id(colony.name, colony.user_key.id) == me
    other = PrivateKey.generate()
    added = owner.add_user(colony.name, other.id, "bob", email="bob@example.com", phone="12")
    assert (added.name, added.email, added.phone) == ("bob", "bob@example.com", "12")
    assert {u.name for u in user.get_users(colony.name)} == {colony.user_name, "bob"}
    with pytest.raises(InvalidRequestError, match="already exists"):
        owner.add_user(colony.name, PrivateKey.generate().id, "bob")
    owner.remove_user(colony.name, "bob")
    assert [u.name for u in user.get_users(colony.name)] == [colony.user_name]
    with pytest.raises(InvalidRequestError, match="not found"):
        owner.remove_user(colony.name, "bob")
    with pytest.raises(NotFoundError):
        user.get_user(colony.name, "bob")


def test_locations(colony: ThrowawayColony, owner: ColoniesClient, user: ColoniesClient) -> None:
    kitchen = owner.add_location(
        colony.name, "Kitchen", description="ground floor", long=1.5, lat=2
    )
    assert kitchen.location_id == ""
    assert (kitchen.name, kitchen.description, kitchen.long, kitchen.lat) == (
        "Kitchen",
        "ground floor",
        1.5,
        2.0,
    )
    assert user.get_location(colony.name, "Kitchen") == kitchen
    assert [loc.name for loc in user.get_locations(colony.name)] == ["Kitchen"]
    with pytest.raises(ForbiddenError):
        user.add_location(colony.name, "Hall")
    owner.remove_location(colony.name, "Kitchen")
    assert user.get_locations(colony.name) == []
    with pytest.raises(NotFoundError):
        user.get_location(colony.name, "Kitchen")
