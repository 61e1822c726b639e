"""Fixtures of the differential conformance suite.

``target`` is a dev server started for the session, or the real server named by
``COLONIES_SERVER_HOST``/``COLONIES_SERVER_PORT``/``COLONIES_TLS``/``COLONIES_SERVER_PRVKEY``
(see :mod:`colonies.testing.targets`). ``colony`` is a throwaway colony (owner, user, approved
executor) created with the server key and removed, with what it leaves behind, after the test. Cases assert the protocol document's answers.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from colonies.testing.targets import server_target
from tests.conformance.target import Colony, Target


@pytest.fixture(scope="session")
def target() -> Iterator[Target]:
    with server_target() as server:
        raw = Target.of(server)
        yield raw
        raw.close()


@pytest.fixture
def colony(target: Target) -> Iterator[Colony]:
    with target.colony() as created:
        yield created
