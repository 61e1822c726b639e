"""Processes: submit, assign, close, list, logs and attributes (protocol 3.4, 3.8, 5)."""

from __future__ import annotations

from typing import Any

from colonies.client._call import Call, Flow, KeyArg, as_bool_field, as_list, as_model, as_none
from colonies.client._core import LONG_POLL_MARGIN
from colonies.client._operation import flow, operation
from colonies.errors import ColoniesError, NotFoundError
from colonies.models import Attribute, FunctionSpec, Log, Process, ProcessState

__all__ = ["NO_PROCESS_AVAILABLE", "ProcessOperations", "get_process_call", "listed_states"]

NO_PROCESS_AVAILABLE = "No process available for assignment"

LISTABLE_STATES = (
    ProcessState.WAITING,
    ProcessState.RUNNING,
    ProcessState.SUCCESS,
    ProcessState.FAILED,
    ProcessState.CANCELLED,
)
"""The states list calls accept; ``ProcessState.ALL`` is expanded to these client-side."""


def listed_states(state: ProcessState) -> tuple[ProcessState, ...]:
    """The states a list call asks the server for, one call each: ``ALL`` is every state."""
    return LISTABLE_STATES if state == ProcessState.ALL else (state,)


def get_process_call(process_id: str, key: KeyArg) -> Call[Process]:
    """The call reading one process by ID."""
    message = {"processid": process_id}
    return Call("getprocessmsg", message, as_model(Process), key=key, read=True)


def _no_process_is_none(error: ColoniesError) -> None:
    if isinstance(error, NotFoundError) and error.message == NO_PROCESS_AVAILABLE:
        return
    raise error


class ProcessOperations:
    """The life of a process, from submission to its logs."""

    @operation
    def submit(self, spec: FunctionSpec, *, key: KeyArg = None) -> Call[Process]:
        """Submit a function spec; returns the WAITING process. Members of the spec's colony.

        :class:`FunctionSpec` defaults to no execution limit (``max_exec_time=-1``) and
        unlimited retries: the server fails processes with a zero limit within a second.
        """
        return Call("submitfuncspecmsg", {"spec": spec.to_wire()}, as_model(Process), key=key)

    submit_function_spec = submit

    @operation
    def get_process(self, process_id: str, *, key: KeyArg = None) -> Call[Process]:
        """One process by ID."""
        return get_process_call(process_id, key)

    @flow
    def get_processes(
        self,
        colony: str,
        state: ProcessState = ProcessState.WAITING,
        count: int = 100,
        *,
        executor_type: str = "",
        label: str = "",
        initiator: str = "",
        key: KeyArg = None,
    ) -> Flow[list[Process]]:
        """Up to ``count`` (at most 100) processes in ``state``. ``ProcessState.ALL`` lists
        every state (``count`` per state). The server applies one filter only, by precedence
        ``executor_type`` > ``initiator`` (a user name) > ``label``."""
        found: list[Process] = []
        for one in listed_states(state):
            message = {
                "colonyname": colony,
                "state": int(one),
                "count": count,
                "executortype": executor_type,
                "label": label,
                "initiator": initiator,
            }
            found += yield Call("getprocessesmsg", message, as_list(Process), key=key, read=True)
        return found

    @operation
    def get_process_history(
        self,
        colony: str,
        executor_id: str,
        seconds: int,
        state: ProcessState,
        *,
        key: KeyArg = None,
    ) -> Call[list[Process]]:
        """Processes of one executor in ``state`` during the last ``seconds``."""
        message = {
            "colonyname": colony,
            "executorid": executor_id,
            "seconds": seconds,
            "state": int(state),
        }
        return Call("getprocesshistmsg", message, as_list(Process), key=key, read=True)

    @operation
    def remove_process(self, process_id: str, *, key: KeyArg = None) -> Call[None]:
        """Delete a process that is not running and not part of a workflow."""
        message = {"processid": process_id, "all": False}
        return Call("removeprocessmsg", message, as_none, key=key)

    @operation
    def remove_all_processes(
        self, colony: str, state: ProcessState = ProcessState.ALL, *, key: KeyArg = None
    ) -> Call[None]:
        """Delete a colony's processes in ``state``; ``ALL`` includes running ones.
        Colony owner only."""
        message = {"colonyname": colony, "state": int(state)}
        return Call("removeallprocessesmsg", message, as_none, key=key)

    @operation
    def assign(
        self,
        colony: str,
        timeout: int = 10,
        *,
        available_cpu: str = "",
        available_mem: str = "",
        key: KeyArg = None,
    ) -> Call[Process | None]:
        """Long-poll up to ``timeout`` seconds for a process to run; ``None`` when none came.

        Signed by an approved executor. A negative timeout tries once. Each call refreshes the
        executor's heartbeat: the server unregisters executors silent for 10 minutes (5.5).
        The HTTP timeout is raised above ``timeout`` for the long poll.
        """
        message = {
            "colonyname": colony,
            "timeout": timeout,
            "availablecpu": available_cpu,
            "availablemem": available_mem,
        }
        return Call(
            "assignprocessmsg",
            message,
            as_model(Process),
            key=key,
            timeout=max(timeout, 0) + LONG_POLL_MARGIN,
            on_error=_no_process_is_none,
        )

    @operation
    def close_process(
        self, process_id: str, output: list[Any] | tuple[Any, ...] = (), *, key: KeyArg = None
    ) -> Call[None]:
        """Close a running process as successful with ``output``. Assigned executor only."""
        message = {"processid": process_id, "out": list(output)}
        return Call("closesuccessfulmsg", message, as_none, key=key)

    @operation
    def fail_process(
        self, process_id: str, errors: list[str] | tuple[str, ...] = (), *, key: KeyArg = None
    ) -> Call[None]:
        """Close a running process as failed with ``errors``. Assigned executor only."""
        message = {"processid": process_id, "errors": list(errors)}
        return Call("closefailedmsg", message, as_none, key=key)

    @operation
    def set_output(
        self, process_id: str, output: list[Any] | tuple[Any, ...], *, key: KeyArg = None
    ) -> Call[None]:
        """Replace the output of a running process (an empty list changes nothing)."""
        message = {"processid": process_id, "out": list(output)}
        return Call("setoutputmsg", message, as_none, key=key)

    @operation
    def cancel_process(self, process_id: str, *, key: KeyArg = None) -> Call[None]:
        """Cancel a waiting or running process that is not part of a workflow."""
        return Call("cancelprocessmsg", {"processid": process_id}, as_none, key=key)

    @operation
    def pause_assignments(self, colony: str, *, key: KeyArg = None) -> Call[None]:
        """Stop handing out processes in a colony. Colony owner only."""
        return Call("pauseassignmentsmsg", {"colonyname": colony}, as_none, key=key)

    @operation
    def resume_assignments(self, colony: str, *, key: KeyArg = None) -> Call[None]:
        """Resume handing out processes in a colony. Colony owner only."""
        return Call("resumeassignmentsmsg", {"colonyname": colony}, as_none, key=key)

    @operation
    def is_paused(self, colony: str, *, key: KeyArg = None) -> Call[bool]:
        """Whether assignments are paused in a colony."""
        message = {"colonyname": colony}
        decode = as_bool_field("ispaused")
        return Call("getpausestatusmsg", message, decode, key=key, read=True)

    @operation
    def add_attribute(self, attribute: Attribute, *, key: KeyArg = None) -> Call[Attribute]:
        """Attach an attribute to a running process. Assigned executor only."""
        message = {"attribute": attribute.to_wire()}
        return Call("addattributemsg", message, as_model(Attribute), key=key)

    @operation
    def get_attribute(self, attribute_id: str, *, key: KeyArg = None) -> Call[Attribute]:
        """One attribute by ID."""
        message = {"attributeid": attribute_id}
        return Call("getattributemsg", message, as_model(Attribute), key=key, read=True)

    @operation
    def add_log(self, process_id: str, message: str, *, key: KeyArg = None) -> Call[None]:
        """Append a log line to a running process. Assigned executor only."""
        fields = {"processid": process_id, "message": message}
        return Call("addlogmsg", fields, as_none, key=key)

    @operation
    def get_logs(
        self,
        colony: str,
        *,
        process_id: str | None = None,
        executor_name: str | None = None,
        count: int = 100,
        since: int = 0,
        latest: bool = False,
        key: KeyArg = None,
    ) -> Call[list[Log]]:
        """Logs of one process, or of one executor when ``executor_name`` is given.

        ``since`` (Unix nanoseconds) returns newer entries only; ``latest`` the newest
        ``count`` (at most 500).
        """
        message = {
            "colonyname": colony,
            "processid": process_id or "",
            "executorname": executor_name or "",
            "count": count,
            "since": since,
            "latest": latest,
        }
        return Call("getlogsmsg", message, as_list(Log), key=key, read=True)

    @operation
    def search_logs(
        self, colony: str, text: str, days: int = 1, count: int = 100, *, key: KeyArg = None
    ) -> Call[list[Log]]:
        """Logs of the last ``days`` (at most 30) containing ``text``."""
        message = {"colonyname": colony, "text": text, "days": days, "count": count}
        return Call("searchlogsmsg", message, as_list(Log), key=key, read=True)
