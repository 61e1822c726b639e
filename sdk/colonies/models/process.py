"""Processes and function specs (protocol 3.4, 5 and 9).

:class:`FunctionSpec` defaults to ``max_exec_time=-1`` and ``max_retries=-1``: the server
treats an absent or zero ``maxexectime`` as an already expired deadline and fails the process
about a second after it is assigned (protocol 5.3).
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from pydantic import Field

from colonies.models._base import GoTime, NullableDict, NullableList, WireModel

__all__ = [
    "GPU",
    "Attribute",
    "AttributeType",
    "Conditions",
    "Filesystem",
    "FunctionSpec",
    "Process",
    "ProcessState",
]


class ProcessState(IntEnum):
    """Process and process-graph states; ``ALL`` is only meaningful in remove-all calls."""

    ALL = -1
    WAITING = 0
    RUNNING = 1
    SUCCESS = 2
    FAILED = 3
    CANCELLED = 4


class AttributeType(IntEnum):
    """Kinds of process attributes."""

    IN = 0
    OUT = 1
    ERR = 2
    ENV = 3


class GPU(WireModel):
    """A GPU requirement (conditions) or GPU description (executor hardware)."""

    name: str = ""
    mem: str = ""
    count: int = 0
    node_count: int = 0


class Conditions(WireModel):
    """Where a function may run: colony, executor type, optional names, location and resources."""

    colony_name: str = ""
    executor_names: NullableList[str] = []
    executor_type: str = ""
    location_name: str = ""
    dependencies: NullableList[str] = []
    nodes: int = 0
    cpu: str = ""
    processes: int = 0
    processes_per_node: int = 0
    mem: str = ""
    storage: str = ""
    gpu: GPU = Field(default_factory=GPU)
    walltime: int = 0


class Filesystem(WireModel):
    """Files to sync into the executor's filesystem (``fs`` on the wire)."""

    mount: str = ""
    snapshots: NullableList[Any] = []
    dirs: NullableList[Any] = []


# The pydantic mypy plugin names its extra-field catch-all ``**kwargs``, clashing with the
# ``kwargs`` field; the model itself is fine.
class FunctionSpec(WireModel):  # type: ignore[no-redef]
    """What to run and where. Safe defaults: no execution limit and unlimited retries."""

    node_name: str = ""
    func_name: str = ""
    args: NullableList[Any] = []
    kwargs: NullableDict[str, Any] = {}
    priority: int = 0
    max_wait_time: int = 0
    max_exec_time: int = -1
    max_retries: int = -1
    conditions: Conditions = Field(default_factory=Conditions)
    label: str = ""
    fs: Filesystem = Field(default_factory=Filesystem)
    env: NullableDict[str, str] = {}
    channels: NullableList[str] = []


class Attribute(WireModel):
    """A key/value annotation attached to a process by its executor."""

    attribute_id: str = ""
    target_id: str = ""
    target_colony_name: str = ""
    target_process_graph_id: str = ""
    state: int = 0
    attribute_type: AttributeType = AttributeType.OUT
    key: str = ""
    value: str = ""


class Process(WireModel):
    """A submitted function spec and its execution record.

    ``input``/``output`` are ``in``/``out`` on the wire. Unset times are ``None``.
    """

    process_id: str = ""
    initiator_id: str = ""
    initiator_name: str = ""
    assigned_executor_id: str = ""
    is_assigned: bool = False
    state: ProcessState = ProcessState.WAITING
    priority_time: int = 0
    submission_time: GoTime = None
    start_time: GoTime = None
    end_time: GoTime = None
    wait_deadline: GoTime = None
    exec_deadline: GoTime = None
    retries: int = 0
    attributes: NullableList[Attribute] = []
    spec: FunctionSpec = Field(default_factory=FunctionSpec)
    wait_for_parents: bool = False
    parents: NullableList[str] = []
    children: NullableList[str] = []
    process_graph_id: str = ""
    input: NullableList[Any] = Field(default=[], alias="in")
    output: NullableList[Any] = Field(default=[], alias="out")
    errors: NullableList[str] = []
