"""Locations (protocol 3.10): owner-managed, case-sensitive names, no generated ID."""

from __future__ import annotations

from typing import Any

from tests.conformance.target import Colony, Target


def _location(colony: Colony, name: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "colonyname": colony.name,
        "description": "d",
        "long": 1.5,
        "lat": -2,
        **extra,
    }


def test_add_get_list_and_remove(target: Target, colony: Colony) -> None:
    assert target.ok(colony.user_key, "getlocationsmsg", colonyname=colony.name) is None
    added = target.ok(colony.owner_key, "addlocationmsg", location=_location(colony, "Kitchen"))
    assert added == {
        "locationid": "",
        "name": "Kitchen",
        "colonyname": colony.name,
        "description": "d",
        "long": 1.5,
        "lat": -2,
    }
    target.ok(colony.owner_key, "addlocationmsg", location=_location(colony, "kitchen"))
    listed = target.ok(colony.user_key, "getlocationsmsg", colonyname=colony.name)
    assert sorted(loc["name"] for loc in listed) == ["Kitchen", "kitchen"]
    got = target.ok(colony.executor_key, "getlocationmsg", colonyname=colony.name, name="Kitchen")
    assert got == added
    assert (
        target.ok(colony.owner_key, "removelocationmsg", colonyname=colony.name, name="Kitchen")
        == {}
    )
    assert target.fails(
        colony.user_key, "getlocationmsg", colonyname=colony.name, name="Kitchen"
    ) == (
        404,
        "Failed to get location, location is nil",
    )


def test_a_client_location_id_is_kept(target: Target, colony: Colony) -> None:
    added = target.ok(
        colony.owner_key, "addlocationmsg", location=_location(colony, "Hall", locationid="L1")
    )
    assert added["locationid"] == "L1"


def test_only_the_owner_adds_and_removes(target: Target, colony: Colony) -> None:
    for key in (colony.user_key, colony.executor_key):
        assert target.fails(key, "addlocationmsg", location=_location(colony, "Attic")) == (
            403,
            "Access denied, not colony owner",
        )
        assert target.fails(key, "removelocationmsg", colonyname=colony.name, name="Attic") == (
            403,
            "Access denied, not colony owner",
        )
    assert target.fails(colony.owner_key, "getlocationsmsg", colonyname=colony.name) == (
        403,
        f"Access denied, not a member of Colony with name <{colony.name}>",
    )
