"""Shared fixtures of the dev server tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from colonies.devserver import DevServer
from tests.conformance.target import Target


@pytest.fixture
def dev_server() -> Iterator[DevServer]:
    """A fresh in-memory dev server for one test."""
    with DevServer() as server:
        yield server


@pytest.fixture
def dev_target(dev_server: DevServer) -> Iterator[Target]:
    """Raw signed RPCs against ``dev_server``."""
    target = Target(dev_server.url, dev_server.server_key, real=False)
    yield target
    target.close()
