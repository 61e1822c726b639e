"""Transport resilience: reads retried with backoff, writes never blindly re-sent.

A small front sits between the client and the real target: it answers the first requests
with 502 and then forwards to the server, counting what it saw.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from colonies.client import AsyncColoniesClient, ColoniesClient
from colonies.errors import ColoniesConnectionError, ServerError
from colonies.testing import ServerTarget, ThrowawayColony, free_port
from tests.client.conftest import echo_spec
from tests.client.fronts import Front, running_front


@pytest.fixture
def front(colonies_server: ServerTarget, request: pytest.FixtureRequest) -> Iterator[Front]:
    with running_front(colonies_server, failures=request.param) as server:
        yield server


@pytest.mark.parametrize("front", [2], indirect=True)
def test_reads_are_retried_through_server_errors(front: Front, colony: ThrowawayColony) -> None:
    with ColoniesClient("127.0.0.1", front.port, key=colony.user_key, retries=2) as client:
        assert client.get_colony(colony.name).name == colony.name
    assert front.seen == 3


@pytest.mark.parametrize("front", [5], indirect=True)
def test_reads_give_up_after_the_retry_budget(front: Front, colony: ThrowawayColony) -> None:
    client = ColoniesClient("127.0.0.1", front.port, key=colony.user_key, retries=1)
    with client, pytest.raises(ServerError) as failed:
        client.get_colony(colony.name)
    assert failed.value.status == 502
    assert front.seen == 2


@pytest.mark.parametrize("front", [1], indirect=True)
async def test_writes_are_not_resent_after_a_server_error(
    front: Front, colony: ThrowawayColony, colonies_server: ServerTarget
) -> None:
    async with AsyncColoniesClient("127.0.0.1", front.port, key=colony.user_key) as client:
        with pytest.raises(ServerError):
            await client.submit(echo_spec(colony))
    assert front.seen == 1
    with colony.client() as direct:
        assert direct.get_processes(colony.name) == []


def test_unreachable_server_raises_connection_error(colony: ThrowawayColony) -> None:
    with ColoniesClient("127.0.0.1", free_port(), key=colony.user_key, retries=1) as client:
        with pytest.raises(ColoniesConnectionError, match="cannot reach"):
            client.submit(echo_spec(colony))
        with pytest.raises(ColoniesConnectionError):
            list(client.subscribe_channel("p", "chat", timeout=1))
        assert client.health() is False
