"""Process logs: ``addlogmsg``, ``getlogsmsg`` and ``searchlogsmsg`` (protocol 3.8).

A log row (table ``logs``) is the server's Log JSON; ``timestamp`` is Unix nanoseconds,
kept strictly increasing so that ``since`` and ``latest`` are exact.
"""

from __future__ import annotations

from typing import Any

from colonies.devserver import auth
from colonies.devserver.call import Call
from colonies.devserver.errors import ApiError
from colonies.devserver.processes import RUNNING, colony_of, get_process, unix_nanos
from colonies.devserver.registry import null_if_empty, rpc
from colonies.devserver.state import ServerState
from colonies.devserver.store import Row

__all__ = ["LOGS", "select_logs"]

LOGS = "logs"  # key: zero-padded timestamp (sorts in time order)
MAX_LOG_COUNT, MAX_SEARCH_COUNT, MAX_DAYS = 500, 100, 30
_NANOS_PER_DAY = 86_400 * 10**9


def _timestamp(state: ServerState) -> int:
    last = state.runtime("logs.last_timestamp", lambda: [0])
    stamp = max(unix_nanos(state.now()), last[0] + 1)
    last[0] = stamp
    return stamp


def select_logs(logs: list[Row], *, count: int, since: int, latest: bool) -> list[Row]:
    """The server's pick from one process's or executor's logs (oldest first): entries
    newer than ``since`` when it is positive, else the first ``count``, or with ``latest``
    the newest ``count``."""
    ordered = sorted(logs, key=lambda log: int(log["timestamp"]))
    if since > 0:
        ordered = [log for log in ordered if int(log["timestamp"]) > since]
    if count <= 0:
        return []
    return ordered[-count:] if latest else ordered[:count]


@rpc("addlogmsg", "Failed to add log")
def add_log(call: Call) -> None:
    message = call.str("message")
    process = get_process(call.state, call.str("processid"))
    if process is None:
        raise ApiError(500, "Failed to add log, process is nil")
    auth.require_member(call, colony_of(process))
    if process["state"] != RUNNING:
        raise ApiError(403, "Failed to set output, process is not running")
    if process["assignedexecutorid"] != call.signer_id:
        raise ApiError(
            403,
            "Failed to add log, not allowed to add log, only the assigned Executor may att logs",
        )
    executor = call.state.executor_by_id(call.signer_id, colony_of(process))
    stamp = _timestamp(call.state)
    call.state.table(LOGS).put(
        f"{stamp:020d}",
        {
            "processid": process["processid"],
            "colonyname": colony_of(process),
            "executorname": (executor or {}).get("executorname", ""),
            "message": message,
            "timestamp": stamp,
        },
    )


@rpc("getlogsmsg", "Failed to get logs")
def get_logs(call: Call) -> Any:
    colony, process_id = call.str("colonyname"), call.str("processid")
    executor_name, count = call.str("executorname"), call.int("count")
    since, latest = call.int("since"), call.bool("latest")
    state = call.state
    if executor_name:
        executor = state.executor(colony, executor_name)
        if executor is None:
            raise ApiError(500, "Failed to get logs, executor does not exist")
        auth.require_member(call, colony)

        def wanted(log: Row) -> bool:
            return bool(log["colonyname"] == colony and log["executorname"] == executor_name)
    else:
        process = get_process(state, process_id)
        if process is None:
            raise ApiError(500, "Failed to get logs, process does not exist")
        auth.require_member(call, colony_of(process))

        def wanted(log: Row) -> bool:
            return bool(log["processid"] == process_id)

    if count > MAX_LOG_COUNT:
        raise ApiError(403, f"Count exceeds max log count ({MAX_LOG_COUNT})")
    logs = [log for log in state.table(LOGS).values() if wanted(log)]
    return null_if_empty(select_logs(logs, count=count, since=since, latest=latest))


@rpc("searchlogsmsg", "Failed to search logs")
def search_logs(call: Call) -> Any:
    colony, text = call.str("colonyname"), call.str("text")
    days, count = call.int("days"), call.int("count")
    auth.require_member(call, colony)
    if count > MAX_SEARCH_COUNT:
        raise ApiError(400, f"Count exceeds max log count ({MAX_SEARCH_COUNT})")
    if days > MAX_DAYS:
        raise ApiError(400, f"Count exceeds max day count ({MAX_DAYS})")
    oldest = unix_nanos(call.state.now()) - days * _NANOS_PER_DAY
    found = sorted(
        (
            log
            for log in call.state.table(LOGS).values()
            if log["colonyname"] == colony
            and text in str(log["message"])
            and int(log["timestamp"]) >= oldest
        ),
        key=lambda log: int(log["timestamp"]),
    )
    return null_if_empty(found[: max(count, 0)])
