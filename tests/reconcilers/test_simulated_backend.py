"""The in-process simulated backend the demo runs on, and the settings that pick backends."""

from __future__ import annotations

import re

import pytest

from colonies.config import ConfigError
from colonies_home.backends.base import DeviceRef
from colonies_home.backends.registry import HomeBackends
from colonies_home.backends.simulated import SimulatedBackend, SimulatedDevice, SimulatedHome
from colonies_home.errors import (
    BackendNotConfiguredError,
    CommandNotConfirmedError,
    DeviceNotFoundError,
    DeviceUnavailableError,
    HubUnavailableError,
    UnsupportedSettingError,
)
from colonies_home.model import BackendKind, DeviceSettings, DeviceType, HvacMode
from colonies_home.settings import HomeSettings, MqttSettings

LAMP = DeviceRef("lamp", DeviceType.LIGHT)


async def test_devices_appear_on_first_use_and_take_commands() -> None:
    backend = SimulatedBackend()
    assert (await backend.read(LAMP)).power is False
    reading = await backend.send(LAMP, DeviceSettings(power=True, brightness=80))
    assert (reading.power, reading.brightness) == (True, 80)
    thermostat = DeviceRef("hall", DeviceType.CLIMATE)
    reading = await backend.send(thermostat, DeviceSettings(hvac_mode=HvacMode.HEAT))
    assert reading.hvac_mode is HvacMode.HEAT
    assert backend.home.devices["lamp"].commands == [DeviceSettings(power=True, brightness=80)]


async def test_faults_map_to_the_backend_errors() -> None:
    home = SimulatedHome(auto_create=False)
    home.add(SimulatedDevice.create("bulb", DeviceType.LIGHT, supports=("power",)))
    home.add(SimulatedDevice.create("lamp", DeviceType.LIGHT)).drop_commands = 1
    backend = SimulatedBackend(home)
    with pytest.raises(UnsupportedSettingError, match="'bulb' cannot take brightness"):
        await backend.send(DeviceRef("bulb", DeviceType.LIGHT), DeviceSettings(brightness=5))
    with pytest.raises(UnsupportedSettingError, match="is a light, not a switch"):
        await backend.read(DeviceRef("lamp", DeviceType.SWITCH))
    with pytest.raises(CommandNotConfirmedError):
        await backend.send(LAMP, DeviceSettings(power=True))
    assert (await backend.send(LAMP, DeviceSettings(power=True))).power is True
    with pytest.raises(DeviceNotFoundError):
        await backend.read(DeviceRef("ghost", DeviceType.LIGHT))
    home.set_online("lamp", False)
    with pytest.raises(DeviceUnavailableError, match="offline"):
        await backend.read(LAMP)
    home.set_online("lamp", True)
    home.hub_online = False
    with pytest.raises(HubUnavailableError):
        await backend.read(LAMP)


async def test_a_change_behind_our_back_shows_in_the_next_read() -> None:
    backend = SimulatedBackend()
    await backend.send(LAMP, DeviceSettings(power=True))
    backend.home.change_behind_back("lamp", power=False)
    assert (await backend.read(LAMP)).power is False


def test_settings_come_from_the_environment_and_hide_secrets() -> None:
    settings = HomeSettings.from_env(
        {
            "COLONIES_HOME_MQTT_HOST": "broker",
            "COLONIES_HOME_MQTT_PASSWORD": "hunter2",
            "COLONIES_HOME_HA_URL": "http://ha:8123",
            "COLONIES_HOME_HA_TOKEN": "secret-token",
            "COLONIES_HOME_MIN_COMMAND_INTERVAL": "2.5",
        }
    )
    assert settings.mqtt is not None
    assert (settings.mqtt.host, settings.mqtt.port, settings.mqtt.base_topic) == (
        "broker",
        1883,
        "zigbee2mqtt",
    )
    assert settings.limits.min_interval == 2.5
    assert "hunter2" not in repr(settings)
    assert "secret-token" not in repr(settings)


@pytest.mark.parametrize(
    ("env", "named"),
    [
        (
            {"COLONIES_HOME_MQTT_HOST": "b", "COLONIES_HOME_MQTT_PORT": "x"},
            "COLONIES_HOME_MQTT_PORT",
        ),
        ({"COLONIES_HOME_MQTT_HOST": "b", "COLONIES_HOME_MQTT_PORT": "0"}, "1..65535"),
        ({"COLONIES_HOME_MQTT_PORT": "1884"}, "without COLONIES_HOME_MQTT_HOST"),
        ({"COLONIES_HOME_HA_URL": "http://ha:8123"}, "COLONIES_HOME_HA_TOKEN are needed"),
        ({"COLONIES_HOME_HA_URL": "ha:8123", "COLONIES_HOME_HA_TOKEN": "t"}, "http:// or"),
        ({"COLONIES_HOME_COMMANDS_PER_SECOND": "0"}, "COLONIES_HOME_COMMANDS_PER_SECOND='0'"),
        ({"COLONIES_HOME_COMMAND_BURST": "many"}, "COLONIES_HOME_COMMAND_BURST='many'"),
        ({"COLONIES_HOME_COMMANDS_PER_SECOND": "nan"}, "PER_SECOND='nan': expected a number"),
        ({"COLONIES_HOME_MQTT_HOST": "b", "COLONIES_HOME_MQTT_PASSWORD": " "}, None),
    ],
)
def test_bad_settings_fail_at_start_naming_the_variable(
    env: dict[str, str], named: str | None
) -> None:
    if named is None:  # blank counts as unset
        assert HomeSettings.from_env(env).mqtt == MqttSettings("b")
        return
    with pytest.raises(ConfigError, match=re.escape(named)):
        HomeSettings.from_env(env)


def test_an_unconfigured_backend_names_the_variable_to_set() -> None:
    backends = HomeBackends(HomeSettings.from_env({}))
    assert backends.get(BackendKind.SIMULATED).kind is BackendKind.SIMULATED
    with pytest.raises(BackendNotConfiguredError, match="COLONIES_HOME_MQTT_HOST"):
        backends.get(BackendKind.ZIGBEE2MQTT)
    with pytest.raises(BackendNotConfiguredError, match="COLONIES_HOME_HA_URL"):
        backends.get(BackendKind.HOMEASSISTANT)
