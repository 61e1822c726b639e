"""The reconciler runtime: what Kopf and controller-runtime are for Kubernetes, for ColonyOS
blueprints. Subclass :class:`Reconciler`, then ``colonies-sdk run module:Class``.
See docs/runtime.md for semantics and guarantees."""

from colonies.runtime.diff import Change, Diff, compute_diff
from colonies.runtime.drift import DriftPolicy
from colonies.runtime.errors import (
    ConfigurationError,
    PermanentError,
    ReconcileError,
    TemporaryError,
)
from colonies.runtime.events import EventSink
from colonies.runtime.metrics import RuntimeMetrics
from colonies.runtime.reconciler import Reconciler
from colonies.runtime.resource import Resource
from colonies.runtime.retry import RetryPolicy
from colonies.runtime.runtime import Runtime
from colonies.runtime.schema import blueprint_schema
from colonies.runtime.settings import (
    ConnectionSettings,
    HttpSettings,
    IdentitySettings,
    LogSettings,
    Settings,
    WorkerSettings,
)
from colonies.runtime.status import Phase

__all__ = [
    "Change",
    "ConfigurationError",
    "ConnectionSettings",
    "Diff",
    "DriftPolicy",
    "EventSink",
    "HttpSettings",
    "IdentitySettings",
    "LogSettings",
    "PermanentError",
    "Phase",
    "ReconcileError",
    "Reconciler",
    "Resource",
    "RetryPolicy",
    "Runtime",
    "RuntimeMetrics",
    "Settings",
    "TemporaryError",
    "WorkerSettings",
    "blueprint_schema",
    "compute_diff",
]
