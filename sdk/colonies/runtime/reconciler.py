"""The base class users subclass: one reconciler per blueprint kind.

A reconciler only knows its device: ``observe`` reads the real state, ``apply`` changes it,
``cleanup`` forgets a removed blueprint. Everything ColonyOS-shaped (processes, status,
retries, coalescing) is the runtime's job. Each method may be ``async def`` or plain
``def``; plain ones run in a worker thread so they cannot stall the event loop.
"""

from __future__ import annotations

import asyncio
import inspect
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, get_args, get_origin, overload

from pydantic import BaseModel

from colonies.runtime.drift import DriftPolicy, parse_hold_period, parse_policy
from colonies.runtime.errors import ConfigurationError
from colonies.runtime.events import EventSink
from colonies.runtime.retry import RetryPolicy

if TYPE_CHECKING:
    from colonies.runtime.diff import Diff
    from colonies.runtime.resource import Resource

SpecT = TypeVar("SpecT", bound=BaseModel)
StatusT = TypeVar("StatusT", bound=BaseModel)
T = TypeVar("T")

RESERVED_STATUS_FIELDS = frozenset(
    {"observedGeneration", "conditions", "lastReconcileTime", "lastError"}
)
"""Status keys the runtime writes itself; a status model must not use them."""


class Reconciler(ABC, Generic[SpecT, StatusT]):
    """Subclass as ``class Light(Reconciler[LightSpec, LightStatus])`` and set ``kind``.

    Class attributes tune the runtime for this kind: ``executor_type`` (default
    ``"<kind>-reconciler"``), ``location`` (serve only blueprints there), ``retry``,
    ``timeout`` (seconds per attempt of observe+apply) and ``resync_interval`` (recorded in
    the blueprint definition; v1.9.12 servers always resync every 60 s).

    Reacting to the device (docs/runtime.md): ``observe_interval`` polls each blueprint this
    replica handles that many seconds after its last reconcile (``None``: only events and
    the server's resync); ``drift_policy`` (``"correct"``, ``"hold"``, ``"adopt"``) and
    ``hold_period`` decide what a change the runtime did not make gets. ``self.events`` is
    the :class:`EventSink` the device listeners call.
    """

    kind: ClassVar[str] = ""
    executor_type: ClassVar[str | None] = None
    location: ClassVar[str | None] = None
    retry: ClassVar[RetryPolicy] = RetryPolicy()
    timeout: ClassVar[float] = 60.0
    resync_interval: ClassVar[int] = 60
    definition_name: ClassVar[str | None] = None
    group: ClassVar[str] = "colonies.dev"
    version: ClassVar[str] = "v1"
    observe_interval: ClassVar[float | None] = None
    drift_policy: ClassVar[DriftPolicy | str] = DriftPolicy.CORRECT
    hold_period: ClassVar[float] = 600.0
    spec_model: ClassVar[type[BaseModel]]
    status_model: ClassVar[type[BaseModel]]
    events: EventSink = EventSink()
    """Set by the runtime before ``startup()``; a detached sink (events dropped) until then."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for base in getattr(cls, "__orig_bases__", ()):
            if get_origin(base) is Reconciler:
                spec, status = get_args(base)
                if isinstance(spec, type) and issubclass(spec, BaseModel):
                    cls.spec_model = spec
                if isinstance(status, type) and issubclass(status, BaseModel):
                    cls.status_model = status

    # -- what a reconciler implements -------------------------------------------------

    @abstractmethod
    def observe(self, resource: Resource[SpecT]) -> StatusT | Awaitable[StatusT]:
        """Read the device's real state. Called on every trigger and resync."""

    @abstractmethod
    def apply(
        self, resource: Resource[SpecT], diff: Diff
    ) -> StatusT | Awaitable[StatusT | None] | None:
        """Change the device so the fields in ``diff`` match the spec.

        Return the new observed status, or ``None`` to have the runtime observe again.
        Called only when ``diff`` is non-empty.
        """

    def cleanup(self, name: str) -> Awaitable[None] | None:
        """Forget the device state of a removed blueprint. Gets only the name (the server
        keeps no copy of the deleted spec); must be idempotent. Default: nothing to do."""
        return None

    def startup(self) -> Awaitable[None] | None:
        """Open connections (MQTT, HTTP sessions) before the first reconcile."""
        return None

    def shutdown(self) -> Awaitable[None] | None:
        """Close what ``startup`` opened; called after the last reconcile finished."""
        return None

    # -- derived names ------------------------------------------------------------------

    @classmethod
    def resolved_executor_type(cls) -> str:
        """The executor type processes for this kind are addressed to."""
        return cls.executor_type or f"{cls.kind.lower()}-reconciler"

    @classmethod
    def resolved_definition_name(cls) -> str:
        """The blueprint definition's ``metadata.name`` (unique per colony)."""
        return cls.definition_name or cls.kind.lower()

    @classmethod
    def check_class(cls) -> None:
        """Fail early, with a readable message, on a reconciler that cannot work."""
        name = cls.__name__
        if not cls.kind:
            raise ConfigurationError(
                f"{name}.kind is not set: name the blueprint kind it reconciles"
            )
        for attribute in ("spec_model", "status_model"):
            model = getattr(cls, attribute, None)
            if not (isinstance(model, type) and issubclass(model, BaseModel)):
                raise ConfigurationError(
                    f"{name}.{attribute} is unknown: subclass Reconciler[SpecModel, StatusModel] "
                    "with pydantic models, or set it explicitly"
                )
        clashes = sorted(
            RESERVED_STATUS_FIELDS
            & {field.alias or key for key, field in cls.status_model.model_fields.items()}
        )
        if clashes:
            raise ConfigurationError(f"{name}.status_model uses fields the runtime owns: {clashes}")
        if cls.timeout <= 0:
            raise ConfigurationError(f"{name}.timeout must be positive")
        interval = cls.observe_interval
        if interval is not None and not interval > 0:
            raise ConfigurationError(
                f"{name}.observe_interval must be a positive number of seconds, or None to rely "
                "on events and the server's resync"
            )
        try:
            parse_policy(cls.drift_policy, f"{name}.drift_policy")
            parse_hold_period(cls.hold_period, f"{name}.hold_period")
        except ValueError as error:
            raise ConfigurationError(str(error)) from None


@overload
async def call_user_code(method: Callable[..., Awaitable[T]], *args: Any) -> T: ...


@overload
async def call_user_code(method: Callable[..., T | Awaitable[T]], *args: Any) -> T: ...


async def call_user_code(method: Callable[..., Any], *args: Any) -> Any:
    """Run a reconciler method: await coroutine functions, run plain functions in a thread."""
    if inspect.iscoroutinefunction(method):
        return await method(*args)
    result = await asyncio.to_thread(method, *args)
    if inspect.isawaitable(result):
        return await result
    return result
