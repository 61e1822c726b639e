"""A device simulator that speaks the Zigbee2MQTT contract over a real MQTT broker.

Zigbee2MQTT itself cannot start without a radio, so tests and ``demo --backend mqtt`` run this
instead: it publishes ``bridge/state`` and ``bridge/devices`` (retained, with real-looking
``exposes``), each device's ``availability`` (retained), answers ``/get``, carries out ``/set``
in Zigbee units and echoes the new state, just as the bridge does. A device's state is retained
only when the device has the ``retain`` option, as in Zigbee2MQTT. It can also misbehave on
purpose: a device that drops commands, a device that is offline, a power cut after which the
device comes back in its power-on state, a bridge that goes offline, and a change made "behind
the reconciler's back" (someone at the wall switch).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self

import aiomqtt


def _numeric(name: str, low: float, high: float, access: int = 7, unit: str = "") -> dict[str, Any]:
    feature: dict[str, Any] = {"type": "numeric", "name": name, "property": name, "access": access}
    feature.update({"value_min": low, "value_max": high})
    if unit:
        feature["unit"] = unit
    return feature


def _binary_state() -> dict[str, Any]:
    return {
        "type": "binary",
        "name": "state",
        "property": "state",
        "access": 7,
        "value_on": "ON",
        "value_off": "OFF",
        "value_toggle": "TOGGLE",
    }


@dataclass
class SimulatedZigbeeDevice:
    """One simulated Zigbee device: its definition, its state in Zigbee units, its faults."""

    friendly_name: str
    definition: dict[str, Any]
    state: dict[str, Any]
    online: bool = True
    retain: bool = False  # Zigbee2MQTT's per-device ``retain`` option for its state topic
    drop_commands: int = 0  # the next N /set messages are silently lost (radio trouble)
    commands: list[dict[str, Any]] = field(default_factory=list)  # every /set carried out

    def settable(self) -> dict[str, dict[str, Any]]:
        """Writable features by property name."""
        found: dict[str, dict[str, Any]] = {}
        pending = list(self.definition["exposes"])
        while pending:
            expose = pending.pop()
            pending.extend(expose.get("features", []))
            if "property" in expose and expose.get("access", 0) & 0b010:
                found[expose["property"]] = expose
        return found

    def apply(self, command: dict[str, Any]) -> None:
        """Carry out a /set the way the device would: unknown properties are ignored, numbers
        are clamped to the exposed range, brightness switches a light on."""
        features = self.settable()
        for prop, value in command.items():
            feature = features.get(prop)
            if feature is None:
                continue
            if feature["type"] == "numeric" and isinstance(value, int | float):
                low, high = feature["value_min"], feature["value_max"]
                self.state[prop] = min(max(value, low), high)
                if prop == "brightness":
                    self.state["state"] = "ON" if value > 0 else "OFF"
            elif prop == "state" and value == "TOGGLE":
                self.state["state"] = "OFF" if self.state.get("state") == "ON" else "ON"
            elif prop == "state" and "position" in self.state:
                self.state["position"] = {"OPEN": 100, "CLOSE": 0}.get(
                    value, self.state["position"]
                )
            elif feature["type"] in ("binary", "enum"):
                self.state[prop] = value
        self.commands.append(dict(command))


def light(friendly_name: str, **state: Any) -> SimulatedZigbeeDevice:
    """A colour-temperature bulb (modelled on the Philips Hue LCT015 definition)."""
    exposes = [
        {
            "type": "light",
            "features": [
                _binary_state(),
                _numeric("brightness", 0, 254),
                _numeric("color_temp", 153, 500, unit="mired"),
            ],
        },
        _numeric("linkquality", 0, 255, access=1),
    ]
    initial = {"state": "OFF", "brightness": 127, "color_temp": 370, "linkquality": 120}
    return _device(friendly_name, "LCT015", "Philips", exposes, initial, state)


def plug(friendly_name: str, **state: Any) -> SimulatedZigbeeDevice:
    """A smart plug: on/off only (modelled on the IKEA E1603 definition)."""
    exposes = [{"type": "switch", "features": [_binary_state()]}]
    return _device(friendly_name, "E1603", "IKEA", exposes, {"state": "OFF"}, state)


def thermostat(friendly_name: str, **state: Any) -> SimulatedZigbeeDevice:
    """A radiator thermostat with a heating set point (modelled on a Danfoss Ally)."""
    exposes = [
        {
            "type": "climate",
            "features": [
                _numeric("occupied_heating_setpoint", 5, 35, unit="°C"),
                _numeric("local_temperature", -30, 60, access=5, unit="°C"),
                {
                    "type": "enum",
                    "name": "system_mode",
                    "property": "system_mode",
                    "access": 7,
                    "values": ["off", "heat", "auto"],
                },
            ],
        }
    ]
    initial = {"system_mode": "off", "occupied_heating_setpoint": 18, "local_temperature": 19.5}
    return _device(friendly_name, "014G2461", "Danfoss", exposes, initial, state)


def cover(friendly_name: str, **state: Any) -> SimulatedZigbeeDevice:
    """A roller blind with a position (modelled on the IKEA FYRTUR definition)."""
    exposes = [
        {
            "type": "cover",
            "features": [
                {
                    "type": "enum",
                    "name": "state",
                    "property": "state",
                    "access": 3,
                    "values": ["OPEN", "CLOSE", "STOP"],
                },
                _numeric("position", 0, 100, unit="%"),
            ],
        }
    ]
    return _device(friendly_name, "E1757", "IKEA", exposes, {"position": 0}, state)


def _device(
    friendly_name: str,
    model: str,
    vendor: str,
    exposes: list[dict[str, Any]],
    initial: dict[str, Any],
    overrides: dict[str, Any],
) -> SimulatedZigbeeDevice:
    definition = {"model": model, "vendor": vendor, "description": "simulated", "exposes": exposes}
    return SimulatedZigbeeDevice(friendly_name, definition, {**initial, **overrides})


class Zigbee2MqttSimulator:
    """Plays the Zigbee2MQTT bridge and its devices on ``<base_topic>/...`` of a broker."""

    def __init__(
        self,
        host: str,
        port: int,
        devices: list[SimulatedZigbeeDevice],
        *,
        base_topic: str = "zigbee2mqtt",
    ) -> None:
        self.devices = {device.friendly_name: device for device in devices}
        self._host = host
        self._port = port
        self._base = base_topic.rstrip("/")
        self._client: aiomqtt.Client | None = None
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Self:
        will = aiomqtt.Will(f"{self._base}/bridge/state", '{"state":"offline"}', retain=True)
        self._client = aiomqtt.Client(self._host, self._port, will=will)
        await self._client.__aenter__()
        # Friendly names may contain "/", so one level of "+" is not enough.
        await self._client.subscribe(f"{self._base}/#")
        await self.set_bridge_online(True)
        await self._publish("bridge/devices", self._bridge_devices(), retain=True)
        for device in self.devices.values():
            await self._publish(
                f"{device.friendly_name}/availability", _online(device.online), True
            )
            if device.online:
                await self._publish_state(device)
        self._task = asyncio.create_task(self._serve(), name="zigbee2mqtt-simulator")
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._task is not None:
            self._task.cancel()
            # MqttError: the broker went first (a Ctrl-C reaches it too); nothing left to serve.
            with contextlib.suppress(asyncio.CancelledError, aiomqtt.MqttError):
                await self._task
        if self._client is not None:
            with contextlib.suppress(aiomqtt.MqttError):
                await self.set_bridge_online(False)
            await self._client.__aexit__(exc_type, exc, tb)
            self._client = None

    async def change_behind_back(self, friendly_name: str, **state: Any) -> None:
        """Someone changed the device by hand: the bridge reports the new state."""
        device = self.devices[friendly_name]
        device.state.update(state)
        await self._publish_state(device)

    async def set_device_online(self, friendly_name: str, online: bool) -> None:
        """Take a device off the network or bring it back (availability changes)."""
        device = self.devices[friendly_name]
        device.online = online
        await self._publish(f"{friendly_name}/availability", _online(online), retain=True)
        if online:
            await self._publish_state(device)

    async def power_cycle(self, friendly_name: str, **power_on_state: Any) -> None:
        """Power is lost, then returns: the device leaves the network and comes back in
        ``power_on_state`` (its ``power_on_behavior``), whatever it was set to before."""
        await self.set_device_online(friendly_name, False)
        self.devices[friendly_name].state.update(power_on_state)
        await self.set_device_online(friendly_name, True)

    async def set_bridge_online(self, online: bool) -> None:
        """Stop or restart the bridge as seen on ``bridge/state``."""
        await self._publish("bridge/state", _online(online), retain=True)

    async def _serve(self) -> None:
        assert self._client is not None
        async for message in self._client.messages:
            name, _, verb = str(message.topic).removeprefix(f"{self._base}/").rpartition("/")
            if verb not in ("set", "get"):
                continue  # our own reports coming back
            device = self.devices.get(name)
            if device is None or not device.online:
                continue
            if verb == "set":
                if device.drop_commands > 0:
                    device.drop_commands -= 1
                    continue
                try:
                    command = json.loads(_text(message.payload))
                except json.JSONDecodeError:
                    continue  # Zigbee2MQTT logs and ignores a /set that is not JSON
                if isinstance(command, dict):
                    device.apply(command)
            await self._publish_state(device)

    async def _publish_state(self, device: SimulatedZigbeeDevice) -> None:
        await self._publish(device.friendly_name, json.dumps(device.state), device.retain)

    async def _publish(self, subtopic: str, payload: str, retain: bool = False) -> None:
        assert self._client is not None, "use the simulator as an async context manager"
        await self._client.publish(f"{self._base}/{subtopic}", payload, retain=retain)

    def _bridge_devices(self) -> str:
        return json.dumps(
            [
                {
                    "ieee_address": f"0x{index + 1:016x}",
                    "friendly_name": device.friendly_name,
                    "type": "Router",
                    "supported": True,
                    "definition": device.definition,
                }
                for index, device in enumerate(self.devices.values())
            ]
        )


def _text(payload: object) -> str:
    if isinstance(payload, bytes | bytearray):
        return payload.decode("utf-8", "replace")
    return "" if payload is None else str(payload)


def _online(online: bool) -> str:
    return json.dumps({"state": "online" if online else "offline"})
