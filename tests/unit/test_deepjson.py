"""deepjson agrees with :mod:`json` where json copes, and goes as deep as Go beyond it."""

from __future__ import annotations

import json

import pytest

from colonies import deepjson

SAMPLES = [
    '{"a":[1,2.5,-3e2,"x\\u00e9\\n",true,false,null,{}],"b":{"c":[]},"d":""}',
    "[]",
    '"text"',
    " 7 ",
    '[[1],[2,[3,{"k":[]}]]]',
]
DEEP = 10_000


@pytest.mark.parametrize("text", SAMPLES)
def test_the_explicit_stack_parses_and_writes_what_json_does(text: str) -> None:
    value = json.loads(text)
    assert deepjson._loads_iteratively(text, DEEP) == value
    for ensure_ascii, separators, sort_keys in (
        (False, (",", ":"), False),
        (True, (", ", ": "), True),
    ):
        assert deepjson._dumps_iteratively(
            value, ensure_ascii, separators, sort_keys
        ) == json.dumps(
            value, ensure_ascii=ensure_ascii, separators=separators, sort_keys=sort_keys
        )


@pytest.mark.parametrize(
    "text", ["[1,]", '{"a" 1}', "[1 2]", '{"a":1,}', "", "[", "nul", "[1]x", "NaN", "{1:2}"]
)
def test_the_explicit_stack_refuses_what_json_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        deepjson._loads_iteratively(text, DEEP)


def test_values_as_deep_as_go_accepts_round_trip_and_copy() -> None:
    lists = "[" * DEEP + "]" * DEEP
    objects = '{"k":' * (DEEP - 1) + "[1]" + "}" * (DEEP - 1)
    for text in (lists, objects):
        value = deepjson.loads(text)
        assert deepjson.dumps(value) == text
        assert deepjson.dumps(deepjson.clone(value)) == text
    with pytest.raises(deepjson.DepthError, match="exceeded max depth"):
        deepjson.loads("[" + lists + "]")


def test_map_scalars_changes_keys_and_scalars_and_can_sort() -> None:
    value = {"b": ["x", {"a": 1}], "a": None}
    changed = deepjson.map_scalars(
        value, lambda s: s.upper() if isinstance(s, str) else s, sort_keys=True
    )
    assert changed == {"A": None, "B": ["X", {"A": 1}]}
    assert list(changed) == ["A", "B"]
    assert value == {"b": ["x", {"a": 1}], "a": None}, "the original is untouched"
