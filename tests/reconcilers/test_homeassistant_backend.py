"""The Home Assistant backend against a real Home Assistant 2024.3.3 running its demo integration.

One Home Assistant serves the session, so each test drives entities no other test touches.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest

from colonies.testing import free_port
from colonies_home.backends.base import DeviceRef
from colonies_home.backends.homeassistant import HomeAssistantBackend
from colonies_home.components import HomeAssistantHub
from colonies_home.conversions import same_color_temp
from colonies_home.errors import (
    DeviceNotFoundError,
    HubAuthenticationError,
    HubUnavailableError,
    UnsupportedSettingError,
)
from colonies_home.model import DeviceSettings, DeviceType, HvacMode


@pytest.fixture
async def backend(home_assistant_hub: HomeAssistantHub) -> AsyncIterator[HomeAssistantBackend]:
    backend = HomeAssistantBackend(home_assistant_hub.url, home_assistant_hub.token)
    yield backend
    await backend.aclose()


async def test_read_maps_entity_state_to_the_model(backend: HomeAssistantBackend) -> None:
    heatpump = await backend.read(DeviceRef("climate.heatpump", DeviceType.CLIMATE))
    assert (heatpump.hvac_mode, heatpump.target_temperature) == (HvacMode.HEAT, 20.0)
    assert heatpump.current_temperature == 25.0
    ceiling = await backend.read(DeviceRef("light.ceiling_lights", DeviceType.LIGHT))
    assert ceiling.power is True
    assert ceiling.brightness == 71  # 180 of 255
    assert ceiling.color_temp_kelvin == 2631
    garage = await backend.read(DeviceRef("cover.garage_door", DeviceType.COVER))
    assert garage.position == 0  # no position attribute: "closed"


async def test_light_service_calls_carry_percent_and_kelvin(backend: HomeAssistantBackend) -> None:
    bed = DeviceRef("light.bed_light", DeviceType.LIGHT)
    reading = await backend.send(
        bed, DeviceSettings(power=True, brightness=60, color_temp_kelvin=2700)
    )
    assert (reading.power, reading.brightness) == (True, 60)
    assert reading.color_temp_kelvin is not None
    assert same_color_temp(reading.color_temp_kelvin, 2700)
    assert (await backend.send(bed, DeviceSettings(power=False))).power is False


async def test_switch_climate_and_cover_commands(backend: HomeAssistantBackend) -> None:
    ac = DeviceRef("switch.ac", DeviceType.SWITCH)
    assert (await backend.send(ac, DeviceSettings(power=True))).power is True
    hvac = DeviceRef("climate.hvac", DeviceType.CLIMATE)
    reading = await backend.send(
        hvac, DeviceSettings(hvac_mode=HvacMode.HEAT, target_temperature=23.5)
    )
    assert (reading.hvac_mode, reading.target_temperature) == (HvacMode.HEAT, 23.5)
    # The demo window moves 10 % a second; send() returns once it got there.
    window = DeviceRef("cover.hall_window", DeviceType.COVER)
    assert (await backend.send(window, DeviceSettings(position=30))).position == 30


async def test_a_change_behind_our_back_shows_in_the_next_read(
    backend: HomeAssistantBackend, home_assistant_hub: HomeAssistantHub
) -> None:
    plug = DeviceRef("switch.decorative_lights", DeviceType.SWITCH)
    await backend.send(plug, DeviceSettings(power=True))
    async with httpx.AsyncClient(
        base_url=home_assistant_hub.url,
        headers={"Authorization": f"Bearer {home_assistant_hub.token}"},
    ) as http:
        reply = await http.post(
            "/api/services/switch/turn_off", json={"entity_id": "switch.decorative_lights"}
        )
        reply.raise_for_status()
    assert (await backend.read(plug)).power is False


async def test_settings_an_entity_cannot_take_fail_before_sending(
    backend: HomeAssistantBackend,
) -> None:
    cases = [
        ("light.office_rgbw_lights", DeviceType.LIGHT, DeviceSettings(color_temp_kelvin=3000)),
        ("cover.kitchen_window", DeviceType.COVER, DeviceSettings(position=50)),
        ("climate.heatpump", DeviceType.CLIMATE, DeviceSettings(hvac_mode=HvacMode.COOL)),
    ]
    for entity_id, device_type, settings in cases:
        with pytest.raises(UnsupportedSettingError, match=re.escape(f"'{entity_id}' cannot take")):
            await backend.send(DeviceRef(entity_id, device_type), settings)
    with pytest.raises(UnsupportedSettingError, match=re.escape("'switch.ac' is not a light")):
        await backend.read(DeviceRef("switch.ac", DeviceType.LIGHT))


async def test_unknown_entity_bad_token_and_no_hub_fail_clearly(
    backend: HomeAssistantBackend, home_assistant_hub: HomeAssistantHub
) -> None:
    with pytest.raises(DeviceNotFoundError, match=re.escape("no entity 'light.nowhere'")):
        await backend.read(DeviceRef("light.nowhere", DeviceType.LIGHT))

    impostor = HomeAssistantBackend(home_assistant_hub.url, "not-a-token")
    try:
        with pytest.raises(HubAuthenticationError, match="refused the token"):
            await impostor.read(DeviceRef("light.bed_light", DeviceType.LIGHT))
    finally:
        await impostor.aclose()

    gone = HomeAssistantBackend(f"http://127.0.0.1:{free_port()}", home_assistant_hub.token)
    try:
        with pytest.raises(HubUnavailableError, match="unreachable"):
            await gone.read(DeviceRef("light.bed_light", DeviceType.LIGHT))
    finally:
        await gone.aclose()


def test_the_token_never_shows(home_assistant_hub: HomeAssistantHub) -> None:
    backend = HomeAssistantBackend(home_assistant_hub.url, home_assistant_hub.token)
    assert home_assistant_hub.token not in repr(backend) + backend.describe()
    assert home_assistant_hub.token not in repr(home_assistant_hub)
