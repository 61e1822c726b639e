"""Auto-created reconcile crons firing (protocol 7.7), with a 1 s interval instead of 60 s,
and blueprint state surviving a restart."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from colonies.devserver import DevServerSettings
from tests.conformance.test_blueprints_scope import DevColonies, World
from tests.helpers import eventually


@pytest.fixture(scope="module")
def dev() -> Iterator[DevColonies]:
    with DevColonies.running(
        DevServerSettings(blueprint_cron_interval=1, cron_tick=0.1)
    ) as running:
        yield running


def assign(world: World) -> dict[str, Any]:
    process: dict[str, Any] = world.wire.ok(
        world.executor, "assignprocessmsg", colonyname=world.colony, timeout=20
    )
    return process


def close(world: World, process: dict[str, Any], *output: Any) -> None:
    world.wire.ok(
        world.executor, "closesuccessfulmsg", processid=process["processid"], out=list(output)
    )


def test_cron_fires_single_process_graphs_fed_with_previous_outputs(dev: DevColonies) -> None:
    world = dev.world("cron")
    world.define("Lamp")
    world.add("b", "Lamp", {"on": True})
    [cron] = world.crons()
    assert cron["interval"] == 1
    targeted = assign(world)
    assert targeted["spec"]["kwargs"] == {"blueprintName": "b", "kind": "Lamp"}
    close(world, targeted)

    fired = assign(world)
    assert fired["spec"]["kwargs"] == {"kind": "Lamp"}
    assert fired["spec"]["nodename"] == "bp-reconciler-reconcile"
    assert fired["in"] == []
    graph = world.wire.ok(world.user, "getprocessgraphmsg", processgraphid=fired["processgraphid"])
    assert graph["processids"] == [fired["processid"]]

    # while the graph is pending, running the cron by hand is a silent no-op
    graphs_before = world.wire.ok(
        world.user, "getprocessgraphsmsg", colonyname=world.colony, count=100, state=1
    )
    world.wire.ok(world.user, "runcronmsg", cronid=cron["cronid"])
    assert (
        world.wire.ok(
            world.user, "getprocessgraphsmsg", colonyname=world.colony, count=100, state=0
        )
        is None
    )
    assert (
        world.wire.ok(
            world.user, "getprocessgraphsmsg", colonyname=world.colony, count=100, state=1
        )
        == graphs_before
    )

    close(world, fired, "done-cron")
    following = assign(world)
    assert following["spec"]["kwargs"] == {"kind": "Lamp"}
    assert following["in"] == ["done-cron"]
    assert following["processgraphid"] != fired["processgraphid"]


def test_location_cron_targets_its_location(dev: DevColonies) -> None:
    world = dev.world("cron")
    world.define("Lamp")
    world.add("k", "Lamp", locationname="Kitchen")

    def cron_process() -> dict[str, Any] | None:
        return next((p for p in world.processes() if p["processgraphid"]), None)

    fired = eventually(cron_process)
    assert fired["spec"]["conditions"]["locationname"] == "Kitchen"
    assert fired["spec"]["kwargs"] == {"kind": "Lamp"}


def test_blueprints_survive_a_restart(tmp_path: Path) -> None:
    with DevColonies.running(DevServerSettings(database=tmp_path / "dev.sqlite")) as dev:
        early = dev.world("zz-persist")
        late = dev.world("aa-persist")
        early.define("Shared", executor_type="early-type")
        late.define("Shared", executor_type="late-type")
        late.define("Alpha", name="alpha")
        added = late.add("b", "Shared", {"v": 1})
        late.update(late.blueprint("b", "Shared", {"v": 2}))
        late.update(late.blueprint("b", "Shared", {"v": 3}))
        dev.server.restart()
        assert late.get("b")["metadata"]["generation"] == 2
        assert [e["generation"] for e in late.history(added["blueprintid"])] == [2, 1, 0]
        listed = late.wire.ok(late.owner, "getblueprintdefinitionsmsg", colonyname=late.colony)
        assert [d["metadata"]["name"] for d in listed] == ["alpha", "shared-def"]
        process = late.wire.ok(late.user, "reconcileblueprintmsg", namespace=late.colony, name="b")
        assert process["spec"]["conditions"]["executortype"] == "early-type"
