"""The typed device model behind the ``HomeDevice`` blueprint kind.

One kind covers lights, switches/plugs, climate and covers: a ``type`` field says which, and the
spec refuses settings that type cannot take, so "brightness on a plug" fails at validation with a
message that says why instead of reaching a device.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator


class DeviceType(StrEnum):
    """What kind of device a blueprint drives."""

    LIGHT = "light"
    SWITCH = "switch"
    CLIMATE = "climate"
    COVER = "cover"


class BackendKind(StrEnum):
    """Where the device lives, which also says what ``device`` names."""

    SIMULATED = "simulated"  # an in-process simulated device: its id
    ZIGBEE2MQTT = "zigbee2mqtt"  # a Zigbee2MQTT device: its friendly_name
    HOMEASSISTANT = "homeassistant"  # a Home Assistant entity: its entity_id


class HvacMode(StrEnum):
    """The HVAC modes every backend can express."""

    OFF = "off"
    HEAT = "heat"
    COOL = "cool"
    AUTO = "auto"


class DeviceSettings(BaseModel):
    """The controllable settings of a device; ``None`` means "not managed"."""

    model_config = ConfigDict(extra="forbid")

    power: bool | None = Field(default=None, description="On (true) or off (false)")
    brightness: int | None = Field(default=None, ge=0, le=100, description="Percent, 0-100")
    color_temp_kelvin: int | None = Field(
        default=None, ge=1000, le=10000, description="Colour temperature in kelvin"
    )
    hvac_mode: HvacMode | None = Field(default=None, description="Climate mode")
    target_temperature: float | None = Field(
        default=None, ge=5, le=35, description="Climate set point in degrees Celsius"
    )
    position: int | None = Field(
        default=None, ge=0, le=100, description="Cover position in percent, 100 is fully open"
    )

    def managed(self) -> dict[str, object]:
        """The settings this object sets, by field name."""
        return self.model_dump(exclude_none=True)


SETTING_NAMES: tuple[str, ...] = tuple(DeviceSettings.model_fields)

CONTROLS: dict[DeviceType, tuple[str, ...]] = {
    DeviceType.LIGHT: ("power", "brightness", "color_temp_kelvin"),
    DeviceType.SWITCH: ("power",),
    DeviceType.CLIMATE: ("hvac_mode", "target_temperature"),
    DeviceType.COVER: ("position",),
}


class HomeDeviceSpec(DeviceSettings):
    """Desired state of one device, and where to find it."""

    backend: BackendKind = Field(description="simulated, zigbee2mqtt or homeassistant")
    device: str = Field(
        min_length=1,
        description="Device identity on the backend: simulated id, Zigbee2MQTT friendly_name "
        "or Home Assistant entity_id",
    )
    type: DeviceType = Field(description="light, switch, climate or cover")

    @model_validator(mode="after")
    def _settings_fit_the_type(self) -> Self:
        allowed = CONTROLS[self.type]
        refused = [name for name in self.managed() if name in SETTING_NAMES and name not in allowed]
        if refused:
            raise ValueError(
                f"{', '.join(refused)} cannot be set on a {self.type.value} "
                f"(a {self.type.value} takes: {', '.join(allowed)})"
            )
        # A light's brightness and colour temperature apply while it is on: with power false
        # they stay in the blueprint for next time but are not enforced (hubs report none for
        # a light that is off, and sending one would switch it on).
        if self.type is DeviceType.LIGHT and self.power is False:
            self.brightness = None
            self.color_temp_kelvin = None
        return self

    def settings(self) -> DeviceSettings:
        """Just the desired settings, without the identity."""
        return DeviceSettings.model_validate(
            {name: getattr(self, name) for name in SETTING_NAMES if getattr(self, name) is not None}
        )


class DeviceReading(DeviceSettings):
    """What a backend observed on a device at one moment."""

    model_config = ConfigDict(extra="ignore")

    available: bool = Field(default=True, description="The device answered and is online")
    current_temperature: float | None = Field(
        default=None, description="Measured temperature (climate), degrees Celsius"
    )


class HomeDeviceStatus(DeviceReading):
    """Observed state written to the blueprint's status: what was seen and when."""

    observed_at: datetime = Field(description="When the device was last observed (UTC)")
