"""The Zigbee2MQTT backend against a real Mosquitto and the Zigbee2MQTT device simulator."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import aiomqtt
import pytest

from colonies.testing import free_port
from colonies_home import z2m_simulator as sim
from colonies_home.backends.base import DeviceRef
from colonies_home.backends.zigbee2mqtt import Zigbee2MqttBackend
from colonies_home.components import MosquittoBroker, mosquitto
from colonies_home.errors import (
    CommandNotConfirmedError,
    DeviceNotFoundError,
    DeviceUnavailableError,
    HomeBackendError,
    HubUnavailableError,
    UnsupportedSettingError,
)
from colonies_home.model import DeviceReading, DeviceSettings, DeviceType, HvacMode
from tests.helpers import eventually_async

LAMP = DeviceRef("lamp", DeviceType.LIGHT)
PLUG = DeviceRef("kettle", DeviceType.SWITCH)
RADIATOR = DeviceRef("radiator", DeviceType.CLIMATE)
BLIND = DeviceRef("blind", DeviceType.COVER)


@pytest.fixture
async def simulator(
    mosquitto_broker: MosquittoBroker, base_topic: str
) -> AsyncIterator[sim.Zigbee2MqttSimulator]:
    devices = [
        sim.light("lamp", state="ON", brightness=254, color_temp=370),
        sim.plug("kettle"),
        sim.thermostat("radiator"),
        sim.cover("blind", position=20),
        sim.light("flaky"),
        sim.plug("garage"),
    ]
    devices[4].drop_commands = 1
    devices[5].online = False
    async with sim.Zigbee2MqttSimulator(
        mosquitto_broker.host, mosquitto_broker.port, devices, base_topic=base_topic
    ) as simulator:
        yield simulator


@pytest.fixture
async def backend(
    mosquitto_broker: MosquittoBroker, base_topic: str
) -> AsyncIterator[Zigbee2MqttBackend]:
    backend = Zigbee2MqttBackend(
        mosquitto_broker.host, mosquitto_broker.port, base_topic=base_topic, confirm_timeout=1.0
    )
    yield backend
    await backend.aclose()


async def test_read_maps_zigbee_units_to_the_model(
    simulator: sim.Zigbee2MqttSimulator, backend: Zigbee2MqttBackend
) -> None:
    reading = await backend.read(LAMP)
    assert reading.power is True
    assert reading.brightness == 100  # 254 of 254
    assert reading.color_temp_kelvin == 2703  # 370 mireds
    assert reading.available is True
    climate = await backend.read(RADIATOR)
    assert (climate.hvac_mode, climate.target_temperature) == (HvacMode.OFF, 18.0)
    assert climate.current_temperature == 19.5
    assert (await backend.read(BLIND)).position == 20


async def test_read_asks_the_device_with_get(
    simulator: sim.Zigbee2MqttSimulator, backend: Zigbee2MqttBackend
) -> None:
    assert (await backend.read(PLUG)).power is False
    simulator.devices["kettle"].state["state"] = "ON"  # changed without a report
    # Only an answer to /get can carry it; a reply still in flight may answer one read first.
    await eventually_async(lambda: _reads(backend, PLUG, power=True))


async def test_send_publishes_zigbee_units_and_waits_for_the_echo(
    simulator: sim.Zigbee2MqttSimulator, backend: Zigbee2MqttBackend
) -> None:
    reading = await backend.send(LAMP, DeviceSettings(brightness=50, color_temp_kelvin=4000))
    assert simulator.devices["lamp"].commands == [{"brightness": 127, "color_temp": 250}]
    assert (reading.brightness, reading.color_temp_kelvin) == (50, 4000)

    await backend.send(PLUG, DeviceSettings(power=True))
    assert simulator.devices["kettle"].commands == [{"state": "ON"}]

    settings = DeviceSettings(hvac_mode=HvacMode.HEAT, target_temperature=21.5)
    reading = await backend.send(RADIATOR, settings)
    assert simulator.devices["radiator"].commands == [
        {"system_mode": "heat", "occupied_heating_setpoint": 21.5}
    ]
    assert (reading.hvac_mode, reading.target_temperature) == (HvacMode.HEAT, 21.5)

    assert (await backend.send(BLIND, DeviceSettings(position=75))).position == 75


async def test_a_change_behind_our_back_shows_in_the_next_read(
    simulator: sim.Zigbee2MqttSimulator, backend: Zigbee2MqttBackend
) -> None:
    assert (await backend.read(LAMP)).power is True
    await simulator.change_behind_back("lamp", state="OFF")
    await eventually_async(lambda: _reads(backend, LAMP, power=False))


async def test_a_dropped_command_is_not_confirmed_and_a_retry_lands(
    simulator: sim.Zigbee2MqttSimulator, backend: Zigbee2MqttBackend
) -> None:
    flaky = DeviceRef("flaky", DeviceType.LIGHT)
    with pytest.raises(CommandNotConfirmedError, match="'flaky' did not report power"):
        await backend.send(flaky, DeviceSettings(power=True))
    assert (await backend.send(flaky, DeviceSettings(power=True))).power is True
    assert simulator.devices["flaky"].commands == [{"state": "ON"}]


async def test_an_offline_device_is_unavailable_until_it_returns(
    simulator: sim.Zigbee2MqttSimulator, backend: Zigbee2MqttBackend
) -> None:
    garage = DeviceRef("garage", DeviceType.SWITCH)
    with pytest.raises(DeviceUnavailableError, match="'garage' is offline"):
        await backend.read(garage)
    with pytest.raises(DeviceUnavailableError):
        await backend.send(garage, DeviceSettings(power=True))
    await simulator.set_device_online("garage", True)
    assert (await eventually_async(lambda: _read_or_none(backend, garage))).available is True


async def test_a_bridge_offline_is_a_hub_outage_that_heals(
    simulator: sim.Zigbee2MqttSimulator, backend: Zigbee2MqttBackend
) -> None:
    await backend.read(LAMP)
    await simulator.set_bridge_online(False)
    await eventually_async(lambda: _hub_down(backend, "bridge is offline"))
    await simulator.set_bridge_online(True)
    assert (await eventually_async(lambda: _read_or_none(backend, LAMP))).power is True


async def test_unknown_device_and_a_setting_it_cannot_take_fail_clearly(
    simulator: sim.Zigbee2MqttSimulator, backend: Zigbee2MqttBackend
) -> None:
    with pytest.raises(DeviceNotFoundError, match="no device named 'ghost'"):
        await backend.read(DeviceRef("ghost", DeviceType.LIGHT))
    plug_as_light = DeviceRef("kettle", DeviceType.LIGHT)
    with pytest.raises(UnsupportedSettingError, match="'kettle' cannot take brightness"):
        await backend.send(plug_as_light, DeviceSettings(power=True, brightness=40))
    assert simulator.devices["kettle"].commands == []


async def test_an_unreachable_broker_is_a_hub_outage() -> None:
    backend = Zigbee2MqttBackend("127.0.0.1", free_port(), connect_timeout=0.5)
    try:
        with pytest.raises(HubUnavailableError, match=r"MQTT broker 127\.0\.0\.1:\d+ unreachable"):
            await backend.read(LAMP)
    finally:
        await backend.aclose()


async def test_the_simulator_speaks_the_bridge_contract(
    simulator: sim.Zigbee2MqttSimulator, mosquitto_broker: MosquittoBroker, base_topic: str
) -> None:
    """What a plain MQTT client sees: retained bridge state, devices and availability."""
    seen: dict[str, object] = {}
    async with aiomqtt.Client(mosquitto_broker.host, mosquitto_broker.port) as client:
        await client.subscribe(f"{base_topic}/bridge/#")
        await client.subscribe(f"{base_topic}/+/availability")
        async for message in client.messages:
            seen[str(message.topic)] = json.loads(bytes(message.payload))
            if len(seen) == 2 + len(simulator.devices):
                break
    assert seen[f"{base_topic}/bridge/state"] == {"state": "online"}
    assert seen[f"{base_topic}/garage/availability"] == {"state": "offline"}
    devices = seen[f"{base_topic}/bridge/devices"]
    assert isinstance(devices, list)
    lamp = next(d for d in devices if d["friendly_name"] == "lamp")
    features = lamp["definition"]["exposes"][0]["features"]
    assert {f["property"] for f in features} == {"state", "brightness", "color_temp"}


async def _read_or_none(backend: Zigbee2MqttBackend, ref: DeviceRef) -> DeviceReading | None:
    """The reading once the backend can give one (messages travel asynchronously)."""
    try:
        return await backend.read(ref)
    except HomeBackendError as exc:
        if exc.retryable:
            return None
        raise


async def _reads(backend: Zigbee2MqttBackend, ref: DeviceRef, *, power: bool) -> bool:
    return (await backend.read(ref)).power is power


async def test_a_broker_restart_heals_by_itself(base_topic: str) -> None:
    port = free_port()
    backend = Zigbee2MqttBackend("127.0.0.1", port, base_topic=base_topic, connect_timeout=0.5)
    try:
        with mosquitto(port=port):
            async with sim.Zigbee2MqttSimulator(
                "127.0.0.1", port, [sim.plug("kettle")], base_topic=base_topic
            ):
                assert (await backend.read(PLUG)).power is False
        await eventually_async(lambda: _hub_down(backend, "unreachable"))
        with mosquitto(port=port):
            async with sim.Zigbee2MqttSimulator(
                "127.0.0.1", port, [sim.plug("kettle", state="ON")], base_topic=base_topic
            ):
                reading = await eventually_async(lambda: _read_or_none(backend, PLUG))
                assert reading.power is True
    finally:
        await backend.aclose()


async def _hub_down(backend: Zigbee2MqttBackend, reason: str) -> bool:
    """Whether a read fails as a hub outage for ``reason`` (outages take a moment to notice)."""
    try:
        await backend.read(PLUG)
    except HubUnavailableError as exc:
        return reason in str(exc)
    except DeviceUnavailableError:
        return False
    return False
