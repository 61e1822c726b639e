"""Raw wire access for the workload tests: signed requests over httpx, decoded replies.

No tests live here; the ``test_workloads_*`` modules import their helpers from it so that
every request is built the same way.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest

from colonies.crypto import PrivateKey
from colonies.devserver import Bootstrap, DevServer, DevServerSettings
from colonies.devserver.executors import APPROVED, executor_row
from colonies.devserver.state import EXECUTORS, ServerState
from colonies.devserver.store import key_of
from tests.conformance.target import Target
from tests.helpers import eventually, eventually_async

__all__ = [
    "Wire",
    "add_executor",
    "boot_fixture",
    "colony",
    "eventually",
    "eventually_async",
    "fn_spec",
    "server_fixture",
    "wire_fixture",
]

_colony_numbers = itertools.count(1)


class Wire(Target):
    """Signed raw RPCs against one dev server (the conformance suite's :class:`Target`)."""

    def __init__(self, url: str) -> None:
        super().__init__(url, PrivateKey.generate(), real=False)


def colony(server: DevServer, prefix: str = "wl", **kwargs: Any) -> Bootstrap:
    """A fresh bootstrapped colony (own user and approved executor) on ``server``."""
    return server.bootstrap(f"{prefix}-{next(_colony_numbers)}", **kwargs)


def fn_spec(boot: Bootstrap, funcname: str = "echo", **overrides: Any) -> dict[str, Any]:
    """A FunctionSpec for ``boot``'s executor type with the safe limits (no timeouts)."""
    conditions = {"colonyname": boot.colony_name, "executortype": boot.executor_type}
    conditions.update(overrides.pop("conditions", {}))
    spec: dict[str, Any] = {
        "funcname": funcname,
        "maxexectime": -1,
        "maxretries": -1,
        "conditions": conditions,
    }
    spec.update(overrides)
    return spec


def submit(wire: Wire, boot: Bootstrap, **overrides: Any) -> dict[str, Any]:
    """Submit a process (``fn_spec`` with ``overrides``) as the colony's user."""
    result: dict[str, Any] = wire.ok(
        boot.user_key, "submitfuncspecmsg", spec=fn_spec(boot, **overrides)
    )
    return result


def assign(wire: Wire, boot: Bootstrap) -> dict[str, Any]:
    """One assign attempt by the colony's executor, which must get a process."""
    result: dict[str, Any] = wire.ok(
        boot.executor_key, "assignprocessmsg", colonyname=boot.colony_name, timeout=-1
    )
    return result


def start_process(wire: Wire, boot: Bootstrap, **overrides: Any) -> str:
    """Submit a process and assign it: the ID of a RUNNING process."""
    submit(wire, boot, **overrides)
    return str(assign(wire, boot)["processid"])


def add_executor(
    server: DevServer,
    boot: Bootstrap,
    name: str,
    *,
    executor_type: str | None = None,
    location: str = "",
    state: int = APPROVED,
) -> PrivateKey:
    """Another executor in ``boot``'s colony (in-process), returning its key."""
    key = PrivateKey.generate()

    def register(server_state: ServerState) -> None:
        row = executor_row(
            executor_id=key.id,
            executor_type=executor_type or boot.executor_type,
            name=name,
            colony=boot.colony_name,
            now=server_state.now(),
            location=location,
        )
        row["state"] = state
        server_state.table(EXECUTORS).put(key_of(boot.colony_name, name), row)

    server.invoke(register)
    return key


def server_fixture(**settings: Any) -> Any:
    """A module-scoped ``server`` fixture: a DevServer with these settings."""

    @pytest.fixture(scope="module", name="server")
    def server() -> Iterator[DevServer]:
        with DevServer(DevServerSettings(**settings)) as running:
            yield running

    return server


def wire_fixture() -> Any:
    """A module-scoped ``wire`` fixture: a :class:`Wire` to the module's ``server``."""

    @pytest.fixture(scope="module", name="wire")
    def wire(server: DevServer) -> Iterator[Wire]:
        client = Wire(server.url)
        yield client
        client.close()

    return wire


def boot_fixture() -> Any:
    """A ``boot`` fixture: a fresh colony on the module's ``server`` for each test."""

    @pytest.fixture(name="boot")
    def boot(server: DevServer) -> Bootstrap:
        return colony(server)

    return boot
