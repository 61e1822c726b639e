"""Typed models of every object the ColonyOS server exchanges (protocol section 9).

Attributes are snake_case; the wire names are aliases, so ``Model.model_validate(reply)``
accepts server JSON and :meth:`WireModel.to_wire` produces it. Unknown fields survive a
read-modify-write, Go zero times are ``None`` and ``null`` lists are ``[]``.
"""

from colonies.models._base import GO_ZERO_TIME, GoTime, WireModel, format_go_time, parse_go_time
from colonies.models.blueprint import (
    Blueprint,
    BlueprintDefinition,
    BlueprintDefinitionSpec,
    BlueprintHandler,
    BlueprintHistory,
    BlueprintMetadata,
    BlueprintNames,
)
from colonies.models.channels import ChannelMessage
from colonies.models.files import File, FileLabel, FileReference, FileSummary, S3Object
from colonies.models.identity import (
    Capabilities,
    Colony,
    Executor,
    ExecutorState,
    Hardware,
    Location,
    Software,
    User,
)
from colonies.models.logs import Function, FunctionArg, Log
from colonies.models.process import (
    GPU,
    Attribute,
    AttributeType,
    Conditions,
    Filesystem,
    FunctionSpec,
    Process,
    ProcessState,
)
from colonies.models.server import Backend, Cluster, ClusterNode, ServerInfo, Statistics, Version
from colonies.models.workflow import (
    Cron,
    CronSpec,
    Generator,
    GeneratorSpec,
    ProcessGraph,
    WorkflowSpec,
)

__all__ = [
    "GO_ZERO_TIME",
    "GPU",
    "Attribute",
    "AttributeType",
    "Backend",
    "Blueprint",
    "BlueprintDefinition",
    "BlueprintDefinitionSpec",
    "BlueprintHandler",
    "BlueprintHistory",
    "BlueprintMetadata",
    "BlueprintNames",
    "Capabilities",
    "ChannelMessage",
    "Cluster",
    "ClusterNode",
    "Colony",
    "Conditions",
    "Cron",
    "CronSpec",
    "Executor",
    "ExecutorState",
    "File",
    "FileLabel",
    "FileReference",
    "FileSummary",
    "Filesystem",
    "Function",
    "FunctionArg",
    "FunctionSpec",
    "Generator",
    "GeneratorSpec",
    "GoTime",
    "Hardware",
    "Location",
    "Log",
    "Process",
    "ProcessGraph",
    "ProcessState",
    "S3Object",
    "ServerInfo",
    "Software",
    "Statistics",
    "User",
    "Version",
    "WireModel",
    "WorkflowSpec",
    "format_go_time",
    "parse_go_time",
]
