"""pytest plugin: fixtures that give a test a ColonyOS server and a throwaway colony.

``colonies_server`` (session) is the embedded dev server, or the real server named by
``COLONIES_SERVER_HOST``, ``COLONIES_SERVER_PORT``, ``COLONIES_TLS`` and
``COLONIES_SERVER_PRVKEY``. ``colony`` (per test) is a fresh colony on it with an owner key,
a user and an approved executor, removed afterwards. Tests that take their target from these
fixtures run unchanged against both.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from colonies.testing.targets import ServerTarget, ThrowawayColony, server_target, throwaway_colony

__all__ = ["colonies_server", "colony"]


@pytest.fixture(scope="session")
def colonies_server() -> Iterator[ServerTarget]:
    """The server every end-to-end test of the session talks to."""
    with server_target() as target:
        yield target


@pytest.fixture
def colony(colonies_server: ServerTarget) -> Iterator[ThrowawayColony]:
    """A fresh colony with its owner key, a user and an approved executor."""
    with throwaway_colony(colonies_server) as created:
        yield created
