"""Real hubs for the home-automation tests: one Mosquitto and one Home Assistant per session.

A missing component fails the tests that need it with the install command (never a skip: CI
installs everything with scripts/setup.sh).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from colonies_home.components import (
    ComponentMissingError,
    HomeAssistantHub,
    MosquittoBroker,
    home_assistant,
    mosquitto,
)


@pytest.fixture(scope="session")
def mosquitto_broker() -> Iterator[MosquittoBroker]:
    """A private broker on a free loopback port for the whole session."""
    try:
        with mosquitto() as broker:
            yield broker
    except ComponentMissingError as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="session")
def home_assistant_hub() -> Iterator[HomeAssistantHub]:
    """A private Home Assistant (demo integration) with an access token for the session."""
    try:
        with home_assistant() as hub:
            yield hub
    except ComponentMissingError as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture
def base_topic() -> str:
    """A Zigbee2MQTT base topic of its own, so retained messages never leak between tests."""
    return f"z2m-{uuid.uuid4().hex[:10]}"
