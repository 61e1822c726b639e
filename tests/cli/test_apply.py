"""``colonies-sdk apply`` end to end: created/configured/unchanged, no write when nothing
changed, --dry-run, status kept on update, --prune within its selector only, and the four bad
manifests refused before anything is sent."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.cli.operate import Operator, operator, writes

__all__ = ["operator"]


def test_applying_the_same_manifests_twice_writes_nothing_the_second_time(
    operator: Operator,
) -> None:
    manifest = operator.write(
        "lamps.yaml",
        operator.lamp("hall", {"power": True, "brightness": 10}),
        operator.lamp("porch", {"power": False}),
    )
    first = operator.run("apply", "-f", str(operator.definition_file), "-f", str(manifest))
    assert first.exit_code == 0, first.stderr
    kind = operator.kind.lower()
    assert first.stdout.splitlines() == [
        f"blueprintdefinition/{kind} created",
        f"{kind}/hall created",
        f"{kind}/porch created",
    ]
    assert writes(first) == ["addblueprintdefinitionmsg", "addblueprintmsg", "addblueprintmsg"]
    before = {name: operator.blueprint(name).metadata.generation for name in ("hall", "porch")}

    second = operator.run("apply", "-f", str(operator.definition_file), "-f", str(manifest))

    assert second.exit_code == 0, second.stderr
    assert second.stdout.splitlines() == [
        f"blueprintdefinition/{kind} unchanged",
        f"{kind}/hall unchanged",
        f"{kind}/porch unchanged",
    ]
    assert writes(second) == []
    output = first.stdout + first.stderr + second.stdout + second.stderr
    assert operator.colony.user_key.hex() not in output
    assert operator.colony.owner_key.hex() not in output
    after = {name: operator.blueprint(name).metadata.generation for name in ("hall", "porch")}
    assert after == before


def test_dry_run_prints_the_field_changes_and_sends_no_write(operator: Operator) -> None:
    operator.define()
    operator.run(
        "apply",
        "-f",
        str(operator.write("a.yaml", operator.lamp("hall", {"power": True, "brightness": 10}))),
    )
    changed = operator.write(
        "b.yaml",
        operator.lamp("hall", {"power": True, "brightness": 20, "mode": "warm"}),
        operator.lamp("porch", {"power": False}),
    )

    result = operator.run("apply", "-f", str(changed), "--dry-run")

    assert result.exit_code == 0, result.stderr
    kind = operator.kind.lower()
    assert result.stdout.splitlines() == [
        f"{kind}/hall configured (dry run)",
        "  ~ spec.brightness: 10 -> 20",
        '  + spec.mode: "warm"',
        f"{kind}/porch created (dry run)",
        "  + spec.power: false",
    ]
    assert writes(result) == []
    assert operator.blueprint("hall").spec == {"power": True, "brightness": 10}
    assert operator.names() == {"hall"}


def test_an_update_keeps_the_status_and_replaces_labels(operator: Operator) -> None:
    operator.define()
    operator.run(
        "apply",
        "-f",
        str(operator.write("a.yaml", operator.lamp("hall", {"power": True}, room="hall"))),
    )
    with operator.client() as client:
        client.update_blueprint_status(operator.colony.name, "hall", {"power": True, "seen": 1})
    generation = operator.blueprint("hall").metadata.generation

    result = operator.run(
        "apply",
        "-f",
        str(operator.write("b.yaml", operator.lamp("hall", {"power": False}, room="attic"))),
    )

    assert result.stdout.strip() == f"{operator.kind.lower()}/hall configured"
    assert writes(result) == ["updateblueprintmsg"]
    stored = operator.blueprint("hall")
    assert stored.spec == {"power": False}
    assert stored.status == {"power": True, "seen": 1}
    assert stored.metadata.labels == {"room": "attic"}
    assert stored.metadata.generation == generation + 1


def test_prune_removes_exactly_the_dropped_blueprints_within_the_selector(
    operator: Operator,
) -> None:
    operator.define()
    everything = operator.write(
        "all.yaml",
        operator.lamp("kept", {"power": True}, app="home"),
        operator.lamp("dropped-1", {"power": True}, app="home"),
        operator.lamp("dropped-2", {"power": True}, app="home", room="hall"),
        operator.lamp("other-app", {"power": True}, app="garden"),
        operator.lamp("unlabelled", {"power": True}),
    )
    assert operator.run("apply", "-f", str(everything)).exit_code == 0
    remaining = operator.write("kept.yaml", operator.lamp("kept", {"power": True}, app="home"))

    declined = operator.run("apply", "-f", str(remaining), "--prune", "-l", "app=home", input="n\n")
    assert declined.exit_code == 0, declined.stderr
    assert "dropped-1" in declined.stderr
    assert "nothing pruned" in declined.stderr
    assert writes(declined) == []

    pruned = operator.run("apply", "-f", str(remaining), "--prune", "-l", "app=home", "--yes")

    assert pruned.exit_code == 0, pruned.stderr
    kind = operator.kind.lower()
    assert pruned.stdout.splitlines() == [
        f"{kind}/kept unchanged",
        f"{kind}/dropped-1 deleted",
        f"{kind}/dropped-2 deleted",
    ]
    assert writes(pruned) == ["removeblueprintmsg", "removeblueprintmsg"]
    assert operator.names() == {"kept", "other-app", "unlabelled"}


@pytest.mark.parametrize(
    "args",
    [["--prune"], ["-l", "app=home"], ["--yes"], ["--prune", "-l", "=home"]],
    ids=["prune-without-selector", "selector-without-prune", "yes-without-prune", "bad-selector"],
)
def test_flag_mistakes_are_refused_before_any_request(operator: Operator, args: list[str]) -> None:
    result = operator.run("apply", "-f", str(operator.definition_file), *args)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ")
    assert "request " not in result.stderr


BAD_SPECS: dict[str, tuple[dict[str, Any], str]] = {
    "range": (
        {"power": True, "brightness": 250},
        "field 'brightness': 250 is greater than the maximum of 100",
    ),
    "typo": (
        {"power": True, "brighness": 50},
        "field 'brighness': unknown field (did you mean 'brightness'?)",
    ),
    "type": (
        {"power": True, "brightness": 50.5},
        "field 'brightness': 50.5 is not of type 'integer'",
    ),
    "missing": ({"brightness": 50}, "field 'power': required field is missing"),
    "nested-missing": (
        {"power": True, "cfg": {"name": "x"}},
        "field 'cfg.level': required field is missing",
    ),
}


def test_a_bad_drift_policy_annotation_is_refused(operator: Operator) -> None:
    operator.define()
    document = operator.lamp("hall", {"power": True})
    document["metadata"]["annotations"] = {"colonies.dev/drift-policy": "ignore"}

    result = operator.run("apply", "-f", str(operator.write("a.yaml", document)))

    assert result.exit_code == 2
    assert (
        "metadata.annotations.colonies.dev/drift-policy: 'ignore' is not a drift policy"
        in result.stderr
    )
    assert writes(result) == []


@pytest.mark.parametrize("case", list(BAD_SPECS))
def test_a_bad_manifest_fails_before_it_is_sent_naming_file_document_and_field(
    operator: Operator, case: str
) -> None:
    operator.define()
    spec, message = BAD_SPECS[case]
    path = operator.write(
        "lamps.yaml", operator.lamp("good", {"power": True}), operator.lamp("bad", spec)
    )

    result = operator.run("apply", "-f", str(path))

    assert result.exit_code == 2
    kind = operator.kind.lower()
    assert f"error: {path}, document 2 ({kind}/bad): {message}" in result.stderr
    assert result.stdout.splitlines() == [f"{kind}/good created"]  # the good one still goes
    assert writes(result) == ["addblueprintmsg"]
    assert operator.names() == {"good"}


def test_blueprints_validate_against_a_definition_in_the_same_apply(operator: Operator) -> None:
    path = operator.write("bad.yaml", operator.lamp("bad", {"power": True, "brightness": 101}))

    result = operator.run("apply", "-f", str(operator.definition_file), "-f", str(path))

    assert result.exit_code == 2
    assert "field 'brightness': 101 is greater than the maximum of 100" in result.stderr
    assert writes(result) == ["addblueprintdefinitionmsg"]


def test_json_from_stdin_without_the_server_fields_of_a_copied_blueprint(
    operator: Operator,
) -> None:
    """A blueprint read back from a server carries fields the server owns; a copied
    ``blueprintid`` or ``generation`` would be stored as sent (protocol 7.2)."""
    operator.define()
    document = operator.lamp("hall", {"power": True, "brightness": 5})
    document["blueprintid"] = "copied-id"
    document["metadata"]["generation"] = 7
    document["status"] = {"power": False}

    result = operator.run("apply", "-f", "-", input=json.dumps(document))

    assert result.stdout.strip() == f"{operator.kind.lower()}/hall created"
    stored = operator.blueprint("hall")
    assert stored.blueprint_id != "copied-id"
    assert stored.metadata.generation == 0
    assert stored.status is None


def test_the_definition_keeps_its_full_schema_in_an_annotation(operator: Operator) -> None:
    operator.define()
    with operator.client() as client:
        (definition,) = client.get_blueprint_definitions(operator.colony.name)
    stored_schema = json.loads(definition.metadata.annotations["colonies.dev/spec-schema"])
    assert stored_schema["properties"]["brightness"]["maximum"] == 100
    assert stored_schema["additionalProperties"] is False
