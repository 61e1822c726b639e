"""Process logs and registered functions (protocol 3.8)."""

from __future__ import annotations

from datetime import UTC, datetime

from colonies.models._base import NullableList, WireModel

__all__ = ["Function", "FunctionArg", "Log"]


class Log(WireModel):
    """A log line written by the executor of a process. ``timestamp`` is Unix nanoseconds."""

    process_id: str = ""
    colony_name: str = ""
    executor_name: str = ""
    message: str = ""
    timestamp: int = 0

    @property
    def time(self) -> datetime:
        """``timestamp`` as an aware UTC datetime (microsecond precision)."""
        return datetime.fromtimestamp(self.timestamp / 1e9, tz=UTC)


class FunctionArg(WireModel):
    """A declared argument of a registered function."""

    name: str = ""
    type: str = ""


class Function(WireModel):
    """A function an executor declares it can run, with the server's run statistics."""

    function_id: str = ""
    executor_name: str = ""
    executor_type: str = ""
    colony_name: str = ""
    location_name: str = ""
    func_name: str = ""
    description: str = ""
    args: NullableList[FunctionArg] = []
    counter: int = 0
    min_wait_time: float = 0.0
    max_wait_time: float = 0.0
    min_exec_time: float = 0.0
    max_exec_time: float = 0.0
    avg_wait_time: float = 0.0
    avg_exec_time: float = 0.0
