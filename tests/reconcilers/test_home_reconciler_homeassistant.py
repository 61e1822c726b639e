"""The HomeDevice reconciler end to end on a real Home Assistant: the example blueprints (one
device of each type), then a change made in Home Assistant behind the reconciler's back."""

from __future__ import annotations

import httpx

from colonies.testing import free_port
from colonies.testing.runner import ReconcilerRunner
from colonies.testing.targets import ThrowawayColony
from colonies_home.backends.homeassistant import HomeAssistantBackend
from colonies_home.components import HomeAssistantHub
from colonies_home.model import BackendKind
from tests.reconcilers.home_helpers import (
    condition,
    examples_of_the_test_kind,
    is_true,
    reconciler_for,
)


async def test_the_example_blueprints_converge_and_drift_is_corrected(
    colony: ThrowawayColony, home_assistant_hub: HomeAssistantHub
) -> None:
    backend = HomeAssistantBackend(home_assistant_hub.url, home_assistant_hub.token)
    async with ReconcilerRunner(reconciler_for(backend), colony) as runner:
        blueprints = examples_of_the_test_kind(BackendKind.HOMEASSISTANT, runner.colony_name)
        for blueprint in blueprints:
            await runner.client.add_blueprint(blueprint)
        for blueprint in blueprints:
            await runner.wait_converged(blueprint.metadata.name)

        async with httpx.AsyncClient(
            base_url=home_assistant_hub.url,
            headers={"Authorization": f"Bearer {home_assistant_hub.token}"},
        ) as hass:
            await hass.post(
                "/api/services/climate/set_temperature",
                json={"entity_id": "climate.hvac", "temperature": 16},
            )
            await runner.resync()
            thermostat = await runner.wait_converged("hallway-thermostat")
            state = (await hass.get("/api/states/climate.hvac")).json()
    assert state["attributes"]["temperature"] == 21
    assert (thermostat.status or {})["target_temperature"] == 21


async def test_an_unreachable_hub_degrades_with_the_reason(
    colony: ThrowawayColony, home_assistant_hub: HomeAssistantHub
) -> None:
    gone = HomeAssistantBackend(f"http://127.0.0.1:{free_port()}", home_assistant_hub.token)
    async with ReconcilerRunner(reconciler_for(gone), colony) as runner:
        await runner.set_spec(
            "tv",
            {"backend": "homeassistant", "device": "switch.ac", "type": "switch", "power": True},
        )
        degraded = await runner.wait_for("tv", is_true("Degraded"), what="Degraded")
    assert "Home Assistant at http://127.0.0.1" in condition(degraded, "Degraded")["message"]
    assert "unreachable" in condition(degraded, "Degraded")["message"]
