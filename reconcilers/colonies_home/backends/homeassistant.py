"""Home Assistant over its REST API with a long-lived (or access) token.

State comes from ``GET /api/states/<entity_id>``; commands are service calls
(``POST /api/services/<domain>/<service>``). The WebSocket event stream
(:mod:`colonies_home.backends.ha_events`), started with the first request, says when an entity
changed: between reconciles (drift), and while a command settles (no polling). What an entity
can take is read from its own attributes (``supported_color_modes``, ``hvac_modes``,
``supported_features``), so a setting it cannot take fails before anything is sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any

import httpx

from colonies_home.backends.base import DeviceBackend, DeviceRef, mismatches
from colonies_home.backends.ha_events import (
    UNAVAILABLE_STATES,
    HomeAssistantEventStream,
    settings_fingerprint,
)
from colonies_home.conversions import HA_BRIGHTNESS_MAX, level_to_percent
from colonies_home.errors import (
    CommandNotConfirmedError,
    DeviceNotFoundError,
    DeviceOfflineError,
    HubAuthenticationError,
    HubUnavailableError,
    UnsupportedSettingError,
)
from colonies_home.model import BackendKind, DeviceReading, DeviceSettings, DeviceType, HvacMode

CLIMATE_TARGET_TEMPERATURE = 1  # ClimateEntityFeature.TARGET_TEMPERATURE
COVER_SET_POSITION = 4  # CoverEntityFeature.SET_POSITION
_EVENT_WAIT = 2.0  # longest wait for a state_changed before reading anyway


class HomeAssistantBackend(DeviceBackend):
    """Entities of one Home Assistant instance, addressed by entity_id."""

    kind = BackendKind.HOMEASSISTANT

    def __init__(
        self,
        url: str,
        token: str,
        *,
        timeout: float = 10.0,
        confirm_timeout: float = 15.0,
        poll_interval: float = 0.25,
        stream_timeout: float = 5.0,
    ) -> None:
        super().__init__()
        self._url = url.rstrip("/")
        self._http = httpx.AsyncClient(
            base_url=self._url, headers={"Authorization": f"Bearer {token}"}, timeout=timeout
        )
        self._confirm_timeout = confirm_timeout
        self._poll_interval = poll_interval
        self._stream = HomeAssistantEventStream(self._url, token, self.events)
        self._stream_wait = stream_timeout  # the first request waits for the subscription

    def __repr__(self) -> str:
        return f"HomeAssistantBackend(url={self._url!r})"

    def describe(self) -> str:
        return f"homeassistant {self._url}"

    async def read(self, ref: DeviceRef) -> DeviceReading:
        return _reading(ref, await self._state(ref))

    async def send(self, ref: DeviceRef, settings: DeviceSettings) -> DeviceReading:
        with self.events.awaiting_reply(ref.device):
            return await self._send(ref, settings)

    async def aclose(self) -> None:
        await self._stream.aclose()
        await self._http.aclose()

    async def _send(self, ref: DeviceRef, settings: DeviceSettings) -> DeviceReading:
        """Call the services, then read the entity again each time the event stream reports
        it changed (every ``poll_interval`` while the stream is down) until it matches."""
        state = await self._state(ref)
        _check_supported(ref, settings, state["attributes"])
        with self._stream.watching(ref.device) as heard:
            for domain, service, data in _service_calls(ref, settings):
                await self._request("POST", f"/api/services/{domain}/{service}", ref, json=data)
            deadline = time.monotonic() + self._confirm_timeout
            while True:
                heard.clear()
                reading = _reading(ref, await self._state(ref))
                missing = mismatches(reading, settings)
                remaining = deadline - time.monotonic()
                if not missing:
                    return reading
                if remaining <= 0:
                    raise CommandNotConfirmedError(
                        f"Home Assistant entity '{ref.device}' did not reach "
                        f"{', '.join(missing)} within {self._confirm_timeout:g}s of the service call"
                    )
                wait = _EVENT_WAIT if self._stream.subscribed else self._poll_interval
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(heard.wait(), min(wait, remaining))

    async def _state(self, ref: DeviceRef) -> dict[str, Any]:
        """The entity's state now, remembered by the event gate (so a later event compares
        with what we saw, not with what we saw before)."""
        await self._stream.started(self._stream_wait)
        self._stream_wait = 0.0
        if ref.device.partition(".")[0] != ref.type.value:
            raise UnsupportedSettingError(
                f"Home Assistant entity '{ref.device}' is not a {ref.type.value} "
                f"(expected an entity_id starting with '{ref.type.value}.')"
            )
        state: dict[str, Any] = (
            await self._request("GET", f"/api/states/{ref.device}", ref)
        ).json()
        if state.get("state") in UNAVAILABLE_STATES:
            self.events.recorded(ref.device, None, online=False)
            raise DeviceOfflineError(f"Home Assistant entity '{ref.device}' is {state['state']}")
        state.setdefault("attributes", {})
        self.events.recorded(ref.device, settings_fingerprint(state))
        return state

    async def _request(
        self, method: str, path: str, ref: DeviceRef, json: dict[str, Any] | None = None
    ) -> httpx.Response:
        try:
            reply = await self._http.request(method, path, json=json)
        except httpx.HTTPError as exc:
            raise HubUnavailableError(
                f"Home Assistant at {self._url} unreachable: {type(exc).__name__}: {exc}"
            ) from exc
        if reply.status_code in (401, 403):
            raise HubAuthenticationError(
                f"Home Assistant at {self._url} refused the token ({reply.status_code})"
            )
        if reply.status_code == 404:
            raise DeviceNotFoundError(f"Home Assistant has no entity '{ref.device}'")
        if reply.status_code == 400:
            raise UnsupportedSettingError(
                f"Home Assistant refused {path} for '{ref.device}': {reply.text[:200]}"
            )
        if reply.status_code >= 300:
            raise HubUnavailableError(
                f"Home Assistant at {self._url} answered {reply.status_code} to {method} {path}"
            )
        return reply


def _reading(ref: DeviceRef, state: dict[str, Any]) -> DeviceReading:
    attrs: dict[str, Any] = state["attributes"]
    value = state.get("state")
    values: dict[str, Any] = {}
    if ref.type in (DeviceType.LIGHT, DeviceType.SWITCH):
        values["power"] = value == "on"
    if ref.type is DeviceType.LIGHT:
        if isinstance(attrs.get("brightness"), int | float):
            values["brightness"] = level_to_percent(int(attrs["brightness"]), HA_BRIGHTNESS_MAX)
        if isinstance(attrs.get("color_temp_kelvin"), int | float):
            values["color_temp_kelvin"] = int(attrs["color_temp_kelvin"])
    if ref.type is DeviceType.CLIMATE:
        if value in HvacMode.__members__.values():
            values["hvac_mode"] = HvacMode(str(value))
        if isinstance(attrs.get("temperature"), int | float):
            values["target_temperature"] = float(attrs["temperature"])
        if isinstance(attrs.get("current_temperature"), int | float):
            values["current_temperature"] = float(attrs["current_temperature"])
    if ref.type is DeviceType.COVER:
        if isinstance(attrs.get("current_position"), int | float):
            values["position"] = int(attrs["current_position"])
        elif value in ("open", "closed"):
            values["position"] = 100 if value == "open" else 0
    return DeviceReading.model_validate(values)


def _check_supported(ref: DeviceRef, settings: DeviceSettings, attrs: dict[str, Any]) -> None:
    color_modes = set(attrs.get("supported_color_modes") or [])
    features = int(attrs.get("supported_features") or 0)
    refused = []
    if settings.brightness is not None and not color_modes - {"onoff"}:
        refused.append("brightness")
    if settings.color_temp_kelvin is not None and "color_temp" not in color_modes:
        refused.append("color_temp_kelvin")
    if settings.hvac_mode is not None and settings.hvac_mode not in (attrs.get("hvac_modes") or []):
        refused.append(f"hvac_mode {settings.hvac_mode.value}")
    if settings.target_temperature is not None and not features & CLIMATE_TARGET_TEMPERATURE:
        refused.append("target_temperature")
    if settings.position is not None and not features & COVER_SET_POSITION:
        refused.append("position")
    if refused:
        raise UnsupportedSettingError(
            f"Home Assistant entity '{ref.device}' cannot take {', '.join(refused)}"
        )


def _service_calls(
    ref: DeviceRef, settings: DeviceSettings
) -> list[tuple[str, str, dict[str, Any]]]:
    """The service calls that carry ``settings`` out, in order."""
    target: dict[str, Any] = {"entity_id": ref.device}
    if ref.type is DeviceType.LIGHT:
        if settings.power is False:
            return [("light", "turn_off", target)]
        data = dict(target)
        if settings.brightness is not None:
            data["brightness_pct"] = settings.brightness
        if settings.color_temp_kelvin is not None:
            data["color_temp_kelvin"] = settings.color_temp_kelvin
        return [("light", "turn_on", data)]
    if ref.type is DeviceType.SWITCH:
        return [("switch", "turn_on" if settings.power else "turn_off", target)]
    if ref.type is DeviceType.CLIMATE:
        calls = []
        if settings.hvac_mode is not None:
            calls.append(("climate", "set_hvac_mode", {**target, "hvac_mode": settings.hvac_mode}))
        if settings.target_temperature is not None:
            calls.append(
                (
                    "climate",
                    "set_temperature",
                    {**target, "temperature": settings.target_temperature},
                )
            )
        return calls
    return [("cover", "set_cover_position", {**target, "position": settings.position})]
