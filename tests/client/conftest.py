"""Clients for the three roles of the ``colony`` fixture, and small spec builders.

Every test here takes its server from the ``colonies_server``/``colony`` fixtures, so the
suite runs unchanged against the dev server and a real v1.9.12 server.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from colonies.client import AsyncColoniesClient, ColoniesClient
from colonies.models import Conditions, FunctionSpec
from colonies.testing import ThrowawayColony


@pytest.fixture
def user(colony: ThrowawayColony) -> Iterator[ColoniesClient]:
    """A client signing as the colony's user."""
    with colony.client() as client:
        yield client


@pytest.fixture
def owner(user: ColoniesClient, colony: ThrowawayColony) -> ColoniesClient:
    """The colony owner's key on the user's connections."""
    return user.with_key(colony.owner_key)


@pytest.fixture
def executor(user: ColoniesClient, colony: ThrowawayColony) -> ColoniesClient:
    """The approved executor's key on the user's connections."""
    return user.with_key(colony.executor_key)


@pytest.fixture
async def async_user(colony: ThrowawayColony) -> AsyncIterator[AsyncColoniesClient]:
    """An asyncio client signing as the colony's user."""
    async with colony.async_client() as client:
        yield client


def echo_spec(colony: ThrowawayColony, **fields: Any) -> FunctionSpec:
    """A function spec the colony's executor can take."""
    conditions = Conditions(colony_name=colony.name, executor_type=colony.executor_type)
    return FunctionSpec(func_name=fields.pop("func_name", "echo"), conditions=conditions, **fields)
