"""Value mappings between the device model (percent, kelvin) and what hubs speak.

Zigbee2MQTT speaks brightness 0-254 and colour temperature in mireds; Home Assistant speaks
brightness 0-255. The model keeps human units so a blueprint reads the same on every backend.
"""

from __future__ import annotations

Z2M_BRIGHTNESS_MAX = 254
HA_BRIGHTNESS_MAX = 255


def percent_to_level(percent: int, maximum: int) -> int:
    """Brightness percent (0-100) to a device level (0-``maximum``)."""
    return round(percent * maximum / 100)


def level_to_percent(level: int, maximum: int) -> int:
    """A device level (0-``maximum``) to brightness percent; exact inverse of
    :func:`percent_to_level` for every whole percent, since one percent spans over one level."""
    return round(level * 100 / maximum)


def kelvin_to_mired(kelvin: int) -> int:
    """Colour temperature in kelvin to mireds (micro reciprocal degrees), as Zigbee speaks it."""
    return round(1_000_000 / kelvin)


def mired_to_kelvin(mired: int) -> int:
    """Mireds to kelvin."""
    return round(1_000_000 / mired)


def same_color_temp(kelvin_a: int, kelvin_b: int) -> bool:
    """Whether two colour temperatures are the same at a Zigbee device's resolution (1 mired).

    2700 K is 370 mireds and 370 mireds reads back as 2703 K: without this the reconciler would
    see drift on every resync and command the lamp forever.
    """
    return kelvin_to_mired(kelvin_a) == kelvin_to_mired(kelvin_b)
