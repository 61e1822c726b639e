"""Where the hubs are and how gently to drive them, from ``COLONIES_HOME_*`` variables.

``colonies-sdk run colonies_home:HomeDeviceReconciler`` builds the reconciler without
arguments, so everything a deployment needs must come from the environment (the Helm chart
sets these like any other variable). One table, :data:`HOME_SETTINGS`, of the SDK's own
:class:`~colonies.config.EnvSetting` rows, names every variable; a bad value fails at start-up
with a :class:`~colonies.config.ConfigError` that names the variable (and hides secrets), never
at the first reconcile.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from colonies.config import ConfigError, EnvSetting, parse_optional, parse_port
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


def _url(text: str) -> str | None:
    url = text.strip()
    if url and not url.startswith(("http://", "https://")):
        raise ValueError("expected an http:// or https:// URL")
    return url or None


HOME_SETTINGS: tuple[EnvSetting, ...] = (
    EnvSetting(
        "COLONIES_HOME_MQTT_HOST",
        "mqtt",
        "host",
        parse_optional,
        "Zigbee2MQTT's broker; unset: no zigbee2mqtt backend",
        metavar="HOST",
    ),
    EnvSetting(
        "COLONIES_HOME_MQTT_PORT", "mqtt", "port", parse_port, "broker port (1883)", metavar="PORT"
    ),
    EnvSetting(
        "COLONIES_HOME_MQTT_BASE_TOPIC", "mqtt", "base_topic", str, "Zigbee2MQTT's base_topic"
    ),
    EnvSetting("COLONIES_HOME_MQTT_USERNAME", "mqtt", "username", parse_optional, "broker user"),
    EnvSetting(
        "COLONIES_HOME_MQTT_PASSWORD",
        "mqtt",
        "password",
        parse_optional,
        "broker password",
        secret=True,
    ),
    EnvSetting(
        "COLONIES_HOME_HA_URL",
        "homeassistant",
        "url",
        _url,
        "Home Assistant; unset: no homeassistant backend",
        metavar="URL",
    ),
    EnvSetting(
        "COLONIES_HOME_HA_TOKEN",
        "homeassistant",
        "token",
        parse_optional,
        "Home Assistant long-lived access token",
        secret=True,
    ),
    EnvSetting(
        "COLONIES_HOME_MIN_COMMAND_INTERVAL",
        "limits",
        "min_interval",
        float,
        "seconds between two commands to one device (1.0)",
        metavar="SECONDS",
        minimum=0,
    ),
    EnvSetting(
        "COLONIES_HOME_COMMANDS_PER_SECOND",
        "limits",
        "rate",
        float,
        "commands per second per backend (5)",
        metavar="RATE",
        minimum=0.001,
    ),
    EnvSetting(
        "COLONIES_HOME_COMMAND_BURST",
        "limits",
        "burst",
        int,
        "burst of that rate (5)",
        metavar="COUNT",
        minimum=1,
    ),
)


@dataclass(frozen=True)
class HomeSettings:
    """Everything the home reconciler needs besides the ColonyOS connection; a backend whose
    variables are unset is simply not available. Variables: :data:`HOME_SETTINGS`."""

    mqtt: MqttSettings | None = None
    homeassistant: HomeAssistantSettings | None = None
    limits: SafetyLimits = field(default_factory=SafetyLimits)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> HomeSettings:
        """Read the ``COLONIES_HOME_*`` variables (``os.environ`` by default)."""
        source = os.environ if env is None else env
        sections: dict[str, dict[str, Any]] = {}
        for setting in HOME_SETTINGS:
            text = source.get(setting.env, "")
            if text.strip():
                sections.setdefault(setting.section, {})[setting.name] = setting.convert(text)
        return cls(
            mqtt=_mqtt(sections.get("mqtt", {})),
            homeassistant=_homeassistant(sections.get("homeassistant", {})),
            limits=SafetyLimits(**sections.get("limits", {})),  # bounded by the rows
        )


def _mqtt(values: dict[str, Any]) -> MqttSettings | None:
    if "host" not in values:
        if values:
            named = [s.env for s in HOME_SETTINGS if s.section == "mqtt" and s.name in values]
            raise ConfigError(f"{', '.join(named)} set without COLONIES_HOME_MQTT_HOST")
        return None
    return MqttSettings(**values)


def _homeassistant(values: dict[str, Any]) -> HomeAssistantSettings | None:
    if not values:
        return None
    if "url" not in values or "token" not in values:
        raise ConfigError(
            "COLONIES_HOME_HA_URL and COLONIES_HOME_HA_TOKEN are needed together for the "
            "homeassistant backend"
        )
    return HomeAssistantSettings(**values)
