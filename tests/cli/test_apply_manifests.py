"""The manifests library without a server: reading sources, kinds, selectors, the schema a
v1.9.12 server keeps, and ``set``'s typing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from colonies.devserver.blueprint_documents import decode_definition
from colonies.manifests import (
    KindResolver,
    SelectorError,
    UnknownKindError,
    load_manifests,
    parse_selector,
)
from colonies.manifests.assignments import AssignmentError, apply_assignments, parse_assignment
from colonies.models import BlueprintDefinition
from colonies.runtime.schema import server_schema
from tests.cli.operate import LAMP_SCHEMA, definition_document

LAMP = "kind: Lamp\nmetadata: {name: %s}\nspec: {power: true}\n"


def test_files_directories_and_stdin_with_multi_document_yaml_and_json(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(LAMP % "one" + "---\n" + LAMP % "two" + "---\n")
    (tmp_path / "b.json").write_text('{"kind": "Lamp", "metadata": {"name": "three"}, "spec": {}}')
    (tmp_path / "notes.txt").write_text("not a manifest")

    loaded = load_manifests([str(tmp_path), "-"], io.StringIO(LAMP % "four"))

    assert loaded.errors == []
    assert [(m.name, str(m.origin)) for m in loaded.manifests] == [
        ("one", f"{tmp_path}/a.yaml, document 1"),
        ("two", f"{tmp_path}/a.yaml, document 2"),
        ("three", f"{tmp_path}/b.json, document 1"),
        ("four", "<stdin>, document 1"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            LAMP % "one" + "---\nkind: Lamp\n  bad: indent\n",
            "file.yaml, document 2: not valid YAML or JSON at line 6, column 6",
        ),
        ("- a\n- b\n", "file.yaml, document 1: a document must be a mapping, got list"),
        ("kind: Lamp\nspec: {}\n", "file.yaml, document 1: metadata.name is required"),
        (
            "kind: Lamp\nmetadata: {name: x}\nspecs: {}\n",
            "file.yaml, document 1 (x): unknown top-level field 'specs'",
        ),
        (
            "kind: Lamp\nmetadata: {name: x, lables: {}}\nspec: {}\n",
            "(x): unknown field metadata.lables",
        ),
        (
            "kind: Lamp\nmetadata: {name: x, labels: {n: 1}}\nspec: {}\n",
            "metadata.labels must map strings to strings",
        ),
        (
            LAMP % "x" + "---\n" + LAMP % "y" + "---\n" + LAMP % "x",
            "file.yaml, document 1 (lamp/x): also defined in file.yaml, document 3: none of them",
        ),
    ],
)
def test_each_bad_document_is_named_by_file_and_number(
    tmp_path: Path, text: str, message: str
) -> None:
    (tmp_path / "file.yaml").write_text(text)
    loaded = load_manifests([str(tmp_path / "file.yaml")], io.StringIO())
    assert len(loaded.errors) == 1
    assert message in str(loaded.errors[0]).replace(f"{tmp_path}/", "")


def test_an_object_named_twice_is_used_from_neither_file(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(LAMP % "x" + "---\n" + LAMP % "y")
    (tmp_path / "b.yaml").write_text(LAMP % "x")
    loaded = load_manifests([str(tmp_path)], io.StringIO())
    assert [manifest.name for manifest in loaded.manifests] == ["y"]
    assert [error.name for error in loaded.errors] == ["lamp/x"]


def test_a_definition_is_recognised_by_its_names() -> None:
    loaded = load_manifests(
        ["-"], io.StringIO(LAMP % "lamp" + "---\n" + str(definition_document("Lamp")))
    )
    assert [m.is_definition for m in loaded.manifests] == [False, True]
    assert loaded.manifests[1].kind == "Lamp"


def test_kinds_resolve_by_any_spelling_case_insensitively() -> None:
    definition = BlueprintDefinition.model_validate(definition_document("HomeDevice"))
    kinds = KindResolver([definition])
    for word in ("HomeDevice", "homedevice", "HOMEDEVICES"):
        assert kinds.resolve(word) is definition
    with pytest.raises(UnknownKindError, match=r"unknown kind 'lamp' \(known kinds: HomeDevice\)"):
        kinds.resolve("lamp")


def test_the_revision_in_effect_claims_the_kind_whatever_order_it_is_listed_in() -> None:
    document = definition_document("HomeDevice")
    plain = BlueprintDefinition.model_validate(document)
    revision = BlueprintDefinition.model_validate(
        {**document, "metadata": {"name": "9999.homedevice"}}
    )
    assert KindResolver([plain, revision]).resolve("homedevices") is revision


def test_selectors() -> None:
    selector = parse_selector("app=home,tier!=test,managed,!legacy")
    assert selector.matches({"app": "home", "managed": "yes"})
    assert not selector.matches({"app": "home", "managed": "yes", "tier": "test"})
    assert not selector.matches({"app": "home"})
    assert not selector.matches({"app": "home", "managed": "", "legacy": "1"})
    for bad in ("", "a=b,", "=b", "!a=b", "a b"):
        with pytest.raises(SelectorError):
            parse_selector(bad)


def test_the_server_subset_is_what_the_dev_server_stores() -> None:
    """The dev server decodes definitions through a model of v1.9.12's Go structs."""
    stored = decode_definition({**definition_document("Lamp"), "spec": {"schema": LAMP_SCHEMA}})
    assert server_schema(LAMP_SCHEMA) == stored["spec"]["schema"]


def test_assignments_are_typed_by_the_schema() -> None:
    schema = server_schema(LAMP_SCHEMA)
    spec = apply_assignments(
        {"power": False, "brightness": 1},
        [
            parse_assignment(text)
            for text in ("power=on", "brightness=7", "cfg.name=42", "x=[1, 2]", "brightness-")
        ],
        schema,
    )
    assert spec == {"power": True, "cfg": {"name": "42"}, "x": [1, 2]}
    with pytest.raises(AssignmentError, match=r"power\.level=1: power is not an object"):
        apply_assignments({"power": True}, [parse_assignment("power.level=1")], schema)
