"""Spec-versus-status comparison: the rules that decide which rows the dashboard highlights."""

from __future__ import annotations

import pytest

from colonies.inspection.compare import FieldState, compare_documents, flatten, same_value


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        (50, 50.0, True),
        (True, 1, False),
        (False, 0, False),
        (True, True, True),
        ({"a": [1, 2]}, {"a": [1.0, 2]}, True),
        ({"a": 1}, {"a": 1, "b": 2}, False),
        ([1, 2], [2, 1], False),
        ("on", "on", True),
        (None, None, True),
        (None, 0, False),
    ],
)
def test_same_value_follows_json_semantics(left: object, right: object, expected: bool) -> None:
    assert same_value(left, right) is expected


def test_flatten_uses_dotted_paths_and_keeps_lists_and_empty_objects_as_leaves() -> None:
    document = {"power": True, "color": {"r": 1, "g": {"x": 2}}, "tags": ["a"], "cfg": {}}
    assert dict(flatten(document)) == {
        "power": True,
        "color.r": 1,
        "color.g.x": 2,
        "tags": ["a"],
        "cfg": {},
    }


def test_compare_documents_classifies_every_path_and_skips_ignored_keys() -> None:
    spec = {"power": True, "brightness": 80, "color": {"r": 1}}
    status = {"power": True, "brightness": 50, "reachable": True, "observedGeneration": 3}
    pairs = compare_documents(spec, status, ignore=frozenset({"observedGeneration"}))
    assert [(p.path, p.state) for p in pairs] == [
        ("power", FieldState.SAME),
        ("brightness", FieldState.DIFFERENT),
        ("color.r", FieldState.LEFT_ONLY),
        ("reachable", FieldState.RIGHT_ONLY),
    ]
    brightness = pairs[1]
    assert (brightness.left, brightness.right) == (80, 50)
