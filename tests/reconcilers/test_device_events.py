"""What each backend announces between reconciles, against real Mosquitto (with the Zigbee2MQTT
simulator), a real Home Assistant and the simulated devices: changes made by others, never the
echo of our own commands or reads, availability transitions, and a replayed retained state as
an observation only.

"Nothing else was announced" is checked with a barrier: a last change on another device, whose
event arrives after everything published before it (MQTT keeps a publisher's order).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from colonies.testing import free_port
from colonies_home import z2m_simulator as sim
from colonies_home.backends.base import DeviceRef
from colonies_home.backends.events import BackendEvent, DeviceNews
from colonies_home.backends.homeassistant import HomeAssistantBackend
from colonies_home.backends.simulated import SimulatedBackend, SimulatedDevice, SimulatedHome
from colonies_home.backends.zigbee2mqtt import Zigbee2MqttBackend
from colonies_home.components import HomeAssistantHub, MosquittoBroker, mosquitto
from colonies_home.model import BackendKind, DeviceSettings, DeviceType
from tests.helpers import eventually_async

LAMP = DeviceRef("hall/lamp", DeviceType.LIGHT)
KETTLE = DeviceRef("kettle", DeviceType.SWITCH)
Z2M = BackendKind.ZIGBEE2MQTT


def news(what: DeviceNews, device: str = "", backend: BackendKind = Z2M) -> BackendEvent:
    return BackendEvent(what, backend, device)


async def heard_all(heard: list[BackendEvent], *expected: BackendEvent) -> list[BackendEvent]:
    """Wait until the last expected event arrived, then return everything heard."""

    async def arrived() -> bool:
        return expected[-1] in heard

    await eventually_async(arrived)
    return heard


@pytest.fixture
async def bridge(
    mosquitto_broker: MosquittoBroker, base_topic: str
) -> AsyncIterator[sim.Zigbee2MqttSimulator]:
    devices = [
        sim.light("hall/lamp", state="ON"),
        sim.plug("kettle"),
        sim.plug("garage"),
        sim.plug("fridge", state="ON"),
    ]
    devices[2].online = False
    devices[3].retain = True
    async with sim.Zigbee2MqttSimulator(
        mosquitto_broker.host, mosquitto_broker.port, devices, base_topic=base_topic
    ) as simulator:
        yield simulator


@pytest.fixture
async def zigbee(
    mosquitto_broker: MosquittoBroker, base_topic: str
) -> AsyncIterator[Zigbee2MqttBackend]:
    backend = Zigbee2MqttBackend(
        mosquitto_broker.host, mosquitto_broker.port, base_topic=base_topic
    )
    yield backend
    await backend.aclose()


async def test_zigbee_announces_changes_by_others_not_our_echoes(
    bridge: sim.Zigbee2MqttSimulator, zigbee: Zigbee2MqttBackend
) -> None:
    heard: list[BackendEvent] = []
    zigbee.events.listen(heard.append)
    await zigbee.read(LAMP)
    await zigbee.read(KETTLE)

    await bridge.change_behind_back("hall/lamp", state="OFF")  # someone at the wall switch
    await heard_all(heard, news(DeviceNews.CHANGED, "hall/lamp"))

    await zigbee.send(LAMP, DeviceSettings(power=True))  # our command and its echo
    await zigbee.read(LAMP)  # our /get and its answer
    await bridge.change_behind_back("hall/lamp", linkquality=42)  # no setting changed
    await bridge.change_behind_back("kettle", state="ON")  # the barrier
    assert await heard_all(heard, news(DeviceNews.CHANGED, "kettle")) == [
        news(DeviceNews.CHANGED, "hall/lamp"),
        news(DeviceNews.CHANGED, "kettle"),
    ]


async def test_zigbee_announces_availability_transitions_and_the_bridge_returning(
    bridge: sim.Zigbee2MqttSimulator, zigbee: Zigbee2MqttBackend
) -> None:
    heard: list[BackendEvent] = []
    zigbee.events.listen(heard.append)
    await zigbee.read(LAMP)  # connected: the retained "garage is offline" is no news

    await bridge.set_device_online("garage", True)
    await bridge.power_cycle("hall/lamp", state="OFF")  # comes back off: power_on_behavior
    await bridge.set_bridge_online(False)
    await bridge.set_bridge_online(True)
    assert await heard_all(heard, news(DeviceNews.RECONNECTED)) == [
        news(DeviceNews.AVAILABLE, "garage"),
        news(DeviceNews.UNAVAILABLE, "hall/lamp"),
        news(DeviceNews.AVAILABLE, "hall/lamp"),
        news(DeviceNews.CHANGED, "hall/lamp"),
        news(DeviceNews.RECONNECTED),
    ]


async def test_a_replayed_retained_state_is_an_observation_not_news(
    bridge: sim.Zigbee2MqttSimulator, mosquitto_broker: MosquittoBroker, base_topic: str
) -> None:
    """The broker replays the fridge's retained state to every new subscriber: it fills the
    cache (a read can use it at once) but is announced to no one."""
    late = Zigbee2MqttBackend(mosquitto_broker.host, mosquitto_broker.port, base_topic=base_topic)
    heard: list[BackendEvent] = []
    late.events.listen(heard.append)
    try:
        await late.read(KETTLE)
        assert (await late.read(DeviceRef("fridge", DeviceType.SWITCH))).power is True
        await bridge.change_behind_back("fridge", state="OFF")  # live, though retained
        assert await heard_all(heard, news(DeviceNews.CHANGED, "fridge")) == [
            news(DeviceNews.CHANGED, "fridge")
        ]
    finally:
        await late.aclose()


async def test_simulated_devices_announce_wall_switches_and_power_cuts() -> None:
    home = SimulatedHome()
    home.add(SimulatedDevice.create("plug", DeviceType.SWITCH))
    backend = SimulatedBackend(home)
    observer = SimulatedBackend(home)  # e.g. a second replica on the same devices
    heard: list[BackendEvent] = []
    backend.events.listen(heard.append)
    observed: list[BackendEvent] = []
    observer.events.listen(observed.append)
    plug = DeviceRef("plug", DeviceType.SWITCH)
    await backend.read(plug)
    await observer.read(plug)

    await backend.send(plug, DeviceSettings(power=True))
    home.change_behind_back("plug", power=False)
    home.power_cut("plug")
    home.set_online("plug", True)
    home.power_cut("plug")
    home.power_restored("plug")
    sim_news = BackendKind.SIMULATED
    assert heard == [
        news(DeviceNews.CHANGED, "plug", sim_news),
        news(DeviceNews.UNAVAILABLE, "plug", sim_news),
        news(DeviceNews.AVAILABLE, "plug", sim_news),
        news(DeviceNews.UNAVAILABLE, "plug", sim_news),
        news(DeviceNews.AVAILABLE, "plug", sim_news),
    ]
    # The other backend heard our command as a report, like any device change.
    assert observed[0] == news(DeviceNews.CHANGED, "plug", sim_news)
    await backend.aclose()
    await observer.aclose()
    assert home.gates == []


async def test_home_assistant_state_changed_events_by_others_and_availability(
    home_assistant_hub: HomeAssistantHub,
) -> None:
    backend = HomeAssistantBackend(home_assistant_hub.url, home_assistant_hub.token)
    heard: list[BackendEvent] = []
    backend.events.listen(heard.append)
    kitchen = DeviceRef("light.kitchen_lights", DeviceType.LIGHT)
    entrance = DeviceRef("light.entrance_color_white_lights", DeviceType.LIGHT)
    ha = BackendKind.HOMEASSISTANT
    try:
        await backend.send(kitchen, DeviceSettings(power=True, brightness=40))  # our own
        await backend.read(entrance)
        async with httpx.AsyncClient(
            base_url=home_assistant_hub.url,
            headers={"Authorization": f"Bearer {home_assistant_hub.token}"},
        ) as hass:
            await hass.post("/api/services/light/turn_off", json={"entity_id": kitchen.device})
            await heard_all(heard, news(DeviceNews.CHANGED, kitchen.device, ha))
            # An integration losing the device: the entity's state becomes "unavailable".
            await hass.post(f"/api/states/{entrance.device}", json={"state": "unavailable"})
            await hass.post(f"/api/states/{entrance.device}", json={"state": "off"})
            await heard_all(heard, news(DeviceNews.AVAILABLE, entrance.device, ha))
    finally:
        await backend.aclose()
    assert heard == [
        news(DeviceNews.CHANGED, kitchen.device, ha),
        news(DeviceNews.UNAVAILABLE, entrance.device, ha),
        news(DeviceNews.AVAILABLE, entrance.device, ha),
        news(DeviceNews.CHANGED, entrance.device, ha),
    ]


async def test_a_broker_restart_is_announced_and_so_is_a_device_back_meanwhile(
    base_topic: str,
) -> None:
    port = free_port()
    backend = Zigbee2MqttBackend("127.0.0.1", port, base_topic=base_topic, connect_timeout=0.5)
    heard: list[BackendEvent] = []
    backend.events.listen(heard.append)
    garage = sim.plug("garage")
    garage.online = False
    try:
        with mosquitto(port=port):
            async with sim.Zigbee2MqttSimulator(
                "127.0.0.1", port, [sim.plug("kettle"), garage], base_topic=base_topic
            ):
                await backend.read(KETTLE)
        garage.online = True  # it came back while the broker was down
        with mosquitto(port=port):
            async with sim.Zigbee2MqttSimulator(
                "127.0.0.1", port, [sim.plug("kettle"), garage], base_topic=base_topic
            ):
                await heard_all(heard, news(DeviceNews.AVAILABLE, "garage"))
                await heard_all(heard, news(DeviceNews.RECONNECTED))
    finally:
        await backend.aclose()
    assert news(DeviceNews.CHANGED, "kettle") not in heard
