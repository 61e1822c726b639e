"""The HomeDevice reconciler end to end: ColonyOS (``colony`` fixture) -> runtime -> backend ->
devices, with the Zigbee2MQTT simulator on the real broker and simulated devices."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from colonies.testing.runner import ReconcilerRunner
from colonies.testing.targets import ThrowawayColony
from colonies_home import z2m_simulator as sim
from colonies_home.backends.simulated import SimulatedBackend, SimulatedHome
from colonies_home.backends.zigbee2mqtt import Zigbee2MqttBackend
from colonies_home.components import MosquittoBroker
from colonies_home.model import BackendKind
from tests.reconcilers.home_helpers import (
    condition,
    examples_of_the_test_kind,
    has_reason,
    is_true,
    reconciler_for,
)


@pytest.fixture
async def bridge(
    mosquitto_broker: MosquittoBroker, base_topic: str
) -> AsyncIterator[sim.Zigbee2MqttSimulator]:
    devices = [
        sim.light("hall/lamp"),
        sim.plug("kettle"),
        sim.plug("garage", state="OFF"),
        sim.thermostat("radiator"),
    ]
    devices[2].online = False
    async with sim.Zigbee2MqttSimulator(
        mosquitto_broker.host, mosquitto_broker.port, devices, base_topic=base_topic
    ) as simulator:
        yield simulator


@pytest.fixture
def zigbee(mosquitto_broker: MosquittoBroker, base_topic: str) -> Zigbee2MqttBackend:
    return Zigbee2MqttBackend(mosquitto_broker.host, mosquitto_broker.port, base_topic=base_topic)


def z2m_spec(device: str, device_type: str, **settings: Any) -> dict[str, Any]:
    return {"backend": "zigbee2mqtt", "device": device, "type": device_type, **settings}


async def test_the_example_blueprints_converge_on_simulated_devices(
    colony: ThrowawayColony,
) -> None:
    home = SimulatedHome()
    async with ReconcilerRunner(reconciler_for(SimulatedBackend(home)), colony) as runner:
        for blueprint in examples_of_the_test_kind(BackendKind.SIMULATED, runner.colony_name):
            await runner.client.add_blueprint(blueprint)
        lamp = await runner.wait_converged("living-room-lamp")
        for name in ("coffee-plug", "hallway-thermostat", "bedroom-blind"):
            await runner.wait_converged(name)
    assert home.devices["living-room-lamp"].reading.brightness == 70
    assert home.devices["hallway-thermostat"].reading.target_temperature == 21
    assert home.devices["bedroom-blind"].reading.position == 40
    status = lamp.status or {}
    assert (status["power"], status["brightness"], status["color_temp_kelvin"]) == (True, 70, 2700)
    assert status["observed_at"].endswith("Z")


async def test_zigbee_spec_change_drift_and_a_quiet_resync(
    colony: ThrowawayColony, bridge: sim.Zigbee2MqttSimulator, zigbee: Zigbee2MqttBackend
) -> None:
    lamp = bridge.devices["hall/lamp"]
    async with ReconcilerRunner(reconciler_for(zigbee), colony) as runner:
        await runner.set_spec(
            "hall",
            z2m_spec("hall/lamp", "light", power=True, brightness=60, color_temp_kelvin=2700),
        )
        first = await runner.wait_converged("hall")
        assert (lamp.state["brightness"], lamp.state["color_temp"]) == (152, 370)
        # 370 mireds read back as 2703 K: the same colour at the bulb's resolution, no drift.
        assert (first.status or {})["color_temp_kelvin"] == 2700

        writes = runner.metric("status_writes_total")
        await runner.resync()
        assert len(lamp.commands) == 1
        assert runner.metric("status_writes_total") == writes

        await runner.set_spec("hall", z2m_spec("hall/lamp", "light", power=True, brightness=20))
        await runner.wait_for("hall", lambda bp: (bp.status or {}).get("brightness") == 20)
        assert lamp.commands[-1] == {"brightness": 51}

        await bridge.change_behind_back("hall/lamp", state="OFF")
        await runner.resync()
        corrected = await runner.wait_converged("hall")
        assert lamp.state["state"] == "ON"
        assert lamp.commands[-1] == {"state": "ON"}
        assert (corrected.status or {})["power"] is True
        assert runner.metric("drift_detected_total") >= 3  # create, spec change, hand-made change


async def test_a_device_offline_at_start_is_unavailable_until_the_bridge_says_it_is_back(
    colony: ThrowawayColony, bridge: sim.Zigbee2MqttSimulator, zigbee: Zigbee2MqttBackend
) -> None:
    """The broker replays "garage is offline" (retained): the first reconcile reports the
    device unavailable instead of retrying it, and its return is reconciled at once."""
    async with ReconcilerRunner(reconciler_for(zigbee), colony) as runner:
        await runner.set_spec("garage", z2m_spec("garage", "switch", power=True))
        away = await runner.wait_for("garage", has_reason("Degraded", "Unavailable"))
        assert "unavailable" in condition(away, "Degraded")["message"]
        assert bridge.devices["garage"].commands == []

        await bridge.set_device_online("garage", True)
        await runner.wait_converged("garage")  # no resync: the availability message did it
        assert bridge.devices["garage"].state["state"] == "ON"


async def test_a_dropped_command_is_retried(
    colony: ThrowawayColony,
    bridge: sim.Zigbee2MqttSimulator,
    mosquitto_broker: MosquittoBroker,
    base_topic: str,
) -> None:
    bridge.devices["kettle"].drop_commands = 1
    quick = Zigbee2MqttBackend(
        mosquitto_broker.host, mosquitto_broker.port, base_topic=base_topic, confirm_timeout=0.5
    )
    async with ReconcilerRunner(reconciler_for(quick), colony) as runner:
        await runner.set_spec("kettle", z2m_spec("kettle", "switch", power=True))
        await runner.wait_converged("kettle")
    assert bridge.devices["kettle"].commands == [{"state": "ON"}]
    assert bridge.devices["kettle"].drop_commands == 0


async def test_settings_a_device_cannot_take_fail_clearly(
    colony: ThrowawayColony, bridge: sim.Zigbee2MqttSimulator, zigbee: Zigbee2MqttBackend
) -> None:
    async with ReconcilerRunner(reconciler_for(zigbee), colony) as runner:
        # A plug declared as a light: the Zigbee2MQTT definition has no brightness.
        await runner.set_spec("kettle", z2m_spec("kettle", "light", power=True, brightness=30))
        failed = await runner.wait_for("kettle", is_true("Failed"), what="Failed")
        assert condition(failed, "Failed")["reason"] == "PermanentError"
        assert "'kettle' cannot take brightness" in condition(failed, "Failed")["message"]
        assert bridge.devices["kettle"].commands == []

        # A switch with a brightness never reaches a device: the spec itself is refused.
        await runner.set_spec("plug", z2m_spec("kettle", "switch", brightness=30))
        invalid = await runner.wait_for("plug", is_true("Failed"), what="Failed")
        assert condition(invalid, "Failed")["reason"] == "InvalidSpec"
        assert "brightness cannot be set on a switch" in condition(invalid, "Failed")["message"]


async def test_an_unconfigured_backend_names_the_missing_setting(colony: ThrowawayColony) -> None:
    async with ReconcilerRunner(reconciler_for(SimulatedBackend()), colony) as runner:
        await runner.set_spec(
            "tv",
            {"backend": "homeassistant", "device": "switch.tv", "type": "switch", "power": True},
        )
        failed = await runner.wait_for("tv", is_true("Failed"), what="Failed")
        assert "COLONIES_HOME_HA_URL" in condition(failed, "Failed")["message"]
