"""The timeout checker: ``maxexectime``, ``maxretries`` and ``maxwaittime`` (protocol 5.3).

Runs every ``settings.checker_period`` seconds. Deadlines are compared in whole Unix
seconds like the server does, and a ``maxexectime`` of 0 (also when a spec leaves it out)
counts as already expired: the process is released or failed at the first check after its
assignment. Only ``maxexectime == -1`` means "no limit".
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum

from colonies.devserver.processes import (
    RUNNING,
    WAITING,
    close_failed,
    processes_in,
    unassign_after_timeout,
)
from colonies.devserver.registry import periodic
from colonies.devserver.state import ServerState
from colonies.devserver.store import Row
from colonies.devserver.timefmt import parse_time

__all__ = ["EXEC_TIME_EXCEEDED", "WAIT_TIME_EXCEEDED", "TimeoutAction", "timeout_action"]

EXEC_TIME_EXCEEDED = "Maximum execution time limit exceeded"
WAIT_TIME_EXCEEDED = "Maximum waiting time limit exceeded"


class TimeoutAction(Enum):
    """What the checker does with one process."""

    NONE = "none"
    REQUEUE = "requeue"  # back to WAITING, retries + 1
    FAIL_EXEC = "fail-exec"  # FAILED, "Maximum execution time limit exceeded"
    FAIL_WAIT = "fail-wait"  # FAILED, "Maximum waiting time limit exceeded"


def _passed(deadline_text: str, now: datetime) -> bool:
    """``now.Unix() > deadline.Unix()``; the zero time is always passed."""
    deadline = parse_time(deadline_text)
    return deadline is None or int(now.timestamp()) > int(deadline.timestamp())


def timeout_action(process: Row, now: datetime) -> TimeoutAction:
    """The checker's decision for ``process`` at ``now`` (a pure function)."""
    spec = process["spec"]
    if process["state"] == RUNNING:
        if int(spec["maxexectime"]) == -1 or not _passed(process["execdeadline"], now):
            return TimeoutAction.NONE
        max_retries = int(spec["maxretries"])
        if max_retries > -1 and int(process["retries"]) >= max_retries:
            return TimeoutAction.FAIL_EXEC
        return TimeoutAction.REQUEUE
    waiting_too_long = (
        process["state"] == WAITING
        and int(spec["maxwaittime"]) > 0
        and _passed(process["waitdeadline"], now)
    )
    return TimeoutAction.FAIL_WAIT if waiting_too_long else TimeoutAction.NONE


@periodic("checker_period")
def check_timeouts(state: ServerState) -> None:
    now = state.now()
    for process in processes_in(state, WAITING, RUNNING):
        action = timeout_action(process, now)
        if action is TimeoutAction.REQUEUE:
            unassign_after_timeout(state, process, now)
        elif action is TimeoutAction.FAIL_EXEC:
            close_failed(state, process, [EXEC_TIME_EXCEEDED], now)
        elif action is TimeoutAction.FAIL_WAIT:
            close_failed(state, process, [WAIT_TIME_EXCEEDED], now)
