"""Executor RPCs, re-registration and stale-executor cleanup (protocol 3.2, 5.5, 6).

Removing an executor is a soft delete (state 3). Whatever else must happen then (re-queueing
its RUNNING processes, dropping its functions) is done by listeners of
``events.EXECUTOR_UNREGISTERED`` in the workloads modules.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from colonies.devserver import auth, events, registry
from colonies.devserver.call import Call, Fields
from colonies.devserver.errors import ApiError, found
from colonies.devserver.state import EXECUTORS, ServerState
from colonies.devserver.store import Row, key_of
from colonies.devserver.timefmt import format_time, parse_time
from colonies.devserver.users import new_id_for

__all__ = ["APPROVED", "PENDING", "REJECTED", "UNREGISTERED", "executor_row", "unregister"]

PENDING, APPROVED, REJECTED, UNREGISTERED = 0, 1, 2, 3


def executor_row(
    *,
    executor_id: str,
    executor_type: str,
    name: str,
    colony: str,
    now: datetime,
    location: str = "",
    capabilities: dict[str, Any] | None = None,
    allocations: dict[str, Any] | None = None,
    require_func_reg: bool = False,
) -> Row:
    """A new executor as the server stores and returns it (6.3): always PENDING."""
    row: Row = {
        "executorid": executor_id,
        "executortype": executor_type,
        "executorname": name,
        "colonyname": colony,
        "state": PENDING,
        "requirefuncreg": require_func_reg,
        "commissiontime": format_time(now),
        "lastheardfromtime": format_time(None),
    }
    if location:
        row["locationname"] = location
    row["capabilities"] = capabilities or {"hardware": None, "software": None}
    row["allocations"] = allocations or {"projects": None}
    return row


def save(state: ServerState, executor: Row) -> None:
    state.table(EXECUTORS).put(key_of(executor["colonyname"], executor["executorname"]), executor)


def unregister(state: ServerState, executor: Row) -> None:
    """Soft-delete: state 3, then let the workloads modules release what it held."""
    executor["state"] = UNREGISTERED
    save(state, executor)
    state.events.emit(events.EXECUTOR_UNREGISTERED, executor)


def _from_request(state: ServerState, fields: Fields) -> Row:
    row = executor_row(
        executor_id=fields.str("executorid"),
        executor_type=fields.str("executortype"),
        name=fields.str("executorname"),
        colony=fields.str("colonyname"),
        now=state.now(),
        location=fields.str("locationname"),
        capabilities=fields.obj("capabilities"),
        allocations=fields.obj("allocations"),
        require_func_reg=fields.bool("requirefuncreg"),
    )
    blueprint_id, blueprint_gen = fields.str("blueprintid"), fields.int("blueprintgen")
    if blueprint_id:
        row["blueprintid"] = blueprint_id
    if blueprint_gen:
        row["blueprintgen"] = blueprint_gen
    return row


def _by_name(call: Call, failure: str, *, status: int = 500) -> Row:
    colony, name = call.str("colonyname"), call.str("executorname")
    return found(call.state.executor(colony, name), status, f"{failure}, executor is nil")


@registry.rpc("addexecutormsg", "Failed to add executor")
def add_executor(call: Call) -> Row:
    fields = call.fields("executor")
    row = _from_request(call.state, fields)
    if not call.has("executor"):
        raise ApiError(400, "Failed to add executor, executor is nil")
    auth.require_colony_owner(call, row["colonyname"])
    previous = call.state.executor(row["colonyname"], row["executorname"])
    if previous is not None and previous["state"] != UNREGISTERED:
        unregister(call.state, previous)  # re-registration replaces the old record (6.2)
    save(call.state, row)
    # The reply is looked up by ID, as the real server does: with an ID another executor
    # already has, it is that first executor's record, and the key acts as that one (12).
    return call.state.executor_by_id(row["executorid"]) or row


@registry.rpc("getexecutorsmsg", "Failed to get executors")
def get_executors(call: Call) -> list[Row] | registry.JsonNull:
    colony = call.str("colonyname")
    auth.require_member(call, colony, pending_ok=True)
    return registry.null_if_empty(call.state.executors_of(colony))


@registry.rpc("getexecutormsg", "Failed to get executor")
def get_executor(call: Call) -> Row:
    executor = _by_name(call, "Failed to get executor")
    auth.require_member(call, executor["colonyname"])
    return executor


@registry.rpc("getexecutorbyidmsg", "Failed to get executor by ID")
def get_executor_by_id(call: Call) -> Row:
    call.str("colonyname")
    executor = found(
        call.state.executor_by_id(call.str("executorid")),
        404,
        "Failed to get executor by ID, executor is nil",
    )
    auth.require_member(call, executor["colonyname"])
    return executor


def _set_state(call: Call, failure: str, new_state: int) -> None:
    executor = _by_name(call, failure)
    auth.require_colony_owner(call, executor["colonyname"])
    if new_state == UNREGISTERED:
        unregister(call.state, executor)  # by name
        return
    # approve and reject update every record with the executor's ID, as the real server's
    # UPDATE ... WHERE EXECUTOR_ID does: rejecting a duplicate rejects the first one too (12)
    for row in call.state.table(EXECUTORS).values():
        if row["executorid"] == executor["executorid"]:
            row["state"] = new_state
            save(call.state, row)


@registry.rpc("approveexecutormsg", "Failed to approve executor")
def approve_executor(call: Call) -> None:
    _set_state(call, "Failed to approve executor", APPROVED)


@registry.rpc("rejectexecutormsg", "Failed to reject executor")
def reject_executor(call: Call) -> None:
    _set_state(call, "Failed to reject executor", REJECTED)


@registry.rpc("removeexecutormsg", "Failed to remove executor")
def remove_executor(call: Call) -> None:
    _set_state(call, "Failed to remove executor", UNREGISTERED)


def _own_executor(call: Call, action: str) -> Row:
    """The executor named in the message, which must be the signer itself."""
    colony, name = call.str("colonyname"), call.str("executorname")
    auth.require_member(call, colony, pending_ok=True)
    executor = found(
        call.state.executor(colony, name), 400, f"Executor with name <{name}> does not exist"
    )
    if executor["executorid"] != call.signer_id:
        raise ApiError(400, f"Only an executor can {action}")
    return executor


@registry.rpc("reportallocationmsg", "Failed to report allocation")
def report_allocations(call: Call) -> None:
    allocations = call.obj("allocations")
    executor = _own_executor(call, "report allocations to itself")
    executor["allocations"] = allocations or {"projects": None}
    save(call.state, executor)


@registry.rpc("updateexecutormsg", "Failed to update executor")
def update_executor(call: Call) -> None:
    capabilities = call.obj("capabilities")
    executor = _own_executor(call, "update its own capabilities")
    executor["capabilities"] = capabilities or {"hardware": None, "software": None}
    save(call.state, executor)


@registry.rpc("changeexecutoridmsg", "Failed to change executor Id")
def change_executor_id(call: Call) -> dict[str, Any]:
    executor, new_id = new_id_for(
        call, "executor", lambda _: call.state.executor_by_id(call.signer_id)
    )
    executor["executorid"] = new_id
    save(call.state, executor)
    return call.msg


@registry.periodic("stale_check_period")
def unregister_stale_executors(state: ServerState) -> None:
    """Executors silent for ``stale_executor_after`` seconds since their last assign call are
    unregistered; those that never called assign are left alone (5.5)."""
    cutoff = state.now() - timedelta(seconds=state.settings.stale_executor_after)
    for executor in state.table(EXECUTORS).values():
        heard = parse_time(str(executor.get("lastheardfromtime", "")))
        if heard is not None and heard < cutoff and executor.get("state") != UNREGISTERED:
            unregister(state, executor)
