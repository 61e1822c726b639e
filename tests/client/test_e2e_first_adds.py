"""Many first blueprints of a new kind added at once: the server races them to create the
kind's reconcile cron (protocol 12) and refuses the losers; the client adds those again.

The dev server never overlaps requests, so it mirrors the race with its
``first_add_race_window``; against a real server the concurrent adds race for real.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Iterator

import pytest

from colonies.client import ColoniesClient
from colonies.devserver import DevServerSettings
from colonies.errors import ServerError
from colonies.models import Blueprint, BlueprintDefinition
from colonies.testing import ThrowawayColony, throwaway_colony, unique_kind
from colonies.testing.targets import server_target

RACING = DevServerSettings(first_add_race_window=0.05)


@pytest.fixture(scope="module")
def racing_colony() -> Iterator[ThrowawayColony]:
    with server_target(settings=RACING) as target, throwaway_colony(target) as colony:
        yield colony


def _define(colony: ThrowawayColony, kind: str) -> None:
    definition = BlueprintDefinition.model_validate(
        {
            "kind": kind,
            "metadata": {"name": f"{kind.lower()}-def", "colonyname": colony.name},
            "spec": {
                "names": {"kind": kind, "singular": kind.lower(), "plural": f"{kind.lower()}s"},
                "handler": {"executorType": colony.executor_type, "functionName": "reconcile"},
            },
        }
    )
    with colony.client(colony.owner_key) as owner:
        owner.add_blueprint_definition(definition)


def _blueprint(colony: ThrowawayColony, kind: str, name: str, location: str = "hall") -> Blueprint:
    """Blueprint ``name`` of ``kind`` (names are unique per colony, so the kind is in it)."""
    metadata = {
        "name": f"{kind.lower()}-{name}",
        "colonyname": colony.name,
        "locationname": location,
    }
    return Blueprint.model_validate({"kind": kind, "metadata": metadata, "spec": {"on": True}})


@pytest.mark.parametrize("location", ["", "hall"])
async def test_concurrent_first_adds_of_a_kind_all_succeed(
    racing_colony: ThrowawayColony, location: str
) -> None:
    colony, kind = racing_colony, unique_kind("RaceLamp")
    _define(colony, kind)
    names = [f"lamp-{index:02d}" for index in range(12)]
    async with colony.async_client() as client:
        added = await asyncio.gather(
            *(client.add_blueprint(_blueprint(colony, kind, name, location)) for name in names)
        )
        assert len(added) == len(names)
        stored = await client.get_blueprints(colony.name, kind=kind)
    assert len(stored) == len(names)
    with colony.client() as user:
        crons = [cron.name for cron in user.get_crons(colony.name)]
    assert crons.count(f"reconcile-{kind}-{location}".rstrip("-")) == 1


def test_the_dev_server_refuses_a_racing_add_and_keeps_nothing_of_it(
    racing_colony: ThrowawayColony,
) -> None:
    colony, kind = racing_colony, unique_kind("RaceLamp")
    if not colony.target.is_dev:
        pytest.skip("a real server races only overlapping requests, which this test avoids")
    _define(colony, kind)
    config = dataclasses.replace(colony.target.config, retries=0)
    with ColoniesClient.from_config(config, key=colony.user_key) as client:
        client.add_blueprint(_blueprint(colony, kind, "first"))
        with pytest.raises(ServerError) as refused:
            client.add_blueprint(_blueprint(colony, kind, "second"))
        assert refused.value.status == 500
        assert refused.value.message == (
            f"failed to create reconciliation cron: Cron with name <reconcile-{kind}-hall> "
            f"in Colony <{colony.name}> already exists"
        )
        stored = client.get_blueprints(colony.name, kind=kind)
    assert [blueprint.metadata.name for blueprint in stored] == [f"{kind.lower()}-first"]


def test_an_add_that_lost_the_race_is_sent_again(racing_colony: ThrowawayColony) -> None:
    colony, kind = racing_colony, unique_kind("RaceLamp")
    _define(colony, kind)
    with colony.client() as client:
        client.add_blueprint(_blueprint(colony, kind, "first"))
        client.add_blueprint(_blueprint(colony, kind, "second"))
        stored = client.get_blueprints(colony.name, kind=kind)
    assert len(stored) == 2
