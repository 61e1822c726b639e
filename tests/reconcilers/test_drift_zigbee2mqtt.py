"""Drift end to end on real Mosquitto with the Zigbee2MQTT simulator: a device changed behind
the reconciler's back is corrected, held or adopted as its blueprint says, a device that returns
is reconciled at once, a replayed retained state commands nothing, and two replicas send one
command per change. No test fires the server's resync: the device's own messages drive it all.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bench.drift_bench import owners_have_observed
from colonies.models import Blueprint
from colonies.testing import free_port
from colonies.testing.runner import ReconcilerRunner
from colonies.testing.targets import ThrowawayColony
from colonies_home import z2m_simulator as sim
from colonies_home.backends.zigbee2mqtt import Zigbee2MqttBackend
from colonies_home.components import MosquittoBroker, mosquitto
from tests.helpers import eventually_async
from tests.reconcilers.home_helpers import add_device, has_reason, reconciler_for

HOLD_SECONDS = 5.0


@pytest.fixture
async def bridge(
    mosquitto_broker: MosquittoBroker, base_topic: str
) -> AsyncIterator[sim.Zigbee2MqttSimulator]:
    names = ("porch", "hallway", "bedroom", "garage", "fridge")
    async with sim.Zigbee2MqttSimulator(
        mosquitto_broker.host,
        mosquitto_broker.port,
        [sim.plug(name) for name in names],
        base_topic=base_topic,
    ) as simulator:
        yield simulator


@pytest.fixture
def broker(mosquitto_broker: MosquittoBroker, base_topic: str) -> dict[str, Any]:
    return {"host": mosquitto_broker.host, "port": mosquitto_broker.port, "base_topic": base_topic}


def plug_on(device: str) -> dict[str, Any]:
    return {"backend": "zigbee2mqtt", "device": device, "type": "switch", "power": True}


async def switched_on(device: sim.SimulatedZigbeeDevice) -> None:
    """Wait until the plug is on again (the test switched it off just before)."""

    async def on() -> bool:
        return bool(device.state["state"] == "ON")

    await eventually_async(on)


def power(blueprint: Blueprint) -> object:
    return (blueprint.status or {}).get("power")


async def test_a_wall_switch_is_corrected_held_or_adopted_as_the_blueprint_says(
    colony: ThrowawayColony, bridge: sim.Zigbee2MqttSimulator, broker: dict[str, Any]
) -> None:
    async with ReconcilerRunner(reconciler_for(Zigbee2MqttBackend(**broker)), colony) as runner:
        await add_device(runner, "porch", plug_on("porch"))
        await add_device(
            runner, "hallway", plug_on("hallway"), policy="hold", hold_period=HOLD_SECONDS
        )
        await add_device(runner, "bedroom", plug_on("bedroom"), policy="adopt")
        for name in ("porch", "hallway", "bedroom"):
            await runner.wait_converged(name)
            await bridge.change_behind_back(name, state="OFF")

        await switched_on(bridge.devices["porch"])
        assert bridge.devices["porch"].commands == [{"state": "ON"}, {"state": "ON"}]

        held = await runner.wait_for("hallway", has_reason("ManualOverride", "Held"))
        assert power(held) is False  # reported as the person left it
        adopted = await runner.wait_for("bedroom", has_reason("ManualOverride", "Adopted"))
        assert power(adopted) is False
        assert bridge.devices["hallway"].state["state"] == "OFF"
        assert bridge.devices["hallway"].commands == [{"state": "ON"}]

        # The hold ends by itself and the spec wins again; the adopted plug stays as it is.
        await runner.wait_converged("hallway")
        assert bridge.devices["hallway"].commands == [{"state": "ON"}, {"state": "ON"}]
        assert bridge.devices["bedroom"].commands == [{"state": "ON"}]
        assert has_reason("Drifted", "Adopted")(await runner.blueprint("bedroom"))


async def test_a_device_that_returns_is_reconciled_and_gets_nothing_while_away(
    colony: ThrowawayColony, bridge: sim.Zigbee2MqttSimulator, broker: dict[str, Any]
) -> None:
    garage = bridge.devices["garage"]
    async with ReconcilerRunner(reconciler_for(Zigbee2MqttBackend(**broker)), colony) as runner:
        await add_device(runner, "garage", plug_on("garage"))
        await runner.wait_converged("garage")

        await bridge.set_device_online("garage", False)  # the power is cut
        await runner.wait_for("garage", has_reason("Degraded", "Unavailable"))
        garage.state["state"] = "OFF"  # power_on_behavior: off
        await bridge.set_device_online("garage", True)
        await runner.wait_converged("garage")
    assert garage.state["state"] == "ON"
    assert garage.commands == [{"state": "ON"}, {"state": "ON"}]


async def test_a_replayed_retained_state_commands_nothing(
    colony: ThrowawayColony, bridge: sim.Zigbee2MqttSimulator, broker: dict[str, Any]
) -> None:
    """The fridge's retained report says OFF, but that is an old message: the plug is on.
    A reconciler starting now hears the replay, asks the plug, and sends nothing."""
    fridge = bridge.devices["fridge"]
    fridge.retain = True
    await bridge.change_behind_back("fridge", state="OFF")  # retained by the broker
    fridge.state["state"] = "ON"  # switched on since, and the report was lost
    async with ReconcilerRunner(reconciler_for(Zigbee2MqttBackend(**broker)), colony) as runner:
        await add_device(runner, "fridge", plug_on("fridge"))
        converged = await runner.wait_converged("fridge")
    assert power(converged) is True
    assert fridge.commands == []


async def test_two_replicas_send_one_command_per_change(
    colony: ThrowawayColony, bridge: sim.Zigbee2MqttSimulator, broker: dict[str, Any]
) -> None:
    porch = bridge.devices["porch"]
    replicas = [reconciler_for(Zigbee2MqttBackend(**broker)) for _ in range(2)]
    # Membership (and the owner's look at blueprints new to its shard) every 0.3 s, not 15.
    first, second = (ReconcilerRunner(r, colony, shard_refresh=0.3) for r in replicas)
    async with first, second:
        await add_device(first, "porch", plug_on("porch"))
        await first.wait_converged("porch")

        # The replica that owns "porch" observes it once (the server gave the add to one of
        # them; the owner's next membership refresh picks it up), then it can name its events.
        async def owner_knows_porch() -> bool:
            return owners_have_observed([first, second], replicas, ["porch"])

        await eventually_async(owner_knows_porch, timeout=60)
        for _ in range(3):
            await bridge.change_behind_back("porch", state="OFF")

            await switched_on(porch)
            await first.wait_converged("porch")
    assert porch.commands == [{"state": "ON"}] * 4


async def test_a_plug_switched_while_the_broker_was_down_is_corrected_when_it_returns(
    colony: ThrowawayColony, base_topic: str
) -> None:
    """Nobody heard the wall switch (no broker): the re-connection has every plug looked at."""
    port = free_port()
    plug = sim.plug("porch")
    backend = Zigbee2MqttBackend("127.0.0.1", port, base_topic=base_topic, connect_timeout=0.5)
    async with ReconcilerRunner(reconciler_for(backend), colony) as runner:
        with mosquitto(port=port):
            async with sim.Zigbee2MqttSimulator("127.0.0.1", port, [plug], base_topic=base_topic):
                await add_device(runner, "porch", plug_on("porch"))
                await runner.wait_converged("porch")
        plug.state["state"] = "OFF"
        with mosquitto(port=port):
            async with sim.Zigbee2MqttSimulator("127.0.0.1", port, [plug], base_topic=base_topic):
                await switched_on(plug)
                await runner.wait_converged("porch")
        heard = runner.metric("device_events_total", source="zigbee2mqtt", event="reconnected")
    assert heard >= 1
