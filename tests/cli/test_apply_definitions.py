"""``apply`` of a changed definition on a server that cannot update one: a change no stored
blueprint contradicts is applied as an upgrade, one that some contradict names them."""

from __future__ import annotations

import copy
from typing import Any

import yaml

from tests.cli.operate import Operator, definition_document, operator, writes

__all__ = ["operator"]


def _definition_with_maximum(operator: Operator, maximum: int) -> str:
    document: dict[str, Any] = copy.deepcopy(definition_document(operator.kind))
    document["spec"]["schema"]["properties"]["brightness"]["maximum"] = maximum
    path = operator.directory / f"definition-{maximum}.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return str(path)


def test_a_compatible_change_is_applied_and_validates_at_once(operator: Operator) -> None:
    operator.define()
    lamps = operator.write("a.yaml", operator.lamp("hall", {"power": True, "brightness": 80}))
    operator.run("apply", "-f", str(lamps))
    brighter = operator.write("b.yaml", operator.lamp("hall", {"power": True, "brightness": 150}))
    wider = _definition_with_maximum(operator, 200)

    dry = operator.run("diff", "-f", wider)
    assert dry.exit_code == 1
    assert "brightness: maximum 100 -> 200" in dry.stdout

    result = operator.run("apply", "-f", wider, "-f", str(brighter))

    assert result.exit_code == 0, result.stderr
    kind = operator.kind.lower()
    assert result.stdout.splitlines()[0] == f"blueprintdefinition/{kind} configured"
    assert result.stdout.splitlines()[1] == f"{kind}/hall configured"
    assert writes(result) == ["addblueprintdefinitionmsg", "updateblueprintmsg"]
    assert operator.blueprint("hall").spec["brightness"] == 150
    again = operator.run("apply", "-f", wider)
    assert (again.stdout.strip(), writes(again)) == (f"blueprintdefinition/{kind} unchanged", [])


def test_an_incompatible_change_names_the_blueprints_that_block_it(operator: Operator) -> None:
    operator.define()
    lamps = operator.write(
        "a.yaml",
        operator.lamp("hall", {"power": True, "brightness": 80}),
        operator.lamp("porch", {"power": True, "brightness": 20}),
    )
    operator.run("apply", "-f", str(lamps))

    result = operator.run("apply", "-f", _definition_with_maximum(operator, 50))

    assert result.exit_code == 4
    assert (
        "the new schema rejects stored blueprints: hall (field 'brightness': 80 is greater"
        in result.stderr
    )
    assert "porch" not in result.stderr
    assert writes(result) == []


def test_after_an_upgrade_every_command_uses_the_definition_in_effect(operator: Operator) -> None:
    operator.define()
    lamps = operator.write("a.yaml", operator.lamp("hall", {"power": True, "brightness": 80}))
    operator.run("apply", "-f", str(lamps))
    wider = _definition_with_maximum(operator, 200)
    assert operator.run("apply", "-f", wider).exit_code == 0

    kind = operator.kind.lower()
    again = operator.run("apply", "-f", wider)
    assert (again.stdout.strip(), writes(again)) == (f"blueprintdefinition/{kind} unchanged", [])
    brighter = operator.write("b.yaml", operator.lamp("hall", {"power": True, "brightness": 150}))
    applied = operator.run("apply", "-f", str(brighter))
    assert applied.exit_code == 0, applied.stderr
    changed = operator.run("set", kind, "hall", "brightness=180")
    assert changed.exit_code == 0, changed.stderr
    assert operator.blueprint("hall").spec["brightness"] == 180
    described = operator.run("get", kind, "hall", "-o", "json", verbose=False)
    assert described.exit_code == 0, described.stderr

    deleted = operator.run("delete", "-f", wider, "-f", str(brighter))
    assert deleted.exit_code == 0, deleted.stderr
    assert writes(deleted) == ["removeblueprintmsg", *["removeblueprintdefinitionmsg"] * 2]
    with operator.client() as client:
        left = client.get_blueprint_definitions(operator.colony.name)
    assert [d for d in left if d.spec.names.kind == operator.kind] == []


def test_a_change_of_names_alone_is_applied_too(operator: Operator) -> None:
    operator.define()
    document: dict[str, Any] = copy.deepcopy(definition_document(operator.kind))
    document["spec"]["names"]["shortNames"] = ["cl"]
    renamed = operator.write("renamed.yaml", document)
    kind = operator.kind.lower()

    result = operator.run("apply", "-f", str(renamed))

    assert result.stdout.splitlines()[0] == f"blueprintdefinition/{kind} configured"
    assert writes(result) == ["removeblueprintdefinitionmsg", "addblueprintdefinitionmsg"]
    assert operator.run("get", "cl", verbose=False).exit_code == 0
    again = operator.run("apply", "-f", str(renamed))
    assert (again.stdout.strip(), writes(again)) == (f"blueprintdefinition/{kind} unchanged", [])
