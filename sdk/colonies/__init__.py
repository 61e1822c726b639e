"""colonies: a typed ColonyOS client, an embedded dev server and a blueprint reconciler runtime.

    from colonies import ColoniesClient, AsyncColoniesClient, Reconciler, DevServer

Names are loaded on first use (PEP 562), so ``import colonies`` stays cheap and a script
that only signs requests never imports the runtime or the dev server.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from colonies.crypto import PrivateKey, derive_id, generate_private_key
from colonies.errors import (
    ColoniesConnectionError,
    ColoniesError,
    ColoniesTimeoutError,
    ColoniesTLSError,
    ConflictError,
    ForbiddenError,
    InvalidRequestError,
    NotFoundError,
    ProtocolError,
    ServerError,
)

if TYPE_CHECKING:
    from colonies.client import AsyncColoniesClient, ClientConfig, ColoniesClient
    from colonies.devserver import DevServer, DevServerSettings
    from colonies.models import (
        Attribute,
        AttributeType,
        Blueprint,
        BlueprintDefinition,
        BlueprintDefinitionSpec,
        BlueprintHandler,
        BlueprintHistory,
        BlueprintMetadata,
        BlueprintNames,
        ChannelMessage,
        Colony,
        Conditions,
        Cron,
        CronSpec,
        Executor,
        ExecutorState,
        FunctionSpec,
        Generator,
        GeneratorSpec,
        Location,
        Log,
        Process,
        ProcessGraph,
        ProcessState,
        Statistics,
        User,
        WorkflowSpec,
    )
    from colonies.runtime import (
        Change,
        Diff,
        PermanentError,
        Reconciler,
        Resource,
        RetryPolicy,
        Runtime,
        Settings,
        TemporaryError,
    )

__version__ = "0.1.0"

_LAZY: dict[str, str] = {
    "AsyncColoniesClient": "colonies.client",
    "ClientConfig": "colonies.client",
    "ColoniesClient": "colonies.client",
    "DevServer": "colonies.devserver",
    "DevServerSettings": "colonies.devserver",
    **dict.fromkeys(
        (
            "Attribute",
            "AttributeType",
            "Blueprint",
            "BlueprintDefinition",
            "BlueprintDefinitionSpec",
            "BlueprintHandler",
            "BlueprintHistory",
            "BlueprintMetadata",
            "BlueprintNames",
            "ChannelMessage",
            "Colony",
            "Conditions",
            "Cron",
            "CronSpec",
            "Executor",
            "ExecutorState",
            "FunctionSpec",
            "Generator",
            "GeneratorSpec",
            "Location",
            "Log",
            "Process",
            "ProcessGraph",
            "ProcessState",
            "Statistics",
            "User",
            "WorkflowSpec",
        ),
        "colonies.models",
    ),
    **dict.fromkeys(
        (
            "Change",
            "Diff",
            "PermanentError",
            "Reconciler",
            "Resource",
            "RetryPolicy",
            "Runtime",
            "Settings",
            "TemporaryError",
        ),
        "colonies.runtime",
    ),
}

__all__ = [
    "AsyncColoniesClient",
    "Attribute",
    "AttributeType",
    "Blueprint",
    "BlueprintDefinition",
    "BlueprintDefinitionSpec",
    "BlueprintHandler",
    "BlueprintHistory",
    "BlueprintMetadata",
    "BlueprintNames",
    "Change",
    "ChannelMessage",
    "ClientConfig",
    "ColoniesClient",
    "ColoniesConnectionError",
    "ColoniesError",
    "ColoniesTLSError",
    "ColoniesTimeoutError",
    "Colony",
    "Conditions",
    "ConflictError",
    "Cron",
    "CronSpec",
    "DevServer",
    "DevServerSettings",
    "Diff",
    "Executor",
    "ExecutorState",
    "ForbiddenError",
    "FunctionSpec",
    "Generator",
    "GeneratorSpec",
    "InvalidRequestError",
    "Location",
    "Log",
    "NotFoundError",
    "PermanentError",
    "PrivateKey",
    "Process",
    "ProcessGraph",
    "ProcessState",
    "ProtocolError",
    "Reconciler",
    "Resource",
    "RetryPolicy",
    "Runtime",
    "ServerError",
    "Settings",
    "Statistics",
    "TemporaryError",
    "User",
    "WorkflowSpec",
    "__version__",
    "derive_id",
    "generate_private_key",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'colonies' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
