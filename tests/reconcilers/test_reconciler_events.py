"""How the HomeDevice reconciler turns backend announcements into runtime events: by the
blueprints that address the device, learned from the specs it observed."""

from __future__ import annotations

from colonies.models import Blueprint
from colonies.runtime import EventSink
from colonies.runtime.resource import Resource
from colonies.runtime.triggers import AvailabilityChanged, DeviceChanged, DeviceEvent, Reconnected
from colonies_home.backends.simulated import SimulatedBackend, SimulatedDevice, SimulatedHome
from colonies_home.device_index import DeviceIndex
from colonies_home.model import BackendKind, DeviceType, HomeDeviceSpec
from tests.reconcilers.home_helpers import reconciler_for


def resource(name: str, device: str) -> Resource[HomeDeviceSpec]:
    spec = HomeDeviceSpec(backend=BackendKind.SIMULATED, device=device, type=DeviceType.SWITCH)
    blueprint = Blueprint.model_validate(
        {
            "kind": "HomeDevice",
            "metadata": {"name": name, "colonyname": "home"},
            "spec": spec.model_dump(mode="json", exclude_none=True),
        }
    )
    return Resource.from_blueprint(blueprint, spec)


def what(events: list[DeviceEvent]) -> list[tuple[str, str]]:
    """Each event as (kind, blueprint name), without the clock."""
    seen = []
    for event in events:
        if isinstance(event, DeviceChanged):
            seen.append(("changed", event.name))
        elif isinstance(event, AvailabilityChanged):
            seen.append(("available" if event.available else "unavailable", event.name))
        elif isinstance(event, Reconnected):
            seen.append(("reconnected", event.source))
    return seen


async def test_device_news_reaches_every_blueprint_that_addresses_the_device() -> None:
    home = SimulatedHome(auto_create=False)
    home.add(SimulatedDevice.create("porch", DeviceType.SWITCH))
    home.add(SimulatedDevice.create("shed", DeviceType.SWITCH))
    reconciler = reconciler_for(SimulatedBackend(home))
    events: list[DeviceEvent] = []
    reconciler.events = EventSink(events.append)
    await reconciler.observe(resource("porch-light", "porch"))
    await reconciler.observe(resource("porch-scene", "porch"))
    await reconciler.observe(resource("shed-light", "shed"))

    home.change_behind_back("porch", power=True)  # the wall switch
    home.power_cut("shed")
    home.power_restored("shed")
    await reconciler.cleanup("porch-scene")
    home.change_behind_back("porch", power=False)
    assert what(events) == [
        ("changed", "porch-light"),
        ("changed", "porch-scene"),
        ("unavailable", "shed-light"),
        ("available", "shed-light"),
        ("changed", "porch-light"),
    ]


def test_the_index_follows_a_blueprint_that_moves_to_another_device() -> None:
    index = DeviceIndex()
    index.learn("lamp", BackendKind.SIMULATED, "a")
    index.learn("lamp", BackendKind.SIMULATED, "b")
    index.learn("fan", BackendKind.ZIGBEE2MQTT, "b")
    assert index.blueprints(BackendKind.SIMULATED, "a") == []
    assert index.blueprints(BackendKind.SIMULATED, "b") == ["lamp"]
    assert index.on_backend(BackendKind.ZIGBEE2MQTT) == ["fan"]
    index.forget("fan")
    index.forget("fan")  # idempotent, like cleanup
    assert index.on_backend(BackendKind.ZIGBEE2MQTT) == []
