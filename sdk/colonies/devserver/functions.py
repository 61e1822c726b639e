"""Functions registered by executors (protocol 3.8) and their run statistics.

A function row (table ``functions``) is the server's Function JSON. Closing a process
successfully updates the statistics of the function its executor registered under the
process's ``funcname``; unregistering an executor removes its functions (protocol 3.2).
"""

from __future__ import annotations

from typing import Any

from colonies.devserver import auth, events
from colonies.devserver.call import Call
from colonies.devserver.errors import ApiError
from colonies.devserver.processes import PROCESS_CHANGED, SUCCESS, colony_of
from colonies.devserver.registry import listener, null_if_empty, rpc
from colonies.devserver.specs import SpecError, go_list, go_str
from colonies.devserver.state import ServerState
from colonies.devserver.store import Row
from colonies.devserver.timefmt import parse_time

__all__ = ["FUNCTIONS", "registers_function", "updated_statistics"]

FUNCTIONS = "functions"  # key: functionid
_STATS = ("minwaittime", "maxwaittime", "minexectime", "maxexectime", "avgwaittime", "avgexectime")


def _function_row(state: ServerState, raw: dict[str, Any]) -> Row:
    """The Function struct as stored: empty ``description``/``args``/``locationname`` are
    left out, statistics start at zero."""
    try:
        row: Row = {
            "functionid": go_str(raw, "functionid") or state.new_id(),
            "executorname": go_str(raw, "executorname"),
            "executortype": go_str(raw, "executortype"),
            "colonyname": go_str(raw, "colonyname"),
            "funcname": go_str(raw, "funcname"),
        }
        optional = {
            "locationname": go_str(raw, "locationname"),
            "description": go_str(raw, "description"),
            "args": go_list(raw, "args"),
        }
    except SpecError:
        raise ApiError(400, "Failed to add function, invalid JSON") from None
    row.update({key: value for key, value in optional.items() if value})
    row["counter"] = 0
    row.update(dict.fromkeys(_STATS, 0))
    return row


def updated_statistics(function: Row, waiting: float, processing: float) -> Row:
    """The server's running statistics after one more successful run."""

    def low(old: float, new: float) -> float:
        return min(old, new) if old > 0 else new

    def high(old: float, new: float) -> float:
        return max(old, new) if old > 0 else new

    def mean(old: float, new: float) -> float:
        return (old + new) / 2 if old > 0 else new

    return {
        **function,
        "counter": int(function["counter"]) + 1,
        "minwaittime": low(function["minwaittime"], waiting),
        "maxwaittime": high(function["maxwaittime"], waiting),
        "minexectime": low(function["minexectime"], processing),
        "maxexectime": high(function["maxexectime"], processing),
        "avgwaittime": mean(function["avgwaittime"], waiting),
        "avgexectime": mean(function["avgexectime"], processing),
    }


def _functions_of(state: ServerState, colony: str, executor_name: str = "") -> list[Row]:
    return [
        f
        for f in state.table(FUNCTIONS).values()
        if f["colonyname"] == colony and executor_name in ("", f["executorname"])
    ]


def registers_function(state: ServerState, process: Row) -> bool:
    """Whether the process's assigned executor registered a function of its name (the real
    server then re-reads the process before publishing a successful close)."""
    colony = colony_of(process)
    executor = state.executor_by_id(process["assignedexecutorid"], colony)
    if executor is None:
        return False
    return any(
        f["funcname"] == process["spec"]["funcname"]
        for f in _functions_of(state, colony, str(executor["executorname"]))
    )


@listener(PROCESS_CHANGED)
def _on_process_changed(state: ServerState, process: Row) -> None:
    if process["state"] != SUCCESS or not process["assignedexecutorid"]:
        return
    colony = colony_of(process)
    executor = state.executor_by_id(process["assignedexecutorid"], colony)
    submitted, started, ended = (
        parse_time(process[name]) for name in ("submissiontime", "starttime", "endtime")
    )
    if executor is None or submitted is None or started is None or ended is None:
        return
    for function in _functions_of(state, colony, str(executor["executorname"])):
        if function["funcname"] == process["spec"]["funcname"]:
            updated = updated_statistics(
                function,
                (started - submitted).total_seconds(),
                (ended - started).total_seconds(),
            )
            state.table(FUNCTIONS).put(function["functionid"], updated)


@listener(events.EXECUTOR_UNREGISTERED)
def _on_executor_unregistered(state: ServerState, executor: Row) -> None:
    for function in _functions_of(
        state, str(executor.get("colonyname", "")), str(executor.get("executorname", ""))
    ):
        state.table(FUNCTIONS).delete(function["functionid"])


@rpc("addfunctionmsg", "Failed to add function")
def add_function(call: Call) -> Row:
    raw = call.obj("fun")
    if raw is None:
        raise ApiError(400, "Failed to add function, msg.Function is nil")
    function = _function_row(call.state, raw)
    colony, name = function["colonyname"], function["executorname"]
    auth.require_member(call, colony)
    executor = call.state.executor(colony, name)
    if executor is None:
        raise ApiError(400, f"Failed to add function, Executor with name <{name}> does not exist")
    if executor["executorid"] != call.signer_id:
        raise ApiError(403, "Not allowed to add a function to another executor")
    call.state.table(FUNCTIONS).put(function["functionid"], function)
    return function


@rpc("getfunctionsmsg", "Failed to get function")
def get_functions(call: Call) -> Any:
    colony, executor_name = call.str("colonyname"), call.str("executorname")
    auth.require_member(call, colony)
    return null_if_empty(_functions_of(call.state, colony, executor_name))


@rpc("removefunctionmsg", "Failed to remove function")
def remove_function(call: Call) -> None:
    function_id = call.str("functionid")
    if not function_id:
        raise ApiError(400, "Failed to remove function, msg.FunctionID is empty")
    function = call.state.table(FUNCTIONS).get(function_id)
    if function is None:
        raise ApiError(400, "Failed to remove function, function does not exist")
    auth.require_member(call, function["colonyname"])
    executor = call.state.executor(function["colonyname"], function["executorname"])
    if executor is None or executor["executorid"] != call.signer_id:
        raise ApiError(403, "Not allowed to remove a function from another executor")
    call.state.table(FUNCTIONS).delete(function_id)
