"""Fixtures of the differential conformance suite.

``target`` is a dev server started for the session, or the real server named by
``COLONIES_SERVER_HOST``/``COLONIES_SERVER_PORT``/``COLONIES_TLS``/``COLONIES_SERVER_PRVKEY``.
``colony`` is a throwaway colony (owner, user, approved executor) created through the wire
with the server key and removed after the test. Cases assert the protocol document's answers.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from colonies.devserver import DevServer
from tests.conformance.target import Colony, Target, real_server_from_env


@pytest.fixture(scope="session")
def target() -> Iterator[Target]:
    real = real_server_from_env()
    if real is not None:
        yield real
        real.close()
        return
    with DevServer() as server:
        dev = Target(server.url, server.server_key, real=False)
        yield dev
        dev.close()


@pytest.fixture
def colony(target: Target) -> Iterator[Colony]:
    with target.colony() as created:
        yield created
