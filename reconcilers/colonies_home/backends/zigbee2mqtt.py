"""Zigbee2MQTT over MQTT (aiomqtt): commands to ``<base>/<friendly_name>/set``, state from
``<base>/<friendly_name>``, ``/get`` to ask, ``<base>/<friendly_name>/availability``,
``<base>/bridge/state`` and the ``<base>/bridge/devices`` definitions (what each device can take).

One subscription to ``<base>/#`` keeps a cache of everything the bridge publishes; a background
task reconnects to the broker with backoff, so a broker restart heals by itself. What it hears
goes to ``events``: state reports whose settings changed, availability transitions, the bridge
coming back online and every re-connection. Retained messages (replayed by the broker on
subscribe: bridge state, availability, and device state when the device is set to ``retain``)
refresh the cache but are never announced as changes themselves.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import Callable
from typing import Any

import aiomqtt

from colonies_home.backends.base import DeviceBackend, DeviceRef, mismatches, stop_listener
from colonies_home.backends.z2m_payloads import (
    ACCESS_GET,
    ACCESS_SET,
    exposed_access,
    get_payload,
    parse_online,
    reading_from_state,
    set_payload,
    settings_fingerprint,
    unsupported_settings,
    with_access,
)
from colonies_home.errors import (
    CommandNotConfirmedError,
    DeviceNotFoundError,
    DeviceOfflineError,
    DeviceUnavailableError,
    HubUnavailableError,
    UnsupportedSettingError,
)
from colonies_home.model import BackendKind, DeviceReading, DeviceSettings

_RECONNECT_MIN = 0.2
_RECONNECT_MAX = 5.0


class Zigbee2MqttBackend(DeviceBackend):
    """Devices behind a Zigbee2MQTT bridge, addressed by friendly_name."""

    kind = BackendKind.ZIGBEE2MQTT

    def __init__(
        self,
        host: str,
        port: int = 1883,
        *,
        base_topic: str = "zigbee2mqtt",
        username: str | None = None,
        password: str | None = None,
        reply_timeout: float = 2.0,
        confirm_timeout: float = 5.0,
        connect_timeout: float = 3.0,
    ) -> None:
        super().__init__()
        self._host = host
        self._port = port
        self._prefix = base_topic.rstrip("/") + "/"
        self._username = username
        self._password = password
        self._reply_timeout = reply_timeout
        self._confirm_timeout = confirm_timeout
        self._connect_timeout = connect_timeout
        self._states: dict[str, dict[str, Any]] = {}
        self._state_counts: dict[str, int] = {}
        self._availability: dict[str, bool] = {}
        self._access: dict[str, dict[str, int]] = {}
        self._devices_known = False
        self._bridge_online: bool | None = None
        self._changed = asyncio.Condition()
        self._client: aiomqtt.Client | None = None
        self._last_error = "not connected yet"
        self._task: asyncio.Task[None] | None = None

    def describe(self) -> str:
        return f"zigbee2mqtt mqtt://{self._host}:{self._port}/{self._prefix.rstrip('/')}"

    async def read(self, ref: DeviceRef) -> DeviceReading:
        """Ask with ``/get`` and return the state once a report arrives. Zigbee2MQTT replies
        carry no request id, so a report already in flight can answer first: a read is the
        latest report, and a change shows in the next read at the latest."""
        await self._ready(ref)
        name = ref.device
        seen = self._state_counts.get(name, 0)
        gettable = with_access(self._access.get(name, {}), ACCESS_GET)
        with self.events.awaiting_reply(name):
            await self._publish(f"{self._prefix}{name}/get", get_payload(ref.type, gettable))
            await self._wait_for(
                lambda: (
                    self._state_counts.get(name, 0) > seen or self._availability.get(name) is False
                ),
                self._reply_timeout,
            )
        self._raise_if_offline(name)
        if name not in self._states:
            raise DeviceUnavailableError(
                f"Zigbee2MQTT device '{name}' sent no state within {self._reply_timeout:g}s "
                "of a /get"
            )
        return self._reading(ref)

    async def send(self, ref: DeviceRef, settings: DeviceSettings) -> DeviceReading:
        await self._ready(ref)
        name = ref.device
        settable = with_access(self._access.get(name, {}), ACCESS_SET)
        if name in self._access:
            refused = unsupported_settings(settings, settable)
            if refused:
                raise UnsupportedSettingError(
                    f"Zigbee2MQTT device '{name}' cannot take {', '.join(refused)}: its "
                    f"definition exposes only {', '.join(sorted(settable)) or 'nothing settable'}"
                )
        with self.events.awaiting_reply(name):
            await self._publish(f"{self._prefix}{name}/set", set_payload(settings, settable))
            confirmed = await self._wait_for(
                lambda: self._confirms(ref, settings) or self._availability.get(name) is False,
                self._confirm_timeout,
            )
        self._raise_if_offline(name)
        if not confirmed:
            missing = mismatches(self._reading(ref), settings)
            raise CommandNotConfirmedError(
                f"Zigbee2MQTT device '{name}' did not report {', '.join(missing)} within "
                f"{self._confirm_timeout:g}s of a /set"
            )
        return self._reading(ref)

    async def aclose(self) -> None:
        await stop_listener(self._task)
        self._task = None

    # -- connection -------------------------------------------------------------------------

    async def _ready(self, ref: DeviceRef) -> None:
        """Connected, bridge online, device known and not offline; or the reason why not."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._listen(), name="zigbee2mqtt-listener")
        connected = await self._wait_for(lambda: self._client is not None, self._connect_timeout)
        if not connected:
            raise HubUnavailableError(
                f"MQTT broker {self._host}:{self._port} unreachable: {self._last_error}"
            )
        # Zigbee2MQTT retains bridge/state and bridge/devices: right after subscribing they are
        # on their way, so give them a moment instead of racing them.
        await self._wait_for(
            lambda: self._bridge_online is not None and self._devices_known, self._reply_timeout
        )
        if self._bridge_online is None:
            raise HubUnavailableError(
                f"no Zigbee2MQTT bridge on {self._prefix}bridge/state "
                f"(broker {self._host}:{self._port})"
            )
        if not self._bridge_online:
            raise HubUnavailableError(f"Zigbee2MQTT bridge is offline ({self._prefix}bridge/state)")
        if self._devices_known and ref.device not in self._access:
            raise DeviceNotFoundError(
                f"Zigbee2MQTT has no device named '{ref.device}' ({self._prefix}bridge/devices)"
            )
        self._raise_if_offline(ref.device)

    async def _listen(self) -> None:
        delay = _RECONNECT_MIN
        while True:
            try:
                async with aiomqtt.Client(
                    self._host,
                    self._port,
                    username=self._username,
                    password=self._password,
                    identifier=f"colonies-home-{uuid.uuid4().hex[:12]}",
                ) as client:
                    await client.subscribe(f"{self._prefix}#")
                    await self._set_client(client)
                    self.events.connected()
                    delay = _RECONNECT_MIN
                    async for message in client.messages:
                        await self._on_message(
                            str(message.topic), _payload_bytes(message.payload), message.retain
                        )
            except aiomqtt.MqttError as exc:
                self._last_error = str(exc) or type(exc).__name__
            finally:
                await self._set_client(None)
            await asyncio.sleep(delay)
            delay = min(delay * 2, _RECONNECT_MAX)

    async def _set_client(self, client: aiomqtt.Client | None) -> None:
        async with self._changed:
            self._client = client
            if client is None:
                self._bridge_online = None
                self._devices_known = False
            self._changed.notify_all()

    async def _publish(self, topic: str, payload: dict[str, Any]) -> None:
        client = self._client
        if client is None:
            raise HubUnavailableError(f"MQTT broker {self._host}:{self._port}: not connected")
        try:
            await client.publish(topic, json.dumps(payload))
        except aiomqtt.MqttError as exc:
            raise HubUnavailableError(f"MQTT publish to {topic} failed: {exc}") from exc

    # -- cache ------------------------------------------------------------------------------

    async def _on_message(self, topic: str, payload: bytes, retained: bool = False) -> None:
        """Update the cache, then announce; ``retained`` marks a replay by the broker."""
        if not topic.startswith(self._prefix):
            return
        rel = topic[len(self._prefix) :]
        async with self._changed:
            if rel == "bridge/state":
                was_offline = self._bridge_online is False
                self._bridge_online = parse_online(payload)
                if was_offline and self._bridge_online and not retained:
                    self.events.hub_returned()
            elif rel == "bridge/devices":
                self._remember_devices(payload)
            elif rel.startswith("bridge/") or "/set" in rel or "/get" in rel:
                return
            elif rel.endswith("/availability"):
                name = rel.removesuffix("/availability")
                online = parse_online(payload)
                if online is not None:
                    self._availability[name] = online
                    self.events.availability(name, online)
            else:
                self._remember_state(rel, payload, retained)
            self._changed.notify_all()

    def _remember_devices(self, payload: bytes) -> None:
        with contextlib.suppress(json.JSONDecodeError, UnicodeDecodeError):
            devices = json.loads(payload)
            if isinstance(devices, list):
                self._access = {
                    str(d["friendly_name"]): exposed_access(d.get("definition"))
                    for d in devices
                    if isinstance(d, dict) and "friendly_name" in d
                }
                self._devices_known = True

    def _remember_state(self, name: str, payload: bytes, retained: bool) -> None:
        try:
            state = json.loads(payload)
        except (json.JSONDecodeError, UnicodeDecodeError):
            return
        if isinstance(state, dict):
            merged = self._states.setdefault(name, {})
            merged.update(state)
            if not retained:  # a replay from the broker never answers a /get
                self._state_counts[name] = self._state_counts.get(name, 0) + 1
            self.events.reported(name, settings_fingerprint(merged), replayed=retained)

    async def _wait_for(self, predicate: Callable[[], bool], timeout: float) -> bool:
        async with self._changed:
            try:
                await asyncio.wait_for(self._changed.wait_for(predicate), timeout)
            except TimeoutError:
                return False
            return True

    def _raise_if_offline(self, name: str) -> None:
        if self._availability.get(name) is False:
            raise DeviceOfflineError(
                f"Zigbee2MQTT device '{name}' is offline ({self._prefix}{name}/availability)"
            )

    def _reading(self, ref: DeviceRef) -> DeviceReading:
        reading = reading_from_state(ref.type, self._states.get(ref.device, {}))
        reading.available = self._availability.get(ref.device, True)
        return reading

    def _confirms(self, ref: DeviceRef, settings: DeviceSettings) -> bool:
        return ref.device in self._states and not mismatches(self._reading(ref), settings)


def _payload_bytes(payload: object) -> bytes:
    if isinstance(payload, bytes | bytearray):
        return bytes(payload)
    return b"" if payload is None else str(payload).encode()
