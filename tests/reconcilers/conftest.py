"""Real hubs for the home-automation tests: one Mosquitto and one Home Assistant per session.

A missing component fails the tests that need it with the install command (never a skip: CI
installs everything with scripts/setup.sh).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import TypeVar

import pytest

from colonies.testing import unique_kind
from colonies_home.components import (
    ComponentMissingError,
    ComponentStartError,
    HomeAssistantHub,
    MosquittoBroker,
    home_assistant,
    mosquitto,
)
from tests.reconcilers.home_helpers import QuickHomeReconciler

T = TypeVar("T")


_START_FAILURES: dict[str, str] = {}
"""Why a component could not start, so every later test fails at once instead of waiting
for the same start-up to time out again."""

# Below the suite's per-test timeout, so a hub that never answers fails with its own log.
_STARTUP_TIMEOUT = 90.0


def _started(name: str, start: Callable[[], AbstractContextManager[T]]) -> Iterator[T]:
    """Run a component for the fixture's lifetime; fail (never skip) when it is missing or
    does not start."""
    if name in _START_FAILURES:
        pytest.fail(_START_FAILURES[name], pytrace=False)
    try:
        with start() as running:
            yield running
    except (ComponentMissingError, ComponentStartError) as exc:
        _START_FAILURES[name] = f"{name} is unavailable: {exc}"
        pytest.fail(_START_FAILURES[name], pytrace=False)


@pytest.fixture(scope="session")
def mosquitto_broker() -> Iterator[MosquittoBroker]:
    """A private broker on a free loopback port for the whole session."""
    yield from _started("mosquitto", mosquitto)


@pytest.fixture(scope="session")
def home_assistant_hub() -> Iterator[HomeAssistantHub]:
    """A private Home Assistant (demo integration) with an access token for the session."""
    yield from _started("Home Assistant", lambda: home_assistant(startup_timeout=_STARTUP_TIMEOUT))


@pytest.fixture(autouse=True)
def home_kind(monkeypatch: pytest.MonkeyPatch) -> str:
    """The kind the test reconciler serves: new to the server, because a real server picks
    the handler for reconcile and cleanup by kind in any colony (protocol 7.5), and
    ``HomeDevice`` is the kind real deployments use."""
    kind = unique_kind("HomeDevice")
    monkeypatch.setattr(QuickHomeReconciler, "kind", kind)
    return kind


@pytest.fixture
def base_topic() -> str:
    """A Zigbee2MQTT base topic of its own, so retained messages never leak between tests."""
    return f"z2m-{uuid.uuid4().hex[:10]}"
