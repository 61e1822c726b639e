"""The ``HomeDevice`` reconciler: keeps lights, plugs, climate and covers as their blueprints say.

Built only on the SDK's public runtime API. Each reconcile observes the device through its
backend; the runtime diffs that against the spec and, when something differs (a new spec or a
device changed behind our back), :meth:`HomeDeviceReconciler.apply` sends just the differing
settings, after waiting for its turn under the actuation limits. Hub and device outages are
temporary (retried with backoff, then Degraded); impossible settings are permanent.

Between reconciles the backends announce what they hear (a wall switch, a device leaving or
returning, a broker reconnect); the reconciler maps each device to the blueprints that address
it and hands the runtime their names through ``self.events``. The runtime then reconciles them
under the blueprint's drift policy (``colonies.dev/drift-policy``: correct, hold or adopt).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from colonies.runtime import (
    Diff,
    PermanentError,
    Reconciler,
    Resource,
    RetryPolicy,
    TemporaryError,
)
from colonies_home.backends.base import DeviceBackend, DeviceRef
from colonies_home.backends.events import BackendEvent, DeviceNews
from colonies_home.backends.registry import HomeBackends
from colonies_home.conversions import same_color_temp
from colonies_home.device_index import DeviceIndex
from colonies_home.errors import DeviceOfflineError, HomeBackendError
from colonies_home.model import (
    SETTING_NAMES,
    DeviceReading,
    DeviceSettings,
    HomeDeviceSpec,
    HomeDeviceStatus,
)
from colonies_home.safety import ActuationGuard

T = TypeVar("T")

KIND = "HomeDevice"
EXECUTOR_TYPE = "home-reconciler"


class HomeDeviceReconciler(Reconciler[HomeDeviceSpec, HomeDeviceStatus]):
    """Reconciles ``HomeDevice`` blueprints on every configured backend.

    Without arguments (as ``colonies-sdk run`` builds it) the backends and limits come from
    the ``COLONIES_HOME_*`` variables, see :class:`~colonies_home.settings.HomeSettings`.
    """

    kind = KIND
    executor_type = EXECUTOR_TYPE
    # Hubs come back in seconds or not for a while: a few quick tries, then Degraded until the
    # next trigger or resync tries again.
    retry = RetryPolicy(attempts=4, initial_delay=0.5, max_delay=5.0, jitter=0.25)
    timeout = 45.0

    def __init__(
        self, backends: HomeBackends | None = None, guard: ActuationGuard | None = None
    ) -> None:
        self.backends = backends or HomeBackends()
        self.guard = guard or ActuationGuard(self.backends.settings.limits)
        self.devices = DeviceIndex()

    async def observe(self, resource: Resource[HomeDeviceSpec]) -> HomeDeviceStatus:
        spec = resource.spec
        backend = self._backend(spec)
        self.devices.learn(resource.name, spec.backend, spec.device)
        reading = await self._translated(resource, lambda: backend.read(_ref(spec)))
        return _status(spec, reading, resource.status)

    async def apply(self, resource: Resource[HomeDeviceSpec], diff: Diff) -> HomeDeviceStatus:
        spec = resource.spec
        wanted = {name: getattr(spec, name) for name in diff.fields if name in SETTING_NAMES}
        settings = DeviceSettings.model_validate(wanted)
        backend = self._backend(spec)
        await self.guard.turn(spec.backend.value, spec.device)
        reading = await self._translated(resource, lambda: backend.send(_ref(spec), settings))
        return _status(spec, reading, resource.status)

    async def cleanup(self, name: str) -> None:
        """Forget which device ``name`` drove (async: the index lives on the event loop)."""
        self.devices.forget(name)

    async def shutdown(self) -> None:
        await self.backends.aclose()

    def _backend(self, spec: HomeDeviceSpec) -> DeviceBackend:
        try:
            backend = self.backends.get(spec.backend)
        except HomeBackendError as exc:
            raise PermanentError(str(exc)) from exc
        backend.events.listen(self._heard)
        return backend

    async def _translated(
        self, resource: Resource[HomeDeviceSpec], call: Callable[[], Awaitable[T]]
    ) -> T:
        """Backend errors as the runtime's temporary/permanent errors; a device the hub reports
        offline is also reported unavailable, so the runtime waits for its return instead of
        retrying (the hub announces the return)."""
        try:
            return await call()
        except DeviceOfflineError as exc:
            self.events.unavailable(resource.name, source=resource.spec.backend.value)
            raise TemporaryError(str(exc)) from exc
        except HomeBackendError as exc:
            if exc.retryable:
                raise TemporaryError(str(exc)) from exc
            raise PermanentError(str(exc)) from exc

    def _heard(self, event: BackendEvent) -> None:
        """A backend's announcement, passed on as the names of the blueprints it concerns."""
        source = event.backend.value
        if event.news is DeviceNews.RECONNECTED:
            self.events.reconnected(source=source)
            return
        for name in self.devices.blueprints(event.backend, event.device):
            if event.news is DeviceNews.CHANGED:
                self.events.changed(name, source=source)
            elif event.news is DeviceNews.AVAILABLE:
                self.events.available(name, source=source)
            else:
                self.events.unavailable(name, source=source)


def _ref(spec: HomeDeviceSpec) -> DeviceRef:
    return DeviceRef(spec.device, spec.type)


def _status(
    spec: HomeDeviceSpec, reading: DeviceReading, previous: dict[str, Any] | None
) -> HomeDeviceStatus:
    """The status for ``reading``: colour temperature in the spec's terms when the device holds
    it at its resolution, and ``observed_at`` kept while the device state is unchanged (so a
    converged resync writes nothing)."""
    values = reading.model_dump()
    observed_kelvin = reading.color_temp_kelvin
    desired_kelvin = spec.color_temp_kelvin
    if observed_kelvin and desired_kelvin and same_color_temp(observed_kelvin, desired_kelvin):
        values["color_temp_kelvin"] = desired_kelvin
    now = datetime.now(UTC).replace(microsecond=0)
    status = HomeDeviceStatus.model_validate({**values, "observed_at": now})
    if previous and previous.get("observed_at"):
        device_fields = status.model_dump(mode="json", exclude={"observed_at"})
        if all(previous.get(key) == value for key, value in device_fields.items()):
            status.observed_at = HomeDeviceStatus.model_validate(
                {**values, "observed_at": previous["observed_at"]}
            ).observed_at
    return status
