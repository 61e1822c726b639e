"""The "houses" the demo can run against: where its four devices live and how to meddle with
them behind the reconciler's back.

* ``simulated``: SIMULATED devices in this process; nothing to install.
* ``mqtt``: a private Mosquitto (or a given broker) with the Zigbee2MQTT simulator on it.
* ``homeassistant``: a private Home Assistant with its demo integration (or a given one).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import httpx

from colonies_home.backends.base import DeviceBackend, DeviceRef
from colonies_home.backends.simulated import SimulatedBackend, SimulatedDevice, SimulatedHome
from colonies_home.blueprints import example_blueprints
from colonies_home.model import BackendKind, DeviceType, HomeDeviceSpec

if TYPE_CHECKING:
    from colonies_home.z2m_simulator import Zigbee2MqttSimulator


def example_devices(backend: BackendKind) -> list[DeviceRef]:
    """The devices the example blueprints for ``backend`` drive."""
    specs = [HomeDeviceSpec.model_validate(bp.spec) for bp in example_blueprints(backend, "demo")]
    return [DeviceRef(spec.device, spec.type) for spec in specs]


class DemoSite(Protocol):
    """What the demo needs from a house."""

    backend_kind: BackendKind
    label: str

    def backend(self) -> DeviceBackend:
        """A backend for the reconciler (the demo reads the devices through its own)."""
        ...

    async def switch_off_by_hand(self, ref: DeviceRef) -> None:
        """Turn the switch ``ref`` off without telling anyone."""
        ...


@dataclass
class SimulatedSite:
    """SIMULATED devices, in this process."""

    home: SimulatedHome
    backend_kind: BackendKind = BackendKind.SIMULATED
    label: str = "SIMULATED devices (in-process, no hardware)"

    def backend(self) -> DeviceBackend:
        return SimulatedBackend(self.home)

    async def switch_off_by_hand(self, ref: DeviceRef) -> None:
        self.home.change_behind_back(ref.device, power=False)


@contextlib.asynccontextmanager
async def simulated_site() -> AsyncIterator[SimulatedSite]:
    """The example devices, simulated, all in states other than the blueprints ask for."""
    home = SimulatedHome(auto_create=False)
    for ref in example_devices(BackendKind.SIMULATED):
        home.add(SimulatedDevice.create(ref.device, ref.type))
    yield SimulatedSite(home)


@dataclass
class Zigbee2MqttSite:
    """The Zigbee2MQTT simulator on a real broker."""

    host: str
    port: int
    base_topic: str
    simulator: Zigbee2MqttSimulator
    backend_kind: BackendKind = BackendKind.ZIGBEE2MQTT
    label: str = ""

    def backend(self) -> DeviceBackend:
        from colonies_home.backends.zigbee2mqtt import Zigbee2MqttBackend

        return Zigbee2MqttBackend(self.host, self.port, base_topic=self.base_topic)

    async def switch_off_by_hand(self, ref: DeviceRef) -> None:
        await self.simulator.change_behind_back(ref.device, state="OFF")


@contextlib.asynccontextmanager
async def zigbee2mqtt_site(host: str | None, port: int) -> AsyncIterator[Zigbee2MqttSite]:
    """The Zigbee2MQTT simulator on broker ``host:port``, or on a private Mosquitto."""
    from colonies_home import z2m_simulator as sim
    from colonies_home.components import mosquitto

    with contextlib.ExitStack() as stack:
        if host is None:
            broker = stack.enter_context(mosquitto())
            host, port = broker.host, broker.port
        makers = {
            DeviceType.LIGHT: sim.light,
            DeviceType.SWITCH: sim.plug,
            DeviceType.CLIMATE: sim.thermostat,
            DeviceType.COVER: sim.cover,
        }
        devices = [makers[ref.type](ref.device) for ref in example_devices(BackendKind.ZIGBEE2MQTT)]
        base_topic = "zigbee2mqtt-demo"
        async with sim.Zigbee2MqttSimulator(host, port, devices, base_topic=base_topic) as bridge:
            label = f"Zigbee2MQTT simulator on mqtt://{host}:{port}/{base_topic}"
            yield Zigbee2MqttSite(host, port, base_topic, bridge, label=label)


@dataclass
class HomeAssistantSite:
    """Home Assistant's demo entities."""

    url: str
    token: str
    backend_kind: BackendKind = BackendKind.HOMEASSISTANT
    label: str = ""

    def __repr__(self) -> str:
        return f"HomeAssistantSite(url={self.url!r})"

    def backend(self) -> DeviceBackend:
        from colonies_home.backends.homeassistant import HomeAssistantBackend

        return HomeAssistantBackend(self.url, self.token)

    async def switch_off_by_hand(self, ref: DeviceRef) -> None:
        async with httpx.AsyncClient(
            base_url=self.url, headers={"Authorization": f"Bearer {self.token}"}
        ) as http:
            reply = await http.post("/api/services/switch/turn_off", json={"entity_id": ref.device})
            reply.raise_for_status()


@contextlib.asynccontextmanager
async def home_assistant_site(
    url: str | None, token: str | None
) -> AsyncIterator[HomeAssistantSite]:
    """Home Assistant at ``url`` with ``token``, or a private one (demo integration) started now."""
    from colonies_home.components import home_assistant

    with contextlib.ExitStack() as stack:
        if url is None or token is None:
            hub = stack.enter_context(home_assistant())
            url, token = hub.url, hub.token
        yield HomeAssistantSite(url, token, label=f"Home Assistant demo entities at {url}")
