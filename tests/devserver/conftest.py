"""Shared fixtures of the dev server tests.

This directory is not a package (its modules import each other by bare name), so the
repository root is put on ``sys.path`` here for ``tests.helpers`` and the conformance target.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.append(_ROOT)

from colonies.devserver import DevServer  # noqa: E402
from tests.conformance.target import Target  # noqa: E402


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
