"""Where the hubs are and how gently to drive them, from ``COLONIES_HOME_*`` variables.

``colonies-sdk run colonies_home:HomeDeviceReconciler`` builds the reconciler without
arguments, so everything a deployment needs must come from the environment (the Helm chart
sets these like any other variable). One table, :data:`HOME_SETTINGS`, in the shape of the
runtime's ``ENV_SETTINGS``, names every variable; a bad value fails at start-up with a
:class:`~colonies.runtime.errors.ConfigurationError` that names the variable (and hides
secrets), never at the first reconcile.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from colonies.runtime.errors import ConfigurationError
from colonies.runtime.settings import EnvSetting
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


def _text(text: str) -> str | None:
    return text.strip() or None


def _port(text: str) -> int:
    port = int(text)
    if not 0 < port < 65536:
        raise ValueError("expected a port, 1-65535")
    return port


def _url(text: str) -> str | None:
    url = text.strip()
    if url and not url.startswith(("http://", "https://")):
        raise ValueError("expected an http:// or https:// URL")
    return url or None


HOME_SETTINGS: tuple[EnvSetting, ...] = (
    EnvSetting(
        "COLONIES_HOME_MQTT_HOST", "mqtt", "host", _text, "Zigbee2MQTT's broker; unset: no backend"
    ),
    EnvSetting("COLONIES_HOME_MQTT_PORT", "mqtt", "port", _port, "broker port (1883)"),
    EnvSetting(
        "COLONIES_HOME_MQTT_BASE_TOPIC", "mqtt", "base_topic", str, "Zigbee2MQTT's base_topic"
    ),
    EnvSetting("COLONIES_HOME_MQTT_USERNAME", "mqtt", "username", _text, "broker user"),
    EnvSetting(
        "COLONIES_HOME_MQTT_PASSWORD", "mqtt", "password", _text, "broker password", secret=True
    ),
    EnvSetting(
        "COLONIES_HOME_HA_URL", "homeassistant", "url", _url, "Home Assistant; unset: no backend"
    ),
    EnvSetting(
        "COLONIES_HOME_HA_TOKEN",
        "homeassistant",
        "token",
        _text,
        "Home Assistant long-lived access token",
        secret=True,
    ),
    EnvSetting(
        "COLONIES_HOME_MIN_COMMAND_INTERVAL",
        "limits",
        "min_interval",
        float,
        "seconds between two commands to one device (1.0)",
    ),
    EnvSetting("COLONIES_HOME_COMMANDS_PER_SECOND", "limits", "rate", float, "per backend (5)"),
    EnvSetting("COLONIES_HOME_COMMAND_BURST", "limits", "burst", int, "burst of that rate (5)"),
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
            limits=_limits(sections.get("limits", {})),
        )


def _mqtt(values: dict[str, Any]) -> MqttSettings | None:
    if "host" not in values:
        if values:
            raise ConfigurationError(
                f"{', '.join(_names('mqtt', values))} set without COLONIES_HOME_MQTT_HOST"
            )
        return None
    return MqttSettings(**values)


def _homeassistant(values: dict[str, Any]) -> HomeAssistantSettings | None:
    if not values:
        return None
    if "url" not in values or "token" not in values:
        raise ConfigurationError(
            "COLONIES_HOME_HA_URL and COLONIES_HOME_HA_TOKEN are needed together for the "
            "homeassistant backend"
        )
    return HomeAssistantSettings(**values)


def _limits(values: dict[str, Any]) -> SafetyLimits:
    try:
        return SafetyLimits(**values)
    except ValueError as error:
        raise ConfigurationError(f"{', '.join(_names('limits', values))}: {error}") from None


def _names(section: str, values: dict[str, Any]) -> list[str]:
    return [s.env for s in HOME_SETTINGS if s.section == section and s.name in values]
