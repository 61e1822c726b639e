"""Permission checks with the real server's messages and precedence (protocol 1.4, roles).

Each check raises ``ApiError(403, <validator message>)``; the messages and the order of the
lookups mirror the server's validator so that error precedence matches exactly.
"""

from __future__ import annotations

from colonies.devserver.call import Call
from colonies.devserver.errors import ApiError

__all__ = [
    "colony_missing_message",
    "require_colony_owner",
    "require_member",
    "require_member_or_owner",
    "require_server_owner",
    "signer_name",
]

APPROVED = 1


def colony_missing_message(colony: str) -> str:
    return f"Colony with name <{colony}> does not exists"


def not_member_message(colony: str) -> str:
    return f"Access denied, not a member of Colony with name <{colony}>"


def require_server_owner(call: Call) -> None:
    if call.signer_id != call.state.server_id:
        raise ApiError(403, "Access denied, not server owner")


def require_colony_owner(call: Call, colony: str) -> None:
    """The signer's ID must be the colony's ``colonyid``."""
    if colony == "":
        raise ApiError(403, "Empty Colony name")
    row = call.state.colony(colony)
    if row is None:
        raise ApiError(403, colony_missing_message(colony))
    if call.signer_id != row.get("colonyid"):
        raise ApiError(403, "Access denied, not colony owner")


def _member_error(call: Call, colony: str, *, pending_ok: bool) -> str | None:
    """``None`` when the signer is a member, else the message the server reports.

    The server tries the executor check first and, when it fails, reports the result of
    the user check, so the executor's own messages are never seen by clients.
    """
    state = call.state
    executor = state.executor_by_id(call.signer_id, colony)
    if (
        executor is not None
        and state.colony(colony) is not None
        and (pending_ok or executor.get("state") == APPROVED)
    ):
        return None
    if state.colony(colony) is None:
        return colony_missing_message(colony)
    if state.user_by_id(colony, call.signer_id) is None:
        return not_member_message(colony)
    return None


def require_member(call: Call, colony: str, *, pending_ok: bool = False) -> None:
    """A user of the colony or an approved executor of it (any executor with ``pending_ok``)."""
    error = _member_error(call, colony, pending_ok=pending_ok)
    if error is not None:
        raise ApiError(403, error)


def require_member_or_owner(call: Call, colony: str) -> None:
    """Membership first; if that fails, the colony-owner check decides (and its message wins)."""
    if _member_error(call, colony, pending_ok=False) is not None:
        require_colony_owner(call, colony)


def signer_name(call: Call, colony: str) -> str:
    """The signer's user name in ``colony``, else its executor name, else ``""``."""
    return call.state.signer_name(colony, call.signer_id)
