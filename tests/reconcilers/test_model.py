"""The HomeDevice spec: what each device type takes, and the unit conversions behind it."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from colonies_home.backends.base import mismatches
from colonies_home.conversions import (
    HA_BRIGHTNESS_MAX,
    Z2M_BRIGHTNESS_MAX,
    kelvin_to_mired,
    level_to_percent,
    mired_to_kelvin,
    percent_to_level,
    same_color_temp,
)
from colonies_home.model import DeviceReading, DeviceSettings, HomeDeviceSpec


def test_each_type_takes_its_own_settings() -> None:
    light = HomeDeviceSpec.model_validate(
        {
            "backend": "zigbee2mqtt",
            "device": "lamp",
            "type": "light",
            "power": True,
            "brightness": 40,
            "color_temp_kelvin": 2700,
        }
    )
    assert light.settings() == DeviceSettings(power=True, brightness=40, color_temp_kelvin=2700)
    climate = HomeDeviceSpec.model_validate(
        {
            "backend": "homeassistant",
            "device": "climate.hvac",
            "type": "climate",
            "hvac_mode": "heat",
            "target_temperature": 21,
        }
    )
    assert climate.settings().managed() == {"hvac_mode": "heat", "target_temperature": 21.0}


def test_brightness_on_a_plug_is_refused_with_the_reason() -> None:
    with pytest.raises(
        ValidationError,
        match=r"brightness cannot be set on a switch \(a switch "
        r"takes: power\)",
    ):
        HomeDeviceSpec.model_validate(
            {"backend": "simulated", "device": "plug", "type": "switch", "brightness": 50}
        )


@pytest.mark.parametrize(
    ("field", "value"),
    [("brightness", 101), ("position", -1), ("target_temperature", 60), ("hvac_mode", "turbo")],
)
def test_out_of_range_values_are_refused(field: str, value: object) -> None:
    device_type = {"brightness": "light", "position": "cover"}.get(field, "climate")
    with pytest.raises(ValidationError, match=field):
        HomeDeviceSpec.model_validate(
            {"backend": "simulated", "device": "d", "type": device_type, field: value}
        )


def test_unknown_fields_and_backends_are_refused() -> None:
    with pytest.raises(ValidationError, match="brightnes"):
        HomeDeviceSpec.model_validate(
            {"backend": "simulated", "device": "d", "type": "light", "brightnes": 5}
        )
    with pytest.raises(ValidationError, match="backend"):
        HomeDeviceSpec.model_validate({"backend": "hue", "device": "d", "type": "light"})


@pytest.mark.parametrize("maximum", [Z2M_BRIGHTNESS_MAX, HA_BRIGHTNESS_MAX])
def test_every_brightness_percent_survives_the_round_trip(maximum: int) -> None:
    for percent in range(101):
        assert level_to_percent(percent_to_level(percent, maximum), maximum) == percent
    assert percent_to_level(100, maximum) == maximum


def test_colour_temperature_compares_at_device_resolution() -> None:
    assert kelvin_to_mired(2700) == 370
    assert mired_to_kelvin(370) == 2703
    assert same_color_temp(2700, 2703)
    assert same_color_temp(2700, 2702)  # Home Assistant truncates to 2702
    assert not same_color_temp(2700, 2750)
    reading = DeviceReading(color_temp_kelvin=2703, brightness=50)
    assert mismatches(reading, DeviceSettings(color_temp_kelvin=2700, brightness=50)) == []
    assert mismatches(reading, DeviceSettings(brightness=51)) == ["brightness"]


def test_a_light_that_is_off_does_not_enforce_brightness() -> None:
    spec = HomeDeviceSpec.model_validate(
        {
            "backend": "simulated",
            "device": "lamp",
            "type": "light",
            "power": False,
            "brightness": 40,
            "color_temp_kelvin": 2700,
        }
    )
    assert spec.settings() == DeviceSettings(power=False)
