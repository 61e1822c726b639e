"""pytest plugin: fixtures that give a test a ColonyOS server and a throwaway colony.

``colonies_server`` (session) is the embedded dev server, or the real server named by
``COLONIES_SERVER_HOST``, ``COLONIES_SERVER_PORT``, ``COLONIES_TLS`` and
``COLONIES_SERVER_PRVKEY``. ``colony`` (per test) is a fresh colony on it with an owner key,
a user and an approved executor, removed afterwards. Tests that take their target from these
fixtures run unchanged against both.

An ``async def`` test that takes one of these fixtures runs on pytest-asyncio without any
set-up: the plugin marks it ``asyncio`` itself, so a project needs neither
``asyncio_mode = "auto"`` nor the mark (other async tests are left to the project's choice).
"""

from __future__ import annotations

import inspect
from collections.abc import Generator, Iterator

import pluggy
import pytest

from colonies.testing.targets import ServerTarget, ThrowawayColony, server_target, throwaway_colony

__all__ = ["colonies_server", "colony"]

_OUR_FIXTURES = frozenset({"colonies_server", "colony"})


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


@pytest.hookimpl(hookwrapper=True, trylast=True)
def pytest_pycollect_makeitem(
    collector: pytest.Module | pytest.Class, name: str, obj: object
) -> Generator[None, pluggy.Result[object], None]:
    """Mark coroutine tests that use our fixtures ``asyncio``. As the innermost wrapper this
    runs before pytest-asyncio's, which decides from the mark whether it runs the test."""
    outcome = yield
    result = outcome.get_result()
    items = result if isinstance(result, list) else [result]
    for item in items:
        if (
            isinstance(item, pytest.Function)
            and inspect.iscoroutinefunction(item.obj)
            and _OUR_FIXTURES & set(item.fixturenames)
            and item.get_closest_marker("asyncio") is None
        ):
            item.add_marker(pytest.mark.asyncio)
