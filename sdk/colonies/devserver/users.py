"""User RPCs (protocol 3.3). Unknown colonies are reported before permissions, as the real
server resolves the colony name first; a duplicate user ID is not detected (its bug, 8.4)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from colonies.devserver import auth, registry
from colonies.devserver.call import Call
from colonies.devserver.errors import ApiError, found
from colonies.devserver.state import USERS
from colonies.devserver.store import Row, key_of

__all__ = ["member_colony", "new_id_for", "owner_colony", "require_colony", "user_row"]


def user_row(colony: str, user_id: str, name: str, email: str = "", phone: str = "") -> Row:
    return {"colonyname": colony, "userid": user_id, "name": name, "email": email, "phone": phone}


def require_colony(call: Call, colony: str) -> None:
    """400 for an unknown colony, checked by several handlers before any permission."""
    if call.state.colony(colony) is None:
        raise ApiError(400, auth.colony_missing_message(colony))


def member_colony(call: Call) -> str:
    """``colonyname`` of the message: known (else 400), signer a member (pending ok)."""
    colony = call.str("colonyname")
    require_colony(call, colony)
    auth.require_member(call, colony, pending_ok=True)
    return colony


def owner_colony(call: Call) -> str:
    """``colonyname`` of the message: known (else 400), signer its owner."""
    colony = call.str("colonyname")
    require_colony(call, colony)
    auth.require_colony_owner(call, colony)
    return colony


def new_id_for(call: Call, kind: str, find: Callable[[str], Row | None]) -> tuple[Row, str]:
    """The signer's own ``kind`` ("user", "executor") and the validated new ID of a
    change-ID request, with the real server's checks in its order."""
    colony, new_id = call.str("colonyname"), call.str(f"{kind}id")
    failure = f"Failed to change {kind} Id"
    if new_id == "":
        raise ApiError(400, f"{failure}, {kind} Id is empty")
    auth.require_member(call, colony, pending_ok=True)
    row = found(find(colony), 400, f"{failure}, {kind} not found")
    if len(new_id) != 64:
        raise ApiError(400, f"{failure}, new {kind} Id is not 64 characters")
    return row, new_id


@registry.rpc("addusermsg", "Failed to add user")
def add_user(call: Call) -> Row:
    user = call.fields("user")
    colony, user_id, name = user.str("colonyname"), user.str("userid"), user.str("name")
    email, phone = user.str("email"), user.str("phone")
    if not call.has("user"):
        raise ApiError(400, "Failed to add user, executor is nil")
    require_colony(call, colony)
    auth.require_colony_owner(call, colony)
    if call.state.user(colony, name) is not None:
        raise ApiError(
            400, f"A user with name <{name}> already exists in Colony with name <{colony}>"
        )
    row = user_row(colony, user_id, name, email, phone)
    call.state.table(USERS).put(key_of(colony, name), row)
    return row


@registry.rpc("getusersmsg", "Failed to get users")
def get_users(call: Call) -> list[Row] | registry.JsonNull:
    return registry.null_if_empty(call.state.users_of(member_colony(call)))


@registry.rpc("getusermsg", "Failed to get user")
def get_user(call: Call) -> Row:
    name = call.str("name")
    return found(call.state.user(member_colony(call), name), 500, "Failed to get user, user is nil")


@registry.rpc("getuserbyidmsg", "Failed to get user")
def get_user_by_id(call: Call) -> Row:
    user_id = call.str("userid")
    user = call.state.user_by_id(member_colony(call), user_id)
    return found(user, 404, "Failed to get user, user is nil")


@registry.rpc("removeusermsg", "Failed to remove user")
def remove_user(call: Call) -> None:
    name = call.str("name")
    colony = owner_colony(call)
    found(call.state.user(colony, name), 400, f"User with name <{name}> not found")
    call.state.table(USERS).delete(key_of(colony, name))


@registry.rpc("changeuseridmsg", "Failed to change user Id")
def change_user_id(call: Call) -> dict[str, Any]:
    user, new_id = new_id_for(
        call, "user", lambda colony: call.state.user_by_id(colony, call.signer_id)
    )
    user["userid"] = new_id
    call.state.table(USERS).put(key_of(user["colonyname"], user["name"]), user)
    return call.msg
