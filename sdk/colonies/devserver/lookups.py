"""Steps the server's handlers share: look an object up first (so an unknown ID gets its
"not found" error even from a stranger: protocol 10), then check membership of its colony;
limit list counts; validate the state of a "remove all" request."""

from __future__ import annotations

from collections.abc import Callable

from colonies.devserver import auth
from colonies.devserver.call import Call
from colonies.devserver.errors import ApiError
from colonies.devserver.store import Row

__all__ = ["MAX_COUNT", "check_count", "check_remove_all_state", "colonyname_of", "member_row"]

MAX_COUNT = 100


def colonyname_of(row: Row) -> str:
    """The colony of an object that names it in a top-level ``colonyname``."""
    return str(row["colonyname"])


def member_row(
    call: Call,
    table: str,
    id_field: str,
    colony: Callable[[Row], str],
    missing: ApiError,
) -> Row:
    """The row of ``table`` keyed by the request's ``id_field``; raises ``missing`` when
    there is none, then requires the signer to be a member of ``colony(row)``."""
    row = call.state.table(table).get(call.str(id_field))
    if row is None:
        raise missing
    auth.require_member(call, colony(row))
    return row


def check_count(count: int, limit: int = MAX_COUNT) -> None:
    """The server's limit on ``count`` in list requests."""
    if count > limit:
        raise ApiError(400, f"Count is larger than MaxCount limit <{limit}>")


def check_remove_all_state(wanted: int, *, running: str, invalid: str) -> None:
    """``removeall*`` take -1 (all) or a state other than RUNNING (1)."""
    if wanted == 1:
        raise ApiError(400, running)
    if wanted not in (-1, 0, 2, 3, 4):
        raise ApiError(400, invalid)
