"""Workflows (process graphs), crons and generators (protocol 3.5-3.7).

Crons and generators carry their workflow as a JSON *string* on the wire; the models expose
a parsed :class:`WorkflowSpec` and write the string back when sent.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer

from colonies.models._base import GoTime, NullableList, WireModel
from colonies.models.process import FunctionSpec, ProcessState

__all__ = [
    "Cron",
    "CronSpec",
    "Generator",
    "GeneratorSpec",
    "ProcessGraph",
    "WorkflowSpec",
]


class WorkflowSpec(WireModel):
    """A set of function specs linked by ``conditions.dependencies`` on node names."""

    colony_name: str = ""
    function_specs: NullableList[FunctionSpec] = []


class ProcessGraph(WireModel):
    """A submitted workflow: its processes, roots and state. ``nodes``/``edges`` are for UIs."""

    process_graph_id: str = ""
    initiator_id: str = ""
    initiator_name: str = ""
    colony_name: str = ""
    root_process_ids: NullableList[str] = []
    state: ProcessState = ProcessState.WAITING
    submission_time: GoTime = None
    start_time: GoTime = None
    end_time: GoTime = None
    process_ids: NullableList[str] = []
    nodes: NullableList[dict[str, Any]] = []
    edges: NullableList[dict[str, Any]] = []


def _parse_workflow_text(value: Any) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return json.loads(value)
    return value


def _workflow_text(value: WorkflowSpec | None) -> str:
    return "" if value is None else json.dumps(value.to_wire(), separators=(",", ":"))


WorkflowText = Annotated[
    WorkflowSpec | None,
    BeforeValidator(_parse_workflow_text),
    PlainSerializer(_workflow_text, return_type=str),
]
"""A workflow spec carried as JSON text on the wire."""


class CronSpec(WireModel):
    """What to send to create a cron: ``interval`` seconds, or ``interval=-1`` with a
    6-field (seconds first) ``cron_expression``."""

    name: str = ""
    colony_name: str = ""
    interval: int = -1
    cron_expression: str = ""
    random: bool = False
    wait_for_prev_process_graph: bool = False
    workflow_spec: WorkflowText = None


class Cron(CronSpec):
    """A cron as stored by the server."""

    cron_id: str = ""
    initiator_id: str = ""
    initiator_name: str = ""
    next_run: GoTime = None
    last_run: GoTime = None
    prev_process_graph_id: str = ""
    checker_period: int = 0


class GeneratorSpec(WireModel):
    """What to send to create a generator: a workflow submitted once ``trigger`` args are
    packed (or ``timeout`` seconds after the first pack when positive)."""

    name: str = ""
    colony_name: str = ""
    workflow_spec: WorkflowText = None
    trigger: int = 1
    timeout: int = -1


class Generator(GeneratorSpec):
    """A generator as stored by the server."""

    generator_id: str = ""
    initiator_id: str = ""
    initiator_name: str = ""
    first_pack: GoTime = None
    last_run: GoTime = None
    queue_size: int = 0
    checker_period: int = 0
