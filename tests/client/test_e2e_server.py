"""Server and colony calls end to end, including the refusals a real server makes."""

from __future__ import annotations

import pytest

from colonies.client import ColoniesClient
from colonies.crypto import PrivateKey
from colonies.errors import ForbiddenError, InvalidRequestError
from colonies.models import Cluster, Colony, ProcessState
from colonies.testing import ServerTarget, ThrowawayColony, unique_name
from tests.client.conftest import echo_spec


def test_version_server_info_and_health_need_no_key(colonies_server: ServerTarget) -> None:
    with ColoniesClient.from_config(colonies_server.config) as anonymous:
        assert anonymous.key_id is None
        assert isinstance(anonymous.version().build_version, str)
        info = anonymous.server_info()
        assert info.backends
        assert info.build_time is not None
        assert anonymous.health()


def test_colonies_are_listed_for_the_server_owner_only(
    colonies_server: ServerTarget, colony: ThrowawayColony, user: ColoniesClient
) -> None:
    with colonies_server.client() as server:
        names = [c.name for c in server.get_colonies()]
        assert colony.name in names
        statistics = server.get_statistics()
        assert statistics.colonies >= 1
        assert isinstance(server.get_cluster(), Cluster)
    with pytest.raises(ForbiddenError) as refused:
        user.get_colonies()
    assert refused.value.message == "Access denied, not server owner"
    assert refused.value.status == 403


def test_get_colony_is_for_members_not_the_bare_owner(
    colony: ThrowawayColony, user: ColoniesClient, owner: ColoniesClient
) -> None:
    assert user.get_colony(colony.name) == Colony(colony_id=colony.owner_key.id, name=colony.name)
    with pytest.raises(ForbiddenError):
        owner.get_colony(colony.name)


def test_colony_statistics_count_processes_and_refuse_strangers(
    colony: ThrowawayColony, user: ColoniesClient
) -> None:
    user.submit(echo_spec(colony))
    statistics = user.get_colony_statistics(colony.name)
    assert statistics.waiting_processes == 1
    with pytest.raises(ForbiddenError):
        user.get_colony_statistics(colony.name, key=PrivateKey.generate())


def test_add_and_remove_colony(colonies_server: ServerTarget) -> None:
    name = unique_name("extra")
    colony_key = PrivateKey.generate()
    with colonies_server.client() as server:
        added = server.add_colony(colony_key.id, name)
        assert added == Colony(colony_id=colony_key.id, name=name)
        try:
            with pytest.raises(InvalidRequestError) as duplicate:
                server.add_colony(PrivateKey.generate().id, name)
            assert name in duplicate.value.message
            assert duplicate.value.message.endswith("already exists")
        finally:
            server.remove_colony(name)
        with pytest.raises(InvalidRequestError) as missing:
            server.remove_colony(name)
        assert name in missing.value.message
        assert missing.value.message.endswith("not found")


def test_refusals_never_reveal_keys(colony: ThrowawayColony, user: ColoniesClient) -> None:
    stranger = PrivateKey.generate()
    failures: list[Exception] = []
    for call in (
        lambda: user.get_colonies(),
        lambda: user.get_colony(colony.name, key=stranger),
        lambda: user.remove_all_processes(colony.name, ProcessState.ALL),
        lambda: user.add_user(colony.name, stranger.id, "x", key=stranger.hex()),
    ):
        with pytest.raises(ForbiddenError) as refused:
            call()
        failures.append(refused.value)
    secrets = [colony.user_key.hex(), colony.owner_key.hex(), stranger.hex()]
    for failure in failures:
        text = f"{failure!s} {failure!r} {failure.args!r}"
        assert not any(secret in text for secret in secrets)
    assert not any(secret in repr(user) for secret in secrets)
