"""Where the hubs are and how gently to drive them, from ``COLONIES_HOME_*`` variables.

``colonies-sdk run colonies_home:HomeDeviceReconciler`` builds the reconciler without
arguments, so everything a deployment needs must come from the environment (the Helm chart
sets these like any other variable).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from colonies_home.safety import SafetyLimits


@dataclass(frozen=True)
class MqttSettings:
    """The broker Zigbee2MQTT publishes on."""

    host: str
    port: int = 1883
    base_topic: str = "zigbee2mqtt"
    username: str | None = None
    password: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class HomeAssistantSettings:
    """A Home Assistant instance and a long-lived access token."""

    url: str
    token: str = field(repr=False)


@dataclass(frozen=True)
class HomeSettings:
    """Everything the home reconciler needs besides the ColonyOS connection.

    Variables: ``COLONIES_HOME_MQTT_HOST``, ``_MQTT_PORT``, ``_MQTT_BASE_TOPIC``,
    ``_MQTT_USERNAME``, ``_MQTT_PASSWORD``; ``COLONIES_HOME_HA_URL``, ``_HA_TOKEN``;
    ``COLONIES_HOME_MIN_COMMAND_INTERVAL`` (s), ``_COMMANDS_PER_SECOND``, ``_COMMAND_BURST``.
    A backend whose variables are unset is simply not available.
    """

    mqtt: MqttSettings | None = None
    homeassistant: HomeAssistantSettings | None = None
    limits: SafetyLimits = field(default_factory=SafetyLimits)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> HomeSettings:
        """Read the ``COLONIES_HOME_*`` variables (``os.environ`` by default)."""
        source = os.environ if env is None else env

        def get(name: str) -> str | None:
            return source.get(f"COLONIES_HOME_{name}") or None

        mqtt = None
        if host := get("MQTT_HOST"):
            mqtt = MqttSettings(
                host=host,
                port=int(get("MQTT_PORT") or 1883),
                base_topic=get("MQTT_BASE_TOPIC") or "zigbee2mqtt",
                username=get("MQTT_USERNAME"),
                password=get("MQTT_PASSWORD"),
            )
        homeassistant = None
        if url := get("HA_URL"):
            homeassistant = HomeAssistantSettings(url=url, token=get("HA_TOKEN") or "")
        defaults = SafetyLimits()
        limits = SafetyLimits(
            min_interval=float(get("MIN_COMMAND_INTERVAL") or defaults.min_interval),
            rate=float(get("COMMANDS_PER_SECOND") or defaults.rate),
            burst=int(get("COMMAND_BURST") or defaults.burst),
        )
        return cls(mqtt=mqtt, homeassistant=homeassistant, limits=limits)
