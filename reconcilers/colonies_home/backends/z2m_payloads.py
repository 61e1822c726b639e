"""Zigbee2MQTT payloads: device state and ``/set`` bodies to and from the device model.

Zigbee2MQTT names things per device definition (``exposes``): ``state`` ON/OFF, ``brightness``
0-254, ``color_temp`` in mireds, ``system_mode``, ``occupied_heating_setpoint`` (or
``current_heating_setpoint`` on many radiator valves), ``local_temperature``, ``position``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from colonies_home.conversions import (
    Z2M_BRIGHTNESS_MAX,
    kelvin_to_mired,
    level_to_percent,
    mired_to_kelvin,
    percent_to_level,
)
from colonies_home.model import DeviceReading, DeviceSettings, DeviceType, HvacMode

SETPOINT_PROPERTIES = ("occupied_heating_setpoint", "current_heating_setpoint")

# Which Zigbee2MQTT property carries each model setting (the set point has alternatives).
SETTING_PROPERTIES: dict[str, tuple[str, ...]] = {
    "power": ("state",),
    "brightness": ("brightness",),
    "color_temp_kelvin": ("color_temp",),
    "hvac_mode": ("system_mode",),
    "target_temperature": SETPOINT_PROPERTIES,
    "position": ("position",),
}


def settings_fingerprint(state: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """The properties of a state report that carry a managed setting, comparable and hashable:
    a report that differs only in ``linkquality``, ``battery`` or a measured temperature is no
    change of setting."""
    carried = {prop for props in SETTING_PROPERTIES.values() for prop in props}
    return tuple(sorted((prop, json.dumps(state[prop])) for prop in carried if prop in state))


def parse_online(payload: bytes) -> bool | None:
    """Availability and bridge state: ``{"state":"online"}`` (current) or ``online`` (legacy)."""
    text = payload.decode("utf-8", "replace").strip()
    try:
        decoded = json.loads(text)
    except json.JSONDecodeError:
        decoded = text
    if isinstance(decoded, dict):
        decoded = decoded.get("state")
    if decoded == "online":
        return True
    if decoded == "offline":
        return False
    return None


ACCESS_SET = 0b010
ACCESS_GET = 0b100


def exposed_access(definition: Mapping[str, Any] | None) -> dict[str, int]:
    """Property name to access bits (1 published, 2 settable, 4 gettable) from a device
    definition's ``exposes``, nested ``features`` included."""
    found: dict[str, int] = {}
    if not definition:
        return found
    pending: list[Any] = list(definition.get("exposes") or [])
    while pending:
        expose = pending.pop()
        if not isinstance(expose, Mapping):
            continue
        pending.extend(expose.get("features") or [])
        prop = expose.get("property")
        access = expose.get("access")
        if isinstance(prop, str) and isinstance(access, int):
            found[prop] = found.get(prop, 0) | access
    return found


def with_access(access: Mapping[str, int], bit: int) -> set[str]:
    """The properties whose access includes ``bit``."""
    return {prop for prop, bits in access.items() if bits & bit}


def unsupported_settings(settings: DeviceSettings, properties: set[str]) -> list[str]:
    """The managed settings that no exposed property can carry."""
    return [
        name
        for name in settings.managed()
        if not any(prop in properties for prop in SETTING_PROPERTIES[name])
    ]


def reading_from_state(device_type: DeviceType, state: Mapping[str, Any]) -> DeviceReading:
    """The device model's view of a Zigbee2MQTT state message."""
    values: dict[str, Any] = {}
    if device_type in (DeviceType.LIGHT, DeviceType.SWITCH) and "state" in state:
        values["power"] = str(state["state"]).upper() == "ON"
    if device_type is DeviceType.LIGHT:
        if isinstance(state.get("brightness"), int | float):
            values["brightness"] = level_to_percent(int(state["brightness"]), Z2M_BRIGHTNESS_MAX)
        if isinstance(state.get("color_temp"), int | float) and state["color_temp"] > 0:
            values["color_temp_kelvin"] = mired_to_kelvin(int(state["color_temp"]))
    if device_type is DeviceType.CLIMATE:
        mode = str(state.get("system_mode"))
        if mode in HvacMode.__members__.values():
            values["hvac_mode"] = HvacMode(mode)
        for prop in SETPOINT_PROPERTIES:
            if isinstance(state.get(prop), int | float):
                values["target_temperature"] = float(state[prop])
                break
        if isinstance(state.get("local_temperature"), int | float):
            values["current_temperature"] = float(state["local_temperature"])
    if device_type is DeviceType.COVER and isinstance(state.get("position"), int | float):
        values["position"] = int(state["position"])
    return DeviceReading.model_validate(values)


def set_payload(settings: DeviceSettings, properties: set[str]) -> dict[str, Any]:
    """The ``/set`` body for ``settings``; ``properties`` picks the set point's name."""
    payload: dict[str, Any] = {}
    if settings.power is not None:
        payload["state"] = "ON" if settings.power else "OFF"
    if settings.brightness is not None:
        payload["brightness"] = percent_to_level(settings.brightness, Z2M_BRIGHTNESS_MAX)
    if settings.color_temp_kelvin is not None:
        payload["color_temp"] = kelvin_to_mired(settings.color_temp_kelvin)
    if settings.hvac_mode is not None:
        payload["system_mode"] = settings.hvac_mode.value
    if settings.target_temperature is not None:
        setpoint = next((p for p in SETPOINT_PROPERTIES if p in properties), SETPOINT_PROPERTIES[0])
        payload[setpoint] = settings.target_temperature
    if settings.position is not None:
        payload["position"] = settings.position
    return payload


def get_payload(device_type: DeviceType, properties: set[str]) -> dict[str, str]:
    """The ``/get`` body asking for every gettable property (``properties``; all when unknown)
    the model reads for this type."""
    wanted = {
        DeviceType.LIGHT: ("state", "brightness", "color_temp"),
        DeviceType.SWITCH: ("state",),
        DeviceType.CLIMATE: ("system_mode", *SETPOINT_PROPERTIES, "local_temperature"),
        DeviceType.COVER: ("position",),
    }[device_type]
    asked = [p for p in wanted if not properties or p in properties]
    return dict.fromkeys(asked or wanted[:1], "")
