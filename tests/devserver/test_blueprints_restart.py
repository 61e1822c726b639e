"""Blueprint state surviving a dev server restart: documents, generations, history and
definitions (with the cross-colony definition lookup of protocol 7.5). The crons firing are
conformance cases (``tests/conformance/test_blueprints_cron.py``), run here on a dev server
with one-second crons."""

from __future__ import annotations

from pathlib import Path

from colonies.devserver import DevServerSettings
from tests.conformance.test_blueprints_scope import DevColonies


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
