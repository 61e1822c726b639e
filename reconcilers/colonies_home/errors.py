"""Failures a backend reports, split by what the reconciler should do about them.

``retryable`` errors (hub down, device offline, command not confirmed) go back to the runtime as
TemporaryError so they retry with backoff and end up as a Degraded condition; the others (unknown
device, a setting the device cannot take, bad credentials) cannot heal by retrying.
"""

from __future__ import annotations


class HomeBackendError(Exception):
    """Base of everything a device backend raises."""

    retryable: bool = False


class HubUnavailableError(HomeBackendError):
    """The broker, bridge or hub cannot be reached or says it is offline."""

    retryable = True


class DeviceUnavailableError(HomeBackendError):
    """The hub is fine but the device is offline or does not answer."""

    retryable = True


class DeviceOfflineError(DeviceUnavailableError):
    """The hub says the device is off the network (availability ``offline``, entity
    ``unavailable``); the hub will also say when it is back, so there is no point in asking."""


class CommandNotConfirmedError(HomeBackendError):
    """A command was sent but the device never reported the new state."""

    retryable = True


class DeviceNotFoundError(HomeBackendError):
    """The backend does not know a device of that identity."""


class UnsupportedSettingError(HomeBackendError):
    """The device exists but cannot take a setting the spec asks for."""


class HubAuthenticationError(HomeBackendError):
    """The hub refused our credentials (e.g. an expired Home Assistant token)."""


class BackendNotConfiguredError(HomeBackendError):
    """A blueprint names a backend this reconciler has no connection settings for."""
