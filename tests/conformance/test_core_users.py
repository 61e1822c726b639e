"""Users (protocol 3.3): add, list, get, remove, with the server's messages and quirks."""

from __future__ import annotations

from colonies.crypto import PrivateKey
from tests.conformance.target import Colony, Target


def _user(colony: Colony, key: PrivateKey, name: str) -> dict[str, str]:
    return {
        "colonyname": colony.name,
        "userid": key.id,
        "name": name,
        "email": "a@b.c",
        "phone": "1",
    }


def test_add_and_get_users(target: Target, colony: Colony) -> None:
    key = PrivateKey.generate()
    user = _user(colony, key, "alice")
    assert target.ok(colony.owner_key, "addusermsg", user=user) == user
    assert target.ok(colony.user_key, "getusermsg", colonyname=colony.name, name="alice") == user
    users = target.ok(colony.user_key, "getusersmsg", colonyname=colony.name)
    assert {u["name"] for u in users} == {colony.user_name, "alice"}


def test_get_user_by_id(target: Target, colony: Colony) -> None:
    key = PrivateKey.generate()
    user = target.ok(colony.owner_key, "addusermsg", user=_user(colony, key, "dora"))
    for reader in (colony.user_key, colony.executor_key):
        assert target.ok(reader, "getuserbyidmsg", colonyname=colony.name, userid=key.id) == user
    # An unknown ID: the 404 is [src] only, so only the status is compared.
    status, _ = target.fails(colony.user_key, "getuserbyidmsg", colonyname=colony.name,
                             userid="0" * 64)  # fmt: skip
    assert status == 404


def test_add_user_rejections(target: Target, colony: Colony) -> None:
    key = PrivateKey.generate()
    duplicate = _user(colony, key, colony.user_name)
    assert target.fails(colony.owner_key, "addusermsg", user=duplicate) == (
        400,
        f"A user with name <{colony.user_name}> already exists in Colony with name <{colony.name}>",
    )
    for signer in (colony.user_key, colony.executor_key, key):
        assert target.fails(signer, "addusermsg", user=_user(colony, key, "bob")) == (
            403,
            "Access denied, not colony owner",
        )
    unknown = dict(_user(colony, key, "bob"), colonyname="conf-no-such-colony")
    assert target.fails(colony.owner_key, "addusermsg", user=unknown) == (
        400,
        "Colony with name <conf-no-such-colony> does not exists",
    )


def test_a_duplicate_user_id_is_not_detected(target: Target, colony: Colony) -> None:
    again = _user(colony, colony.user_key, "same-key")
    assert target.ok(colony.owner_key, "addusermsg", user=again) == again


def test_pending_executors_may_read_users(target: Target, colony: Colony) -> None:
    pending = PrivateKey.generate()
    target.add_executor(colony, pending, "pending")
    assert target.ok(pending, "getusersmsg", colonyname=colony.name)
    user = target.ok(pending, "getusermsg", colonyname=colony.name, name=colony.user_name)
    assert user["userid"] == colony.user_key.id
    assert target.fails(colony.owner_key, "getusersmsg", colonyname=colony.name) == (
        403,
        f"Access denied, not a member of Colony with name <{colony.name}>",
    )


def test_unknown_users(target: Target, colony: Colony) -> None:
    assert target.fails(colony.user_key, "getusermsg", colonyname=colony.name, name="nobody") == (
        500,
        "Failed to get user, user is nil",
    )
    assert target.fails(
        colony.owner_key, "removeusermsg", colonyname=colony.name, name="nobody"
    ) == (
        400,
        "User with name <nobody> not found",
    )


def test_remove_user(target: Target, colony: Colony) -> None:
    key = PrivateKey.generate()
    target.ok(colony.owner_key, "addusermsg", user=_user(colony, key, "carol"))
    assert target.fails(colony.user_key, "removeusermsg", colonyname=colony.name, name="carol") == (
        403,
        "Access denied, not colony owner",
    )
    assert target.ok(colony.owner_key, "removeusermsg", colonyname=colony.name, name="carol") == {}
    assert target.fails(key, "getcolonymsg", colonyname=colony.name) == (
        403,
        f"Access denied, not a member of Colony with name <{colony.name}>",
    )
