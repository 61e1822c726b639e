"""Assignment: the scheduler's selection rules, the ``assignprocessmsg`` long poll, and
pausing assignments per colony (protocol 5.2).

The long poll is a condition wait on :data:`processes.PROCESS_CHANGED`: every submission,
re-queue or newly unblocked workflow child re-runs the selection for each waiting call.
The real server wakes only one waiting "general" listener per new process (round robin);
here every waiter re-checks and the first to run takes the process, so the observable
outcome (one executor gets it, the others keep waiting) is the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from colonies import deepjson
from colonies.devserver import auth
from colonies.devserver.call import Call
from colonies.devserver.errors import ApiError
from colonies.devserver.processes import (
    PROCESS_CHANGED,
    WAITING,
    get_process,
    mark_running,
    processes_of,
)
from colonies.devserver.registry import rpc
from colonies.devserver.specs import SpecError, cpu_millicores, memory_bytes
from colonies.devserver.state import EXECUTORS, ServerState
from colonies.devserver.store import Row, key_of
from colonies.devserver.timefmt import ZERO_TIME, format_time

__all__ = ["is_candidate", "is_paused", "select_process"]

PAUSES = "assignmentpauses"  # key: colony name; row {"colonyname", "paused"}
ASSIGNMENTS_RESUMED = "assignments.resumed"  # data: colony name
_UNLIMITED = 2**63 - 1


def is_candidate(
    process: Row, executor: Row, colony: str, *, cpu_limit: int, mem_limit: int
) -> bool:
    """Whether ``executor`` may take ``process`` (protocol 5.2 selection rules)."""
    conditions = process["spec"]["conditions"]
    if (
        process["state"] != WAITING
        or process["isassigned"]
        or process["waitforparents"]
        or conditions["colonyname"] != colony
        or conditions["executortype"] != executor.get("executortype")
    ):
        return False
    names = conditions.get("executornames") or []
    if names and executor.get("executorname") not in names:
        return False
    location = str(conditions.get("locationname", ""))
    if location and location.lower() != str(executor.get("locationname", "")).lower():
        return False
    try:
        needs_cpu = cpu_millicores(str(conditions.get("cpu", "")))
        needs_mem = memory_bytes(str(conditions.get("mem", "")))
    except SpecError:
        return False
    return needs_cpu <= cpu_limit and needs_mem <= mem_limit


def select_process(
    processes: Iterable[Row],
    executor: Row,
    colony: str,
    *,
    cpu_limit: int = _UNLIMITED,
    mem_limit: int = _UNLIMITED,
) -> Row | None:
    """The candidate with the lowest ``prioritytime`` (priority x 1 day earlier), if any."""
    candidates = [
        p
        for p in processes
        if is_candidate(p, executor, colony, cpu_limit=cpu_limit, mem_limit=mem_limit)
    ]
    return min(candidates, key=lambda p: int(p["prioritytime"]), default=None)


def is_paused(state: ServerState, colony: str) -> bool:
    row = state.table(PAUSES).get(colony)
    return bool(row and row.get("paused"))


def _limits(call: Call) -> tuple[int, int]:
    """``availablecpu``/``availablemem``; empty means unlimited. Like the server, a CPU
    value without the ``m`` suffix counts as 0 millicores."""
    cpu_text, mem_text = call.str("availablecpu"), call.str("availablemem")
    try:
        cpu = _UNLIMITED if cpu_text == "" else cpu_millicores(cpu_text)
        mem = _UNLIMITED if mem_text == "" else memory_bytes(mem_text)
    except SpecError as error:
        raise ApiError(400, str(error)) from None
    return cpu, mem


def _with_parent_outputs(state: ServerState, process: Row) -> None:
    """A workflow child's ``in`` is the concatenated ``out`` of its parents."""
    if not process["parents"]:
        return
    inputs: list[Any] = []
    for parent_id in process["parents"]:
        parent = get_process(state, parent_id)
        if parent is not None:
            inputs.extend(parent["out"])
    process["in"] = inputs


def _attempt(
    state: ServerState, executor_id: str, colony: str, limits: tuple[int, int]
) -> Row | None:
    """One scheduling attempt: refresh the executor's heartbeat, pick and assign."""
    executor = state.executor_by_id(executor_id, colony) or state.executor_by_id(executor_id)
    if executor is None:
        return None
    now = state.now()
    executor["lastheardfromtime"] = format_time(now)
    state.table(EXECUTORS).put(key_of(executor["colonyname"], executor["executorname"]), executor)
    if is_paused(state, colony):
        return None
    process = select_process(
        processes_of(state, colony, WAITING),
        executor,
        colony,
        cpu_limit=limits[0],
        mem_limit=limits[1],
    )
    if process is None:
        return None
    _with_parent_outputs(state, process)
    mark_running(state, process, executor_id, now)
    reply = deepjson.clone(process)
    reply["execdeadline"] = ZERO_TIME  # quirk: the assign reply shows no deadline (5.2)
    return reply


@rpc("assignprocessmsg", "Failed to assign process")
async def assign_process(call: Call) -> Row:
    colony = call.str("colonyname")
    timeout = call.int("timeout")
    auth.require_member(call, colony)
    if timeout == 0:
        raise ApiError(400, "Invalid timeout value, timeout cannot be zero")
    state = call.state
    if state.executor_by_id(call.signer_id) is None:
        raise ApiError(500, "Failed to assign process, executor not found")
    limits = _limits(call)
    if timeout < 0:
        if is_paused(state, colony):
            _attempt(state, call.signer_id, colony, limits)
            raise ApiError(503, "No processes available: colony assignments are paused")
        process = _attempt(state, call.signer_id, colony, limits)
    else:
        process = await call.while_connected(
            state.events.wait_for(
                (PROCESS_CHANGED, ASSIGNMENTS_RESUMED),
                lambda: _attempt(state, call.signer_id, colony, limits),
                float(timeout),
            )
        )
        if process is None and is_paused(state, colony):
            raise ApiError(408, "Assignment timeout: colony assignments are paused")
    if process is None:
        raise ApiError(404, "No process available for assignment")
    return process


def _set_paused(call: Call, paused: bool) -> None:
    colony = call.str("colonyname")
    auth.require_colony_owner(call, colony)
    call.state.table(PAUSES).put(colony, {"colonyname": colony, "paused": paused})
    if not paused:
        call.state.events.emit(ASSIGNMENTS_RESUMED, colony)


@rpc("pauseassignmentsmsg", "Failed to pause assignments")
def pause_assignments(call: Call) -> None:
    _set_paused(call, True)


@rpc("resumeassignmentsmsg", "Failed to resume assignments")
def resume_assignments(call: Call) -> None:
    _set_paused(call, False)


@rpc("getpausestatusmsg", "Failed to get pause status")
def get_pause_status(call: Call) -> dict[str, Any]:
    colony = call.str("colonyname")
    auth.require_member(call, colony, pending_ok=True)
    call.reply_type = "pausestatusreplymsg"
    return {
        "msgtype": "pausestatusreplymsg",
        "colonyname": colony,
        "ispaused": is_paused(call.state, colony),
    }
