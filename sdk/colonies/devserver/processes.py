"""Processes: their JSON, submission, storage and the state transitions all areas share.

A process row is the real server's Process JSON (protocol 7.7, 9), stored under its ID in
table ``processes``. Every transition goes through this module so that it announces
:data:`PROCESS_CHANGED`: workflows resolve their graphs on it, channels delete themselves
when a process closes, ``assign`` long polls wake up. WebSocket subscribers listen to
:data:`PROCESS_PUBLISHED` instead, which carries the copy the real server publishes: for a
successful close that is the copy read *before* the close was saved (protocol 12).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from colonies import deepjson
from colonies.devserver import events
from colonies.devserver.errors import ApiError
from colonies.devserver.registry import listener
from colonies.devserver.specs import (
    SpecError,
    decode_function_spec,
    normalise_cpu,
    normalise_memory,
)
from colonies.devserver.state import ServerState
from colonies.devserver.store import Row, define_index
from colonies.devserver.timefmt import ZERO_TIME, format_time

__all__ = [
    "CANCELLED",
    "FAILED",
    "PROCESSES",
    "PROCESS_ADDED",
    "PROCESS_CHANGED",
    "PROCESS_PUBLISHED",
    "PROCESS_REMOVED",
    "RUNNING",
    "SUCCESS",
    "WAITING",
    "cancel_process",
    "close_failed",
    "close_successful",
    "colony_of",
    "get_process",
    "mark_running",
    "new_process",
    "processes_in",
    "processes_of",
    "remove_processes",
    "requeue_processes_of_executor",
    "save_process",
    "submit_process",
    "unassign_after_timeout",
    "unix_nanos",
]

WAITING, RUNNING, SUCCESS, FAILED, CANCELLED = 0, 1, 2, 3, 4
PROCESSES = "processes"  # key: processid
BY_COLONY_AND_STATE = "colony-state"
BY_STATE = "state"
#: data: the process row, emitted after it was stored in a new state (or became assignable)
PROCESS_CHANGED = "process.changed"
#: data: the Process JSON subscribers receive, emitted right after :data:`PROCESS_CHANGED`
PROCESS_PUBLISHED = "process.published"
#: data: the process row, emitted when a process is stored for the first time
PROCESS_ADDED = "process.added"
#: data: the process row, emitted after it was deleted
PROCESS_REMOVED = "process.removed"

MIN_PRIORITY, MAX_PRIORITY = -50000, 50000
_NANOS_PER_DAY = 86_400 * 10**9
_ENV_ATTRIBUTE = 3
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def unix_nanos(moment: datetime) -> int:
    return (moment - _EPOCH) // timedelta(microseconds=1) * 1000


def colony_of(process: Row) -> str:
    return str(process["spec"]["conditions"]["colonyname"])


define_index(PROCESSES, BY_COLONY_AND_STATE, lambda p: (colony_of(p), p["state"]))
define_index(PROCESSES, BY_STATE, lambda p: p["state"])


def _normalised_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """What the server stores for a decoded FunctionSpec (protocol 8.3): resource strings
    normalised, ``dependencies`` as a list, ``env`` as an object."""
    conditions = dict(spec["conditions"])
    try:
        conditions["cpu"] = normalise_cpu(conditions["cpu"])
        conditions["mem"] = normalise_memory(conditions["mem"])
        conditions["storage"] = normalise_memory(conditions["storage"])
        gpu = dict(conditions["gpu"])
        gpu["mem"] = normalise_memory(gpu["mem"])
    except SpecError as error:
        raise ApiError(400, str(error)) from None
    conditions["gpu"] = gpu
    conditions["dependencies"] = list(conditions["dependencies"] or [])
    return {**spec, "conditions": conditions, "env": dict(spec["env"] or {})}


def _env_attributes(state: ServerState, process: Row) -> list[dict[str, Any]]:
    """The server keeps ``spec.env`` as ENV attributes of the process (type 3)."""
    return [
        {
            "attributeid": state.new_id(),
            "targetid": process["processid"],
            "targetcolonyname": colony_of(process),
            "targetprocessgraphid": process["processgraphid"],
            "state": WAITING,
            "attributetype": _ENV_ATTRIBUTE,
            "key": key,
            "value": value,
        }
        for key, value in process["spec"]["env"].items()
    ]


def _priority_time(state: ServerState, now: datetime, priority: int) -> int:
    """``submission_ns - priority * 1 day``; the submission clock is kept strictly
    increasing so that equal priorities stay first-in first-out within one clock tick."""
    last = state.runtime("processes.last_submission_ns", lambda: [0])
    submitted = max(unix_nanos(now), last[0] + 1)
    last[0] = submitted
    return submitted - priority * _NANOS_PER_DAY


def new_process(
    state: ServerState,
    spec: dict[str, Any],
    *,
    initiator_id: str,
    initiator_name: str,
    graph_id: str = "",
    wait_for_parents: bool = False,
    now: datetime | None = None,
) -> Row:
    """A new WAITING process for a decoded FunctionSpec (see :mod:`specs`), not yet stored."""
    now = now or state.now()
    spec = _normalised_spec(spec)
    max_wait = int(spec["maxwaittime"])
    process: Row = {
        "processid": state.new_id(),
        "initiatorid": initiator_id,
        "initiatorname": initiator_name,
        "assignedexecutorid": "",
        "isassigned": False,
        "state": WAITING,
        "prioritytime": _priority_time(state, now, int(spec["priority"])),
        "submissiontime": format_time(now),
        "starttime": ZERO_TIME,
        "endtime": ZERO_TIME,
        "waitdeadline": format_time(now + timedelta(seconds=max_wait))
        if max_wait > 0
        else ZERO_TIME,
        "execdeadline": ZERO_TIME,
        "retries": 0,
        "attributes": [],
        "spec": spec,
        "waitforparents": wait_for_parents,
        "parents": [],
        "children": [],
        "processgraphid": graph_id,
        "in": [],
        "out": [],
        "errors": [],
    }
    process["attributes"] = _env_attributes(state, process)
    return process


def check_priority(priority: int) -> None:
    if not MIN_PRIORITY <= priority <= MAX_PRIORITY:
        raise ApiError(
            400,
            "Failed to submit function spec, priority outside range "
            f"[{MIN_PRIORITY}, {MAX_PRIORITY}]",
        )


def submit_process(
    state: ServerState, spec: dict[str, Any], *, initiator_id: str, initiator_name: str
) -> Row:
    """Normalise ``spec`` (a raw or decoded FunctionSpec) like ``submitfuncspecmsg``, check
    its priority, store the process WAITING and wake assign long polls and subscribers."""
    try:
        decoded = decode_function_spec(spec)
    except SpecError:
        raise ApiError(400, "Failed to submit process, invalid JSON") from None
    check_priority(int(decoded["priority"]))
    process = new_process(state, decoded, initiator_id=initiator_id, initiator_name=initiator_name)
    save_process(state, process, changed=True)
    return process


# -- storage --


def get_process(state: ServerState, process_id: str) -> Row | None:
    return state.table(PROCESSES).get(process_id)


def processes_of(state: ServerState, colony: str, process_state: int | None = None) -> list[Row]:
    """The colony's processes, or those in ``process_state``: read from the index, so a
    colony with thousands of finished processes does not slow every assign and list."""
    table = state.table(PROCESSES)
    states = range(WAITING, CANCELLED + 1) if process_state is None else (process_state,)
    return [
        p
        for s in states
        for p in table.group(BY_COLONY_AND_STATE, (colony, s))
        if colony_of(p) == colony and p["state"] == s
    ]


def processes_in(state: ServerState, *process_states: int) -> list[Row]:
    """Every colony's processes in ``process_states`` (what the timeout checker scans)."""
    table = state.table(PROCESSES)
    return [p for s in process_states for p in table.group(BY_STATE, s) if p["state"] == s]


def save_process(
    state: ServerState, process: Row, *, changed: bool = False, published: Row | None = None
) -> None:
    """Store ``process``; ``changed`` announces a new state (or a newly assignable one) and
    publishes ``published`` (default: ``process``) to subscribers."""
    table = state.table(PROCESSES)
    is_new = process["processid"] not in table
    table.put(process["processid"], process)
    if is_new:
        state.events.emit(PROCESS_ADDED, process)
    if changed:
        state.events.emit(PROCESS_CHANGED, process)
        state.events.emit(PROCESS_PUBLISHED, process if published is None else published)


def remove_processes(state: ServerState, processes: Iterable[Row]) -> None:
    table = state.table(PROCESSES)
    for process in list(processes):
        table.delete(process["processid"])
        state.events.emit(PROCESS_REMOVED, process)


# -- transitions --


def mark_running(state: ServerState, process: Row, executor_id: str, now: datetime) -> None:
    """Assign ``process`` to an executor (the assign reply shows a zero ``execdeadline``:
    callers copy the row before this sets the real deadline, see :mod:`assign`)."""
    process.update(
        state=RUNNING, isassigned=True, assignedexecutorid=executor_id, starttime=format_time(now)
    )
    max_exec = int(process["spec"]["maxexectime"])
    if max_exec > 0:
        process["execdeadline"] = format_time(now + timedelta(seconds=max_exec))
    save_process(state, process, changed=True)


def _restart_wait_deadline(process: Row, now: datetime) -> None:
    max_wait = int(process["spec"]["maxwaittime"])
    if max_wait > 0:
        process["waitdeadline"] = format_time(now + timedelta(seconds=max_wait))


def unassign_after_timeout(state: ServerState, process: Row, now: datetime) -> None:
    """``maxexectime`` expired with retries left: back to WAITING, ``retries += 1``."""
    process.update(
        state=WAITING,
        isassigned=False,
        assignedexecutorid="",
        endtime=format_time(now),
        retries=int(process["retries"]) + 1,
    )
    _restart_wait_deadline(process, now)
    save_process(state, process, changed=True)


def requeue_processes_of_executor(state: ServerState, executor_id: str) -> None:
    """An executor was removed or unregistered: its RUNNING processes go back to WAITING,
    assignment cleared, start/end time zeroed, ``retries`` unchanged (protocol 3.2, 5.5).
    Like the server's reset, ``submissiontime`` restarts but ``prioritytime`` is kept, so
    the process keeps its place in the queue."""
    now = state.now()
    for process in processes_in(state, RUNNING):
        if process["assignedexecutorid"] == executor_id:
            process.update(
                state=WAITING,
                isassigned=False,
                assignedexecutorid="",
                submissiontime=format_time(now),
                starttime=ZERO_TIME,
                endtime=ZERO_TIME,
            )
            _restart_wait_deadline(process, now)
            save_process(state, process, changed=True)


_CLOSE_REFUSALS = {
    SUCCESS: {
        FAILED: "Tried to set failed process as successful",
        CANCELLED: "Tried to set cancelled process as successful",
        WAITING: "Tried to set waiting process as successful without being running",
    },
    FAILED: {
        SUCCESS: "Tried to set successful process as failed",
        FAILED: "Tried to set failed process as failed",
        CANCELLED: "Tried to set cancelled process as failed",
    },
    CANCELLED: {
        SUCCESS: "Tried to cancel successful process",
        FAILED: "Tried to cancel failed process",
        CANCELLED: "Tried to cancel already cancelled process",
    },
}


def _finish(
    state: ServerState,
    process: Row,
    new_state: int,
    now: datetime,
    *,
    stale_event: bool = False,
    **updates: Any,
) -> None:
    refusal = _CLOSE_REFUSALS[new_state].get(int(process["state"]))
    if refusal is not None:
        raise ApiError(400, refusal)
    published = {**deepjson.clone(process), "state": new_state} if stale_event else None
    process.update(updates, state=new_state, endtime=format_time(now))
    save_process(state, process, changed=True, published=published)


def close_successful(
    state: ServerState,
    process: Row,
    output: list[Any] | None,
    now: datetime | None = None,
    *,
    stale_event: bool = True,
) -> None:
    """SUCCESS with ``out`` (kept when ``output`` is empty); closing twice is allowed.

    Like the real server, subscribers get the copy read before the close was saved (old
    ``out`` and ``endtime``, state SUCCESS) unless ``stale_event`` is False: the server
    re-reads the process when the executor registered the function (protocol 12)."""
    updates = {"out": list(output)} if output else {}
    _finish(state, process, SUCCESS, now or state.now(), stale_event=stale_event, **updates)


def close_failed(
    state: ServerState, process: Row, errors: list[str] | None, now: datetime | None = None
) -> None:
    """FAILED with ``errors`` (also used by the timeout checker)."""
    _finish(state, process, FAILED, now or state.now(), errors=list(errors or []))


def cancel_process(state: ServerState, process: Row, now: datetime | None = None) -> None:
    """WAITING or RUNNING -> CANCELLED; a running one keeps its assignment (protocol 3.4)."""
    _finish(state, process, CANCELLED, now or state.now())


# -- reactions to the identity area --


@listener(events.EXECUTOR_UNREGISTERED)
def _on_executor_unregistered(state: ServerState, executor: Row) -> None:
    requeue_processes_of_executor(state, str(executor.get("executorid", "")))


@listener(events.COLONY_REMOVED)
def _on_colony_removed(state: ServerState, colony: Row) -> None:
    remove_processes(state, processes_of(state, str(colony.get("name", ""))))
