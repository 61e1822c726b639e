"""Drift end to end on a real Home Assistant (demo integration), heard on its WebSocket event
stream: a light switched off in Home Assistant is corrected, held or adopted as its blueprint
says, and an entity that becomes unavailable is left alone and reconciled when it returns.
No test fires the server's resync."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from colonies.models import Blueprint
from colonies.testing.runner import ReconcilerRunner
from colonies.testing.targets import ThrowawayColony
from colonies_home.backends.homeassistant import HomeAssistantBackend
from colonies_home.components import HomeAssistantHub
from tests.helpers import eventually_async
from tests.reconcilers.home_helpers import add_device, has_reason, reconciler_for

HOLD_SECONDS = 5.0
CORRECTED = "light.kitchen_lights"
HELD = "light.living_room_rgbww_lights"
ADOPTED = "light.office_rgbw_lights"
AWAY = "light.entrance_color_white_lights"


@pytest.fixture
async def hass(home_assistant_hub: HomeAssistantHub) -> AsyncIterator[httpx.AsyncClient]:
    """A person's way into Home Assistant (same REST API, same token)."""
    async with httpx.AsyncClient(
        base_url=home_assistant_hub.url,
        headers={"Authorization": f"Bearer {home_assistant_hub.token}"},
    ) as client:
        yield client


def light_on(entity_id: str) -> dict[str, Any]:
    return {"backend": "homeassistant", "device": entity_id, "type": "light", "power": True}


def power(blueprint: Blueprint) -> object:
    return (blueprint.status or {}).get("power")


async def entity_state(hass: httpx.AsyncClient, entity_id: str) -> str:
    return str((await hass.get(f"/api/states/{entity_id}")).json()["state"])


async def test_a_light_switched_off_in_home_assistant_is_corrected_held_or_adopted(
    colony: ThrowawayColony, home_assistant_hub: HomeAssistantHub, hass: httpx.AsyncClient
) -> None:
    backend = HomeAssistantBackend(home_assistant_hub.url, home_assistant_hub.token)
    async with ReconcilerRunner(reconciler_for(backend), colony) as runner:
        await add_device(runner, "kitchen", light_on(CORRECTED))
        await add_device(runner, "living", light_on(HELD), policy="hold", hold_period=HOLD_SECONDS)
        await add_device(runner, "office", light_on(ADOPTED), policy="adopt")
        for name, entity_id in (("kitchen", CORRECTED), ("living", HELD), ("office", ADOPTED)):
            await runner.wait_converged(name)
            await hass.post("/api/services/light/turn_off", json={"entity_id": entity_id})

        async def corrected() -> bool:
            return await entity_state(hass, CORRECTED) == "on"

        # the status said "on" before the switch-off too: the light itself must be on again
        await eventually_async(corrected)
        await runner.wait_for("kitchen", lambda bp: power(bp) is True, what="the correction")

        held = await runner.wait_for("living", has_reason("ManualOverride", "Held"))
        assert power(held) is False
        assert await entity_state(hass, HELD) == "off"
        adopted = await runner.wait_for("office", has_reason("ManualOverride", "Adopted"))
        assert power(adopted) is False

        await runner.wait_converged("living")  # the hold ran out: the spec wins again
        assert await entity_state(hass, HELD) == "on"
        assert await entity_state(hass, ADOPTED) == "off"


async def test_an_unavailable_entity_is_reconciled_when_it_returns(
    colony: ThrowawayColony, home_assistant_hub: HomeAssistantHub, hass: httpx.AsyncClient
) -> None:
    backend = HomeAssistantBackend(home_assistant_hub.url, home_assistant_hub.token)
    async with ReconcilerRunner(reconciler_for(backend), colony) as runner:
        await add_device(runner, "entrance", light_on(AWAY))
        await runner.wait_converged("entrance")

        # The integration lost the device, which then came back switched off.
        await hass.post(f"/api/states/{AWAY}", json={"state": "unavailable"})
        await runner.wait_for("entrance", has_reason("Degraded", "Unavailable"))
        await hass.post(f"/api/states/{AWAY}", json={"state": "off"})
        await runner.wait_converged("entrance")
        assert await entity_state(hass, AWAY) == "on"
