"""What an assigned process asks for (protocol 7.7), decided from its function and kwargs,
and the device events that ask for a reconcile without a process (see ``events.py``).

A trigger only says *which* blueprint; the reconcile always reads the current blueprint.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from colonies.models import Process

RECONCILE_FUNCTION = "reconcile"
CLEANUP_FUNCTION = "cleanup"


@dataclass(frozen=True)
class Targeted:
    """``{kind, blueprintName[, force]}``: an add, a spec change or a reconcile request."""

    name: str
    force: bool = False


@dataclass(frozen=True)
class Resync:
    """``{kind}`` only: the kind's cron fired; reconcile every blueprint at ``location``."""

    location: str | None


@dataclass(frozen=True)
class Cleanup:
    """A blueprint was removed: forget its device state (by name only)."""

    name: str


@dataclass(frozen=True)
class Unsupported:
    """Not ours to run: the process fails with ``reason``."""

    reason: str


Trigger = Targeted | Resync | Cleanup | Unsupported


@dataclass(frozen=True)
class DeviceChanged:
    """A device reported a state: reconcile ``name`` even if its generation is recorded.

    ``received`` (``time.monotonic()``) starts the drift-to-correction clock.
    """

    name: str
    source: str
    received: float


@dataclass(frozen=True)
class AvailabilityChanged:
    """A device went away (no commands until it returns) or came back (reconcile now)."""

    name: str
    source: str
    available: bool
    received: float


@dataclass(frozen=True)
class Reconnected:
    """A broker or hub connection is back: reconcile every blueprint this replica handles."""

    source: str
    received: float


SHARD_ENTRY = "shard"
"""The source of a :class:`Requeued` look at a blueprint new to this replica's shard."""


@dataclass(frozen=True)
class Requeued:
    """The runtime's own look: a requeue-after or the end of a ``hold`` (``source``
    ``"requeue"``), an ``observe_interval`` poll (``"poll"``), or a blueprint new to this
    replica's shard (``"shard"``)."""

    name: str
    source: str
    received: float
    document: Mapping[str, Any] | None = field(default=None, compare=False)
    """For a shard-entry look: the blueprint as the membership refresh listed it."""


BlueprintEvent = DeviceChanged | AvailabilityChanged | Requeued
"""An event about one blueprint: reconciled by this runtime, not through a process."""
DeviceEvent = BlueprintEvent | Reconnected


def shard_entry(event: BlueprintEvent | None) -> Requeued | None:
    """``event`` if it is a replica's first look at a blueprint new to its shard."""
    if isinstance(event, Requeued) and event.source == SHARD_ENTRY:
        return event
    return None


def classify(process: Process, kind: str) -> Trigger:
    """Decide what ``process`` asks a reconciler of ``kind`` to do."""
    spec = process.spec
    kwargs = spec.kwargs
    function = spec.func_name
    if function not in (RECONCILE_FUNCTION, CLEANUP_FUNCTION):
        return Unsupported(
            f"unsupported function {function!r}: a {kind} reconciler runs "
            f"{RECONCILE_FUNCTION!r} and {CLEANUP_FUNCTION!r}"
        )
    process_kind = kwargs.get("kind")
    if process_kind != kind:
        return Unsupported(
            f"process is for kind {process_kind!r}; this runtime reconciles {kind!r}"
        )
    name = kwargs.get("blueprintName")
    if function == CLEANUP_FUNCTION:
        if not isinstance(name, str):
            return Unsupported("cleanup process without a blueprintName")
        return Cleanup(name)
    if name is None:
        return Resync(spec.conditions.location_name or None)
    if not isinstance(name, str):
        return Unsupported(f"blueprintName must be a string, got {type(name).__name__}")
    return Targeted(name, force=kwargs.get("force") is True)
