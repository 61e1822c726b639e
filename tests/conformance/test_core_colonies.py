"""Colonies and server-wide calls (protocol 3.1, 8.4, 9)."""

from __future__ import annotations

import uuid

from colonies.crypto import PrivateKey
from tests.conformance.target import ID, Colony, Target, normalise

STATISTICS_KEYS = {
    "colonies",
    "executors",
    "activeexecutors",
    "unregisteredexecutors",
    "waitingprocesses",
    "runningprocesses",
    "successfulprocesses",
    "failedprocesses",
    "waitingworkflows",
    "runningworkflows",
    "successfulworkflows",
    "failedworkflows",
}
NODE_KEYS = {"name", "host", "port", "peerport", "relayport", "apiport"}


def _name() -> str:
    return f"conf-{uuid.uuid4().hex[:12]}"


def test_add_get_and_remove_a_colony(target: Target) -> None:
    owner, name = PrivateKey.generate(), _name()
    added = target.ok(
        target.server_key, "addcolonymsg", colony={"colonyid": owner.id, "name": name}
    )
    assert added == {"colonyid": owner.id, "name": name}
    assert added in target.ok(target.server_key, "getcoloniesmsg")
    assert target.ok(target.server_key, "removecolonymsg", colonyname=name) == {}
    assert target.fails(target.server_key, "removecolonymsg", colonyname=name) == (
        400,
        f"Colony with name <{name}> not found",
    )


def test_add_colony_rejections(target: Target, colony: Colony) -> None:
    key = target.server_key
    assert target.fails(
        key, "addcolonymsg", colony={"colonyid": PrivateKey.generate().id, "name": colony.name}
    ) == (
        400,
        f"A Colony with name <{colony.name}> already exists",
    )
    assert target.fails(key, "addcolonymsg", colony={"colonyid": "abc", "name": _name()}) == (
        400,
        "Failed to add colony, invalid colony Id length",
    )
    stranger = colony.owner_key
    assert target.fails(
        stranger, "addcolonymsg", colony={"colonyid": stranger.id, "name": _name()}
    ) == (
        403,
        "Access denied, not server owner",
    )


def test_only_the_server_owner_lists_and_removes_colonies(target: Target, colony: Colony) -> None:
    for key in (colony.owner_key, colony.user_key, colony.executor_key):
        assert target.fails(key, "getcoloniesmsg") == (403, "Access denied, not server owner")
        assert target.fails(key, "removecolonymsg", colonyname=colony.name) == (
            403,
            "Access denied, not server owner",
        )


def test_get_colony_is_for_members_only(target: Target, colony: Colony) -> None:
    expected = {"colonyid": colony.owner_key.id, "name": colony.name}
    assert target.ok(colony.user_key, "getcolonymsg", colonyname=colony.name) == expected
    assert target.ok(colony.executor_key, "getcolonymsg", colonyname=colony.name) == expected
    not_member = (403, f"Access denied, not a member of Colony with name <{colony.name}>")
    assert target.fails(colony.owner_key, "getcolonymsg", colonyname=colony.name) == not_member
    assert target.fails(PrivateKey.generate(), "getcolonymsg", colonyname=colony.name) == not_member
    unknown = _name()
    assert target.fails(colony.user_key, "getcolonymsg", colonyname=unknown) == (
        403,
        f"Colony with name <{unknown}> does not exists",
    )


def test_colony_statistics_and_the_empty_body_quirk(target: Target, colony: Colony) -> None:
    stats = target.ok(colony.user_key, "getcolonystatsmsg", colonyname=colony.name)
    assert set(stats) >= STATISTICS_KEYS
    assert (stats["colonies"], stats["executors"], stats["activeexecutors"]) == (1, 1, 1)
    response = target.send(
        {"msgtype": "getcolonystatsmsg", "colonyname": colony.name}, colony.owner_key
    )
    assert (response.status_code, response.content) == (200, b"")
    unknown = _name()
    assert target.fails(colony.user_key, "getcolonystatsmsg", colonyname=unknown) == (
        400,
        f"Colony with name <{unknown}> not found",
    )


def test_server_statistics_and_cluster_are_for_the_server_owner(
    target: Target, colony: Colony
) -> None:
    stats = target.ok(target.server_key, "getstatisticsmsg")
    assert set(stats) >= STATISTICS_KEYS
    assert stats["colonies"] >= 1
    cluster = target.ok(target.server_key, "getclustermsg")
    assert set(cluster) == {"nodes", "leader"}
    assert set(cluster["leader"]) >= NODE_KEYS
    assert all(set(node) >= NODE_KEYS for node in cluster["nodes"])
    for msgtype in ("getstatisticsmsg", "getclustermsg"):
        assert target.fails(colony.user_key, msgtype) == (403, "Access denied, not server owner")


def test_colony_shape(target: Target, colony: Colony) -> None:
    assert normalise(target.ok(colony.user_key, "getcolonymsg", colonyname=colony.name)) == {
        "colonyid": ID,
        "name": colony.name,
    }
