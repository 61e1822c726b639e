"""The process RPCs: submit, get, list, history, remove, cancel, close and set output
(protocol 3.4, 5.4), with the server's check order and messages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from colonies.devserver import auth
from colonies.devserver.call import Call
from colonies.devserver.errors import ApiError
from colonies.devserver.functions import registers_function
from colonies.devserver.lookups import check_count, check_remove_all_state, member_row
from colonies.devserver.processes import (
    CANCELLED,
    FAILED,
    PROCESSES,
    RUNNING,
    SUCCESS,
    WAITING,
    cancel_process,
    close_failed,
    close_successful,
    colony_of,
    processes_of,
    remove_processes,
    save_process,
    submit_process,
)
from colonies.devserver.registry import RawReply, null_if_empty, rpc
from colonies.devserver.specs import SpecError, decode_function_spec
from colonies.devserver.store import Row
from colonies.devserver.timefmt import parse_time

__all__: list[str] = []

_STATES = (WAITING, RUNNING, SUCCESS, FAILED, CANCELLED)
_IN_WORKFLOW = "cannot {verb} a process part of a workflow, {advice} the entire workflow instead"


def _initiator_name(call: Call, colony: str) -> str:
    """The signer's executor name (any colony), else its user name in ``colony``."""
    executor = call.state.executor_by_id(call.signer_id)
    if executor is not None:
        return str(executor.get("executorname", ""))
    user = call.state.user_by_id(colony, call.signer_id)
    if user is None:
        raise ApiError(400, "Could not derive InitiatorName")
    return str(user.get("name", ""))


@rpc("submitfuncspecmsg", "Failed to submit process")
def submit_function_spec(call: Call) -> Row:
    raw = call.obj("spec")
    if raw is None:
        raise ApiError(400, "Failed to submit process spec, msg.FunctionSpec is nil")
    try:
        colony = decode_function_spec(raw)["conditions"]["colonyname"]
    except SpecError:
        raise call.invalid() from None
    auth.require_member(call, colony)
    return submit_process(
        call.state, raw, initiator_id=call.signer_id, initiator_name=_initiator_name(call, colony)
    )


def _existing(
    call: Call, failure: str, *, status: int = 500, missing: str = "process is nil"
) -> Row:
    """The process named by ``processid``; existence is checked before membership."""
    return member_row(
        call, PROCESSES, "processid", colony_of, ApiError(status, f"{failure}, {missing}")
    )


@rpc("getprocessmsg", "Failed to get process")
def get_process_rpc(call: Call) -> Row:
    return _existing(call, "Failed to get process", status=404, missing="process not found")


def _sort_key(wanted: int) -> tuple[str, bool]:
    if wanted == WAITING:
        return "prioritytime", False
    if wanted == RUNNING:
        return "starttime", False
    return "endtime", True


@rpc("getprocessesmsg", "Failed to get processes")
def get_processes(call: Call) -> Any:
    colony, count, wanted = call.str("colonyname"), call.int("count"), call.int("state")
    executor_type, label, initiator = (
        call.str("executortype"),
        call.str("label"),
        call.str("initiator"),
    )
    auth.require_member(call, colony)
    check_count(count)
    if initiator and not any(u.get("name") == initiator for u in call.state.users_of(colony)):
        raise ApiError(400, f"User <{initiator}> does not exist")
    if wanted not in _STATES:
        raise ApiError(400, "Failed to get processes, invalid msg.State")
    if executor_type:
        field, value = "executortype", executor_type
    elif initiator:
        field, value = "initiatorname", initiator
    elif label:
        field, value = "label", label
    else:
        field, value = "", ""

    def matches(process: Row) -> bool:
        spec = process["spec"]
        actual = {
            "executortype": spec["conditions"]["executortype"],
            "initiatorname": process["initiatorname"],
            "label": spec["label"],
        }
        return not field or actual[field] == value

    found = [p for p in processes_of(call.state, colony, wanted) if matches(p)]
    key, newest_first = _sort_key(wanted)
    found.sort(key=lambda p: p[key] if key == "prioritytime" else str(p[key]), reverse=newest_first)
    return null_if_empty(found[: max(count, 0)])


@rpc("getprocesshistmsg", "Failed to get process history")
def get_process_history(call: Call) -> Any:
    colony, executor_id = call.str("colonyname"), call.str("executorid")
    seconds, wanted = call.int("seconds"), call.int("state")
    try:
        auth.require_member(call, colony)
    except ApiError:
        return RawReply(200, b"")  # the server's bug: a non-member gets an empty 200 (8.4)
    since = call.state.now() - timedelta(seconds=seconds)

    def recent(process: Row) -> bool:
        submitted = parse_time(process["submissiontime"])
        return submitted is not None and submitted >= since

    found = [
        p
        for p in processes_of(call.state, colony)
        if p["state"] == wanted
        and recent(p)
        and (not executor_id or p["assignedexecutorid"] == executor_id)
    ]
    found.sort(key=lambda p: str(p["submissiontime"]))
    return null_if_empty(found)


@rpc("removeprocessmsg", "Failed to remove process")
def remove_process(call: Call) -> None:
    process = _existing(call, "Failed to remove process")
    if process["state"] == RUNNING:
        raise ApiError(400, "Failed to remove process, cannot remove a running process")
    if process["processgraphid"]:
        raise ApiError(
            400, "Failed to remove, " + _IN_WORKFLOW.format(verb="remove", advice="delete")
        )
    remove_processes(call.state, [process])


@rpc("removeallprocessesmsg", "Failed to remove all processes")
def remove_all_processes(call: Call) -> None:
    colony, wanted = call.str("colonyname"), call.int("state")
    auth.require_colony_owner(call, colony)
    check_remove_all_state(
        wanted,
        running="Not possible to remove running processes",
        invalid="Invalid state when deleting all processes",
    )
    remove_processes(
        call.state,
        (
            p
            for p in processes_of(call.state, colony)
            if not p["processgraphid"] and wanted in (-1, p["state"])
        ),
    )


@rpc("cancelprocessmsg", "Failed to cancel process")
def cancel_process_rpc(call: Call) -> None:
    process = _existing(call, "Failed to cancel process")
    if process["processgraphid"]:
        raise ApiError(
            400, "Failed to cancel, " + _IN_WORKFLOW.format(verb="cancel", advice="cancel")
        )
    cancel_process(call.state, process)


def _assigned(call: Call, failure: str) -> Row:
    """The process, which the signer must be the assigned executor of (protocol 5.4)."""
    process = _existing(call, failure)
    if not process["assignedexecutorid"]:
        raise ApiError(403, f"{failure}, process is not assigned")
    if process["assignedexecutorid"] != call.signer_id:
        verb = failure.removeprefix("Failed to ")
        raise ApiError(403, f"{failure}, not allowed to {verb}")
    return process


@rpc("closesuccessfulmsg", "Failed to close process as successful")
def close_successful_rpc(call: Call) -> None:
    output = call.list("out")
    process = _assigned(call, "Failed to close process as successful")
    fresh = registers_function(call.state, process)
    close_successful(call.state, process, output, stale_event=not fresh)


@rpc("closefailedmsg", "Failed to close process as failed")
def close_failed_rpc(call: Call) -> None:
    errors = call.str_list("errors")
    process = _assigned(call, "Failed to close process as failed")
    close_failed(call.state, process, errors)


@rpc("setoutputmsg", "Failed to set output")
def set_output(call: Call) -> None:
    output: list[Any] | None = call.list("out")
    process = _existing(call, "Failed to set output")
    if process["assignedexecutorid"] != call.signer_id:
        raise ApiError(
            403,
            "Failed to close process as successful, not allowed to close process as successful",
        )
    if process["state"] != RUNNING:
        raise ApiError(403, "Failed to set output, process is not running")
    if output:
        process["out"] = list(output)
        save_process(call.state, process)
