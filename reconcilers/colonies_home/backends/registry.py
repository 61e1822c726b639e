"""The backends one reconciler drives, created on first use from :class:`HomeSettings`.

Lazily, so a deployment that only has Home Assistant never needs a broker, and a blueprint
naming an unconfigured backend fails with the variable to set rather than at start-up.
"""

from __future__ import annotations

from collections.abc import Mapping

from colonies_home.backends.base import DeviceBackend
from colonies_home.backends.simulated import SimulatedBackend, SimulatedHome
from colonies_home.errors import BackendNotConfiguredError
from colonies_home.model import BackendKind
from colonies_home.settings import HomeSettings


class HomeBackends:
    """Backend instances by kind; pass ``backends`` to use ready-made ones (tests, the demo)."""

    def __init__(
        self,
        settings: HomeSettings | None = None,
        *,
        backends: Mapping[BackendKind, DeviceBackend] | None = None,
        simulated_home: SimulatedHome | None = None,
    ) -> None:
        self.settings = settings or HomeSettings.from_env()
        self._backends: dict[BackendKind, DeviceBackend] = dict(backends or {})
        self._simulated_home = simulated_home

    def get(self, kind: BackendKind) -> DeviceBackend:
        """The backend for ``kind``, created now if needed."""
        backend = self._backends.get(kind)
        if backend is None:
            backend = self._create(kind)
            self._backends[kind] = backend
        return backend

    async def aclose(self) -> None:
        """Close every backend created or handed in."""
        for backend in self._backends.values():
            await backend.aclose()
        self._backends.clear()

    def _create(self, kind: BackendKind) -> DeviceBackend:
        if kind is BackendKind.SIMULATED:
            return SimulatedBackend(self._simulated_home)
        if kind is BackendKind.ZIGBEE2MQTT:
            mqtt = self.settings.mqtt
            if mqtt is None:
                raise BackendNotConfiguredError(
                    "backend zigbee2mqtt is not configured: set COLONIES_HOME_MQTT_HOST"
                )
            from colonies_home.backends.zigbee2mqtt import Zigbee2MqttBackend

            return Zigbee2MqttBackend(
                mqtt.host,
                mqtt.port,
                base_topic=mqtt.base_topic,
                username=mqtt.username,
                password=mqtt.password,
            )
        ha = self.settings.homeassistant
        if ha is None:
            raise BackendNotConfiguredError(
                "backend homeassistant is not configured: set COLONIES_HOME_HA_URL and "
                "COLONIES_HOME_HA_TOKEN"
            )
        from colonies_home.backends.homeassistant import HomeAssistantBackend

        return HomeAssistantBackend(ha.url, ha.token)
