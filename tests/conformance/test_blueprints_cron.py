"""The auto-created reconcile crons firing (protocol 7.2, 7.7): one cron per (colony, kind,
location), ``{kind}``-only kwargs in a single-process graph, one pending graph at a time,
the previous graph's outputs as the next one's input.

Against the dev server the cases run on a private dev server whose blueprint crons fire
every second. A real server fires every 60 s, so there they wait for real periods and run
only with ``COLONIES_CONFORMANCE_SLOW=1``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from colonies.devserver import DevServerSettings
from colonies.testing.targets import server_target
from tests.conformance.target import Target
from tests.conformance.test_blueprints_scope import World
from tests.helpers import eventually

pytestmark = pytest.mark.timeout(360)

REAL_PERIOD = 60  # seconds between firings on a real server
FAST = DevServerSettings(blueprint_cron_interval=1, cron_tick=0.1)


@pytest.fixture(scope="module")
def cron_target(target: Target) -> Iterator[Target]:
    """A server whose crons fire within a test: the real one (slow runs only), or a private
    dev server with one-second blueprint crons."""
    if target.real:
        if os.environ.get("COLONIES_CONFORMANCE_SLOW") != "1":
            pytest.skip("waits for 60 s cron periods; set COLONIES_CONFORMANCE_SLOW=1")
        yield target
        return
    with server_target(environ={}, settings=FAST) as server:
        fast = Target.of(server)
        yield fast
        fast.close()


@pytest.fixture
def world(cron_target: Target) -> Iterator[World]:
    with cron_target.colony() as colony:
        yield World.of(cron_target, colony)


def period(world: World) -> int:
    return REAL_PERIOD if world.wire.real else FAST.blueprint_cron_interval


def assign(world: World) -> dict[str, Any]:
    """The next process for the colony's executor: long polls of 30 s (below the HTTP
    client's timeout) for up to two cron periods."""
    for _ in range(4):
        reply = world.wire.call(
            world.executor, "assignprocessmsg", colonyname=world.colony, timeout=30
        )
        if not reply.error:
            process: dict[str, Any] = reply.result
            return process
        assert (reply.status, reply.message) == (404, "No process available for assignment")
    raise AssertionError("no process was assigned within two cron periods")


def close(world: World, process: dict[str, Any], *output: Any) -> None:
    world.wire.ok(
        world.executor, "closesuccessfulmsg", processid=process["processid"], out=list(output)
    )


def graphs(world: World, state: int) -> Any:
    return world.wire.ok(
        world.user, "getprocessgraphsmsg", colonyname=world.colony, count=100, state=state
    )


def test_cron_fires_one_graph_at_a_time_fed_with_previous_outputs(world: World) -> None:
    kind = world.kind("Lamp")
    world.define(kind, executor_type=world.executor_type)
    world.add("b", kind, {"on": True})
    [cron] = world.crons()
    assert cron["interval"] == period(world)
    targeted = assign(world)  # the immediate reconcile process of the add, in no graph
    assert (targeted["spec"]["kwargs"], targeted["processgraphid"]) == (
        {"blueprintName": "b", "kind": kind},
        "",
    )
    close(world, targeted)

    fired = assign(world)
    assert fired["spec"]["kwargs"] == {"kind": kind}
    assert fired["spec"]["nodename"] == f"{world.executor_type}-reconcile"
    assert fired["in"] == []
    graph = world.wire.ok(world.user, "getprocessgraphmsg", processgraphid=fired["processgraphid"])
    assert graph["processids"] == [fired["processid"]]
    running = graphs(world, 1)
    world.wire.ok(world.user, "runcronmsg", cronid=cron["cronid"])  # a no-op while pending
    assert graphs(world, 0) is None
    assert graphs(world, 1) == running

    close(world, fired, "done-cron")
    following = assign(world)
    assert following["spec"]["kwargs"] == {"kind": kind}
    assert following["in"] == ["done-cron"]
    assert following["processgraphid"] not in ("", fired["processgraphid"])


def test_location_cron_targets_its_location(world: World) -> None:
    kind = world.kind("Lamp")
    world.define(kind, executor_type=world.executor_type)
    world.add("k", kind, locationname="Kitchen")

    def cron_process() -> dict[str, Any] | None:
        return next((p for p in world.processes() if p["processgraphid"]), None)

    fired = eventually(cron_process, timeout=20 + 2 * period(world))
    assert fired["spec"]["conditions"]["locationname"] == "Kitchen"
    assert fired["spec"]["kwargs"] == {"kind": kind}
