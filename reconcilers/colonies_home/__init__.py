"""Ready-made home-automation reconcilers for ColonyOS: the ``HomeDevice`` kind (lights,
switches/plugs, climate, covers) on Zigbee2MQTT, Home Assistant or simulated devices."""

from colonies_home.model import (
    BackendKind,
    DeviceReading,
    DeviceSettings,
    DeviceType,
    HomeDeviceSpec,
    HomeDeviceStatus,
    HvacMode,
)
from colonies_home.reconciler import HomeDeviceReconciler

__all__ = [
    "BackendKind",
    "DeviceReading",
    "DeviceSettings",
    "DeviceType",
    "HomeDeviceReconciler",
    "HomeDeviceSpec",
    "HomeDeviceStatus",
    "HvacMode",
]
