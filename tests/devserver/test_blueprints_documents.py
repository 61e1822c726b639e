"""Blueprint and definition documents: the Go struct round trip of protocol 7 and 9."""

from __future__ import annotations

from typing import Any

import pytest

from colonies.devserver.blueprint_codec import GoDecodeError, go_marshal
from colonies.devserver.blueprint_documents import (
    as_read_back,
    decode_blueprint,
    decode_definition,
    definition_handler,
    definition_kind,
    generation_of,
    history_entry,
    location_of,
    same_spec,
    with_generation,
)

ZERO = "0001-01-01T00:00:00Z"


def test_minimal_blueprint_echoes_like_the_real_add_reply() -> None:
    sent = {
        "kind": "ProbeLamp",
        "metadata": {"name": "b1", "colonyname": "probe-bp"},
        "spec": {"power": True, "brightness": 80},
    }
    assert decode_blueprint(sent) == {
        "blueprintid": "",
        "kind": "ProbeLamp",
        "metadata": {
            "name": "b1",
            "colonyname": "probe-bp",
            "createdAt": ZERO,
            "updatedAt": ZERO,
            "lastReconciliationTime": ZERO,
        },
        "spec": {"brightness": 80, "power": True},
    }


def test_full_metadata_keeps_go_field_order_and_client_values() -> None:
    sent = {
        "blueprintid": "myid123",
        "kind": "Loc",
        "handler": {"executorType": "ignored"},
        "status": {"phase": "Ready", "observedGeneration": 1.0},
        "spec": {"v": 2.0},
        "metadata": {
            "lastReconciliationProcess": "abc",
            "generation": 7,
            "labels": {"room": "kitchen"},
            "locationname": "Kitchen",
            "createdAt": "2021-02-03T04:05:06Z",
            "colonyname": "probe-bp2",
            "name": "doc1",
            "namespace": "ignored",
        },
    }
    decoded = decode_blueprint(sent)
    assert list(decoded) == ["blueprintid", "kind", "metadata", "spec", "status"]
    assert list(decoded["metadata"]) == [
        "name",
        "colonyname",
        "locationname",
        "labels",
        "generation",
        "createdAt",
        "updatedAt",
        "lastReconciliationProcess",
        "lastReconciliationTime",
    ]
    assert decoded["spec"] == {"v": 2}
    assert isinstance(decoded["spec"]["v"], int)
    assert decoded["status"] == {"observedGeneration": 1, "phase": "Ready"}
    assert list(decoded["status"]) == ["observedGeneration", "phase"]
    assert generation_of(decoded) == 7
    assert location_of(decoded) == "Kitchen"


def test_empty_collections_and_zero_generation_are_omitted() -> None:
    sent: dict[str, Any] = {
        "metadata": {"labels": {}, "annotations": None, "generation": 0},
        "status": {},
    }
    decoded = decode_blueprint(sent)
    assert "status" not in decoded
    assert set(decoded["metadata"]) == {
        "name",
        "colonyname",
        "createdAt",
        "updatedAt",
        "lastReconciliationTime",
    }
    assert decoded["spec"] is None
    assert as_read_back(decoded)["spec"] == {}
    assert generation_of(decoded) == 0
    assert location_of(decoded) == ""


def test_keys_match_case_insensitively_like_go() -> None:
    decoded = decode_blueprint({"Kind": "K", "METADATA": {"ColonyName": "c", "Name": "n"}})
    assert decoded["kind"] == "K"
    assert decoded["metadata"]["colonyname"] == "c"
    assert decoded["metadata"]["name"] == "n"


@pytest.mark.parametrize(
    "sent",
    [
        {"kind": 5},
        {"metadata": "m"},
        {"metadata": {"generation": 1.5}},
        {"metadata": {"generation": "1"}},
        {"metadata": {"generation": 2**63}},
        {"metadata": {"labels": {"a": 1}}},
        {"metadata": {"labels": ["a"]}},
        {"metadata": {"createdAt": "yesterday"}},
        {"metadata": {"createdAt": "2021-02-30T00:00:00Z"}},
        {"metadata": {"createdAt": 0}},
        {"spec": []},
        {"spec": {"x": float("inf")}},
        {"status": "ok"},
    ],
)
def test_wrong_json_types_are_invalid_json(sent: dict[str, Any]) -> None:
    with pytest.raises(GoDecodeError):
        decode_blueprint(sent)


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("2021-02-03T04:05:06Z", "2021-02-03T04:05:06Z"),
        ("2021-02-03T04:05:06.120000Z", "2021-02-03T04:05:06.12Z"),
        ("2021-02-03T04:05:06.000Z", "2021-02-03T04:05:06Z"),
        ("2021-02-03T04:05:06.123456789+02:00", "2021-02-03T04:05:06.123456789+02:00"),
        ("2021-02-03T04:05:06+00:00", "2021-02-03T04:05:06Z"),
        (None, ZERO),
    ],
)
def test_times_are_re_marshalled_like_go(sent: str | None, stored: str) -> None:
    assert decode_blueprint({"metadata": {"updatedAt": sent}})["metadata"]["updatedAt"] == stored


def test_null_label_values_become_empty_strings() -> None:
    assert decode_blueprint({"metadata": {"labels": {"b": None, "a": "x"}}})["metadata"][
        "labels"
    ] == {"a": "x", "b": ""}


def test_definition_echo_matches_the_protocol_example() -> None:
    sent = {
        "kind": "ProbeLamp",
        "metadata": {"name": "probelamp-def", "colonyname": "probe-bp"},
        "spec": {
            "group": "probe.io",
            "version": "v1",
            "names": {"kind": "ProbeLamp", "singular": "probelamp", "plural": "probelamps"},
            "scope": "Namespaced",
            "schema": {
                "type": "object",
                "properties": {
                    "power": {"type": "boolean", "default": False},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "cfg": {"type": "object", "properties": {"mode": {"type": "string"}}},
                },
                "required": ["power"],
            },
            "handler": {
                "executorType": "bp-reconciler",
                "functionName": "reconcile",
                "reconcileInterval": 30,
            },
        },
    }
    decoded = decode_definition(sent)
    assert decoded["blueprintdefinitionid"] == ""
    assert decoded["metadata"] == {
        "name": "probelamp-def",
        "colonyname": "probe-bp",
        "createdAt": ZERO,
        "updatedAt": ZERO,
        "lastReconciliationTime": ZERO,
    }
    assert decoded["spec"]["names"] == {
        "kind": "ProbeLamp",
        "listKind": "",
        "singular": "probelamp",
        "plural": "probelamps",
    }
    assert decoded["spec"]["schema"]["properties"]["power"] == {"type": "boolean", "default": False}
    assert decoded["spec"]["schema"]["properties"]["cfg"]["properties"] == {
        "mode": {"type": "string"}
    }
    assert decoded["spec"]["schema"]["properties"]["tags"]["items"] == {"type": "string"}
    assert decoded["spec"]["handler"]["reconcileInterval"] == 30
    assert definition_kind(decoded) == "ProbeLamp"
    assert definition_handler(decoded) == ("bp-reconciler", "reconcile")


def test_bare_definition_gets_empty_strings_and_no_schema() -> None:
    decoded = decode_definition({"metadata": {"name": "d", "colonyname": "c"}})
    assert decoded["kind"] == ""
    assert decoded["spec"] == {
        "group": "",
        "version": "",
        "names": {"kind": "", "listKind": "", "singular": "", "plural": ""},
        "scope": "",
        "handler": {"executorType": "", "functionName": ""},
    }
    assert definition_handler(decoded) == ("", "")


def test_definition_with_wrong_schema_types_is_invalid_json() -> None:
    with pytest.raises(GoDecodeError):
        decode_definition({"spec": {"schema": {"required": "power"}}})
    with pytest.raises(GoDecodeError):
        decode_definition({"spec": {"schema": {"properties": {"a": {"items": []}}}}})


def test_spec_equality_ignores_order_and_float_spelling() -> None:
    assert same_spec({"a": 50, "b": {"x": 1, "y": 2}}, {"b": {"y": 2.0, "x": 1}, "a": 50.0})
    assert same_spec(None, {})
    assert not same_spec({"a": 1}, {"a": True})
    assert not same_spec({"a": None}, {})
    assert not same_spec({"a": [1, 2]}, {"a": [2, 1]})


def test_with_generation_keeps_field_order_and_omits_zero() -> None:
    blueprint = decode_blueprint({"metadata": {"name": "n", "labels": {"a": "b"}}})
    bumped = with_generation(blueprint, 3)
    assert list(bumped["metadata"])[:4] == ["name", "colonyname", "labels", "generation"]
    assert "generation" not in with_generation(bumped, 0)["metadata"]
    assert "generation" not in blueprint["metadata"]


def test_history_entry_shape() -> None:
    blueprint = decode_blueprint(
        {
            "blueprintid": "bp",
            "kind": "K",
            "metadata": {"name": "n", "colonyname": "c", "generation": 4},
            "spec": {"x": 1},
        }
    )
    entry = history_entry(
        blueprint, history_id="h", changed_by="id", change_type="update", timestamp="t"
    )
    assert entry == {
        "historyid": "h",
        "blueprintid": "bp",
        "kind": "K",
        "namespace": "c",
        "name": "n",
        "generation": 4,
        "spec": {"x": 1},
        "timestamp": "t",
        "changedby": "id",
        "changetype": "update",
    }
    with_status = history_entry(
        {**blueprint, "status": {"phase": "x"}},
        history_id="h",
        changed_by="id",
        change_type="create",
        timestamp="t",
    )
    assert list(with_status)[7:9] == ["status", "timestamp"]


def test_go_marshal_is_compact_and_escapes_html() -> None:
    assert go_marshal({"a": "<b>&é", "n": None, "l": []}) == (
        '{"a":"\\u003cb\\u003e\\u0026é","n":null,"l":[]}'
    )
