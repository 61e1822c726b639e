"""Location RPCs (protocol 3.10). ``locationid`` is whatever the client sent (the server does
not generate one); names are case-sensitive objects."""

from __future__ import annotations

from colonies.devserver import auth, registry
from colonies.devserver.call import Call
from colonies.devserver.errors import ApiError, found
from colonies.devserver.state import LOCATIONS
from colonies.devserver.store import Row, key_of
from colonies.devserver.users import member_colony, owner_colony, require_colony

__all__ = ["location_row"]


def location_row(
    colony: str,
    name: str,
    *,
    location_id: str = "",
    description: str = "",
    long: float = 0,
    lat: float = 0,
) -> Row:
    return {
        "locationid": location_id,
        "name": name,
        "colonyname": colony,
        "description": description,
        "long": long,
        "lat": lat,
    }


@registry.rpc("addlocationmsg", "Failed to add location")
def add_location(call: Call) -> Row:
    location = call.fields("location")
    colony, name = location.str("colonyname"), location.str("name")
    row = location_row(
        colony,
        name,
        location_id=location.str("locationid"),
        description=location.str("description"),
        long=location.float("long"),
        lat=location.float("lat"),
    )
    if not call.has("location"):
        raise ApiError(400, "Failed to add location, location is nil")
    require_colony(call, colony)
    auth.require_colony_owner(call, colony)
    if call.state.location(colony, name) is not None:
        raise ApiError(
            400, f"A location with name <{name}> already exists in Colony with name <{colony}>"
        )
    call.state.table(LOCATIONS).put(key_of(colony, name), row)
    return row


@registry.rpc("getlocationsmsg", "Failed to get locations")
def get_locations(call: Call) -> list[Row] | registry.JsonNull:
    colony = member_colony(call)
    rows = [r for r in call.state.table(LOCATIONS).values() if r.get("colonyname") == colony]
    return registry.null_if_empty(rows)


@registry.rpc("getlocationmsg", "Failed to get location")
def get_location(call: Call) -> Row:
    name = call.str("name")
    location = call.state.location(member_colony(call), name)
    return found(location, 404, "Failed to get location, location is nil")


@registry.rpc("removelocationmsg", "Failed to remove location")
def remove_location(call: Call) -> None:
    name = call.str("name")
    colony = owner_colony(call)
    found(call.state.location(colony, name), 400, f"Location with name <{name}> not found")
    call.state.table(LOCATIONS).delete(key_of(colony, name))
