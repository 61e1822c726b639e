"""SIMULATED devices, in process: no hub, no radio, nothing to install.

For the demo on a bare machine and for trying a blueprint out. The devices keep their state in
the device model's own units and can be made to misbehave (offline, dropped commands, a hub
outage, a power cut) or be changed "by hand" behind the reconciler's back; each such change is
announced to the backends' event gates, as a hub would report it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from colonies_home.backends.base import DeviceBackend, DeviceRef
from colonies_home.backends.events import EventGate
from colonies_home.errors import (
    CommandNotConfirmedError,
    DeviceNotFoundError,
    DeviceOfflineError,
    HubUnavailableError,
    UnsupportedSettingError,
)
from colonies_home.model import (
    CONTROLS,
    SETTING_NAMES,
    BackendKind,
    DeviceReading,
    DeviceSettings,
    DeviceType,
    HvacMode,
)

_INITIAL: dict[DeviceType, DeviceReading] = {
    DeviceType.LIGHT: DeviceReading(power=False, brightness=50, color_temp_kelvin=2700),
    DeviceType.SWITCH: DeviceReading(power=False),
    DeviceType.CLIMATE: DeviceReading(
        hvac_mode=HvacMode.OFF, target_temperature=18.0, current_temperature=19.5
    ),
    DeviceType.COVER: DeviceReading(position=0),
}


@dataclass
class SimulatedDevice:
    """One simulated device; ``supports`` is what it can take (a plain bulb has no colour)."""

    device_id: str
    type: DeviceType
    reading: DeviceReading
    supports: tuple[str, ...]
    drop_commands: int = 0  # the next N commands are lost
    commands: list[DeviceSettings] = field(default_factory=list)  # every command carried out

    @classmethod
    def create(
        cls, device_id: str, device_type: DeviceType, supports: tuple[str, ...] | None = None
    ) -> SimulatedDevice:
        """A device of ``device_type`` in its initial state, taking everything its type takes
        unless ``supports`` narrows it."""
        reading = _INITIAL[device_type].model_copy()
        return cls(device_id, device_type, reading, supports or CONTROLS[device_type])


@dataclass
class SimulatedHome:
    """The simulated devices and hub; shared by the backend and whoever plays "the user"."""

    devices: dict[str, SimulatedDevice] = field(default_factory=dict)
    hub_online: bool = True
    auto_create: bool = True  # unknown ids appear as fresh devices of the requested type
    gates: list[EventGate] = field(default_factory=list)  # of the backends driving this home

    def add(self, device: SimulatedDevice) -> SimulatedDevice:
        """Install a device."""
        self.devices[device.device_id] = device
        return device

    def change_behind_back(self, device_id: str, **changes: object) -> None:
        """Someone changed the device by hand (a wall switch, the vendor's app)."""
        device = self.devices[device_id]
        device.reading = _updated(device.reading, changes)
        for gate in self.gates:
            gate.availability(device_id, device.reading.available)
            gate.reported(device_id, settings_of(device.reading))

    def set_online(self, device_id: str, online: bool) -> None:
        """Unplug a device or plug it back in."""
        self.change_behind_back(device_id, available=online)

    def power_cut(self, device_id: str) -> None:
        """The device loses power: it leaves the network."""
        self.set_online(device_id, False)

    def power_restored(self, device_id: str) -> None:
        """Power returns and the device boots in its initial state (``power_on_behavior: off``),
        forgetting what it was set to."""
        device = self.devices[device_id]
        initial = _INITIAL[device.type].model_dump(include=set(SETTING_NAMES))
        self.change_behind_back(device_id, available=True, **initial)

    def lookup(self, ref: DeviceRef) -> SimulatedDevice:
        """The device behind ``ref``, checked to be reachable."""
        if not self.hub_online:
            raise HubUnavailableError("simulated hub is offline")
        device = self.devices.get(ref.device)
        if device is None and self.auto_create:
            device = self.add(SimulatedDevice.create(ref.device, ref.type))
        if device is None:
            raise DeviceNotFoundError(f"no simulated device '{ref.device}'")
        if device.type is not ref.type:
            raise UnsupportedSettingError(
                f"simulated device '{ref.device}' is a {device.type.value}, not a {ref.type.value}"
            )
        if not device.reading.available:
            raise DeviceOfflineError(f"simulated device '{ref.device}' is offline")
        return device


class SimulatedBackend(DeviceBackend):
    """The backend for ``backend: simulated`` blueprints."""

    kind = BackendKind.SIMULATED

    def __init__(self, home: SimulatedHome | None = None) -> None:
        super().__init__()
        self.home = home or SimulatedHome()
        self.home.gates.append(self.events)

    def describe(self) -> str:
        return "simulated (in-process devices)"

    async def read(self, ref: DeviceRef) -> DeviceReading:
        try:
            device = self.home.lookup(ref)
        except DeviceOfflineError:
            self.events.recorded(ref.device, None, online=False)  # its return is news
            raise
        reading = device.reading.model_copy()
        self.events.recorded(ref.device, settings_of(reading))
        return reading

    async def send(self, ref: DeviceRef, settings: DeviceSettings) -> DeviceReading:
        device = self.home.lookup(ref)
        refused = [name for name in settings.managed() if name not in device.supports]
        if refused:
            raise UnsupportedSettingError(
                f"simulated device '{ref.device}' cannot take {', '.join(refused)} "
                f"(it takes: {', '.join(device.supports)})"
            )
        if device.drop_commands > 0:
            device.drop_commands -= 1
            raise CommandNotConfirmedError(
                f"simulated device '{ref.device}' did not confirm the command"
            )
        device.reading = _updated(device.reading, settings.managed())
        device.commands.append(settings)
        settings_now = settings_of(device.reading)
        for gate in self.home.gates:  # as on a hub, other backends hear the echo as a report
            if gate is self.events:
                gate.recorded(ref.device, settings_now)
            else:
                gate.reported(ref.device, settings_now)
        return device.reading.model_copy()

    async def aclose(self) -> None:
        """Stop listening to the devices."""
        if self.events in self.home.gates:
            self.home.gates.remove(self.events)


def settings_of(reading: DeviceReading) -> tuple[object, ...]:
    """The managed settings of ``reading``, comparable and hashable."""
    return tuple(getattr(reading, name) for name in SETTING_NAMES)


def _updated(reading: DeviceReading, changes: dict[str, object]) -> DeviceReading:
    return DeviceReading.model_validate({**reading.model_dump(), **changes})
