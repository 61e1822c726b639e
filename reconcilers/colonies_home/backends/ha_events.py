"""Home Assistant's WebSocket event stream: ``state_changed`` of every entity, as it happens.

One connection per backend: ``auth`` with the access token, ``subscribe_events`` for
``state_changed``, then every event goes through the backend's :class:`EventGate`. An entity
whose state becomes ``unavailable`` (or ``unknown``) has left; leaving that state is its return.
The connection is re-established with backoff and each re-connection is announced, so what
changed while it was down is looked at. Reads and commands stay on the REST API: the stream
tells the reconciler when to look (between reconciles, and while a command settles), never what
the state is.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Iterator
from typing import Any

import websockets
from websockets.asyncio.client import ClientConnection, connect

from colonies_home.backends.base import stop_listener
from colonies_home.backends.events import EventGate

log = logging.getLogger(__name__)

UNAVAILABLE_STATES = ("unavailable", "unknown")
# The attributes that carry a managed setting; measured values (current_temperature) are not.
SETTING_ATTRIBUTES = ("brightness", "color_temp_kelvin", "temperature", "current_position")
_RECONNECT_MIN = 0.2
_RECONNECT_MAX = 10.0
_SUBSCRIPTION_ID = 1


class StreamRefusedError(Exception):
    """Home Assistant refused the token or the subscription."""


def settings_fingerprint(state: dict[str, Any]) -> tuple[str, ...]:
    """An entity state reduced to what a setting can change, comparable and hashable."""
    attributes = state.get("attributes") or {}
    return (
        str(state.get("state")),
        *(json.dumps(attributes.get(name)) for name in SETTING_ATTRIBUTES),
    )


class HomeAssistantEventStream:
    """Feeds ``gate`` from the ``state_changed`` events of Home Assistant at ``url``."""

    def __init__(self, url: str, token: str, gate: EventGate) -> None:
        scheme, _, rest = url.rstrip("/").partition("://")
        self._ws_url = f"{'wss' if scheme == 'https' else 'ws'}://{rest}/api/websocket"
        self._token = token
        self._gate = gate
        self._subscribed = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._watchers: dict[str, list[asyncio.Event]] = {}
        self.last_error = ""

    def __repr__(self) -> str:
        return f"HomeAssistantEventStream({self._ws_url!r})"

    async def started(self, timeout: float) -> bool:
        """Start the stream if it is not running and wait up to ``timeout`` seconds for its
        subscription; whether it is subscribed (a stream that is down only delays events)."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="homeassistant-events")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._subscribed.wait(), timeout)
        return self._subscribed.is_set()

    @property
    def subscribed(self) -> bool:
        """Whether ``state_changed`` events are arriving now."""
        return self._subscribed.is_set()

    @contextlib.contextmanager
    def watching(self, entity_id: str) -> Iterator[asyncio.Event]:
        """An event set by every ``state_changed`` of ``entity_id`` within the block."""
        heard = asyncio.Event()
        self._watchers.setdefault(entity_id, []).append(heard)
        try:
            yield heard
        finally:
            self._watchers[entity_id].remove(heard)
            if not self._watchers[entity_id]:
                del self._watchers[entity_id]

    async def aclose(self) -> None:
        """Stop the stream."""
        await stop_listener(self._task)
        self._task = None

    async def _run(self) -> None:
        delay = _RECONNECT_MIN
        while True:
            try:
                async with connect(self._ws_url, open_timeout=10) as socket:
                    await self._subscribe(socket)
                    delay = _RECONNECT_MIN
                    async for raw in socket:
                        self._on_message(raw)
            except (OSError, TimeoutError, websockets.WebSocketException) as exc:
                self.last_error = f"{type(exc).__name__}: {exc}"
            except StreamRefusedError as exc:
                self.last_error = str(exc)
                delay = _RECONNECT_MAX  # a refused token does not heal in a second
                log.warning("Home Assistant event stream: %s", exc)
            finally:
                self._subscribed.clear()
            await asyncio.sleep(delay)
            delay = min(delay * 2, _RECONNECT_MAX)

    async def _subscribe(self, socket: ClientConnection) -> None:
        greeting = json.loads(await socket.recv())
        if greeting.get("type") == "auth_required":
            await socket.send(json.dumps({"type": "auth", "access_token": self._token}))
            answer = json.loads(await socket.recv())
            if answer.get("type") != "auth_ok":
                raise StreamRefusedError(f"Home Assistant refused the token ({answer.get('type')})")
        await socket.send(
            json.dumps(
                {"id": _SUBSCRIPTION_ID, "type": "subscribe_events", "event_type": "state_changed"}
            )
        )
        result = json.loads(await socket.recv())
        if not result.get("success"):
            raise StreamRefusedError(f"subscribe_events refused: {result.get('error')}")
        self._subscribed.set()
        self._gate.connected()

    def _on_message(self, raw: str | bytes) -> None:
        with contextlib.suppress(json.JSONDecodeError, UnicodeDecodeError):
            message = json.loads(raw)
            # Home Assistant may coalesce several messages into one JSON array.
            for item in message if isinstance(message, list) else [message]:
                if isinstance(item, dict) and item.get("type") == "event":
                    self._on_state_changed(item.get("event", {}).get("data") or {})

    def _on_state_changed(self, data: dict[str, Any]) -> None:
        entity_id = data.get("entity_id")
        new_state = data.get("new_state")
        if not isinstance(entity_id, str) or not isinstance(new_state, dict):
            return  # an entity removed: its blueprint fails on the next reconcile
        for heard in self._watchers.get(entity_id, ()):
            heard.set()
        online = new_state.get("state") not in UNAVAILABLE_STATES
        self._gate.availability(entity_id, online)
        if online:
            self._gate.reported(entity_id, settings_fingerprint(new_state))
