"""The resync's listing helpers: plain documents, one model at a time, outcomes counted."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from colonies.client._api import Operations
from colonies.models import Blueprint
from colonies.runtime import metrics as results
from colonies.runtime.engine import Report
from colonies.runtime.processes import ResyncTally, listed_blueprints


def _document(name: str, location: str = "") -> dict[str, Any]:
    return {"kind": "Lamp", "metadata": {"name": name, "locationname": location}, "spec": {}}


def test_the_document_listing_asks_what_get_blueprints_asks() -> None:
    listing = Operations.get_blueprint_documents.build(None, "home", "Lamp", "kitchen")
    models = Operations.get_blueprints.build(None, "home", "Lamp", "kitchen")
    assert listing.message() == models.message()
    assert listing.read
    assert listing.decode([_document("a")]) == [_document("a")]


def test_each_document_becomes_a_model_in_its_turn_and_is_released() -> None:
    documents = [_document("a"), _document("b"), _document("c")]
    left = []
    names = []
    for blueprint in listed_blueprints(documents, unlocated_only=False):
        assert isinstance(blueprint, Blueprint)
        names.append(blueprint.metadata.name)
        left.append(len(documents))
    assert names == ["a", "b", "c"]
    assert left == [2, 1, 0]


def test_a_resync_without_location_skips_located_blueprints() -> None:
    documents = [_document("a"), _document("b", "kitchen"), _document("c")]
    listed = list(listed_blueprints(documents, unlocated_only=True))
    assert [bp.metadata.name for bp in listed if isinstance(bp, Blueprint)] == ["a", "c"]
    located = [_document("b", "kitchen")]
    assert len(list(listed_blueprints(located, unlocated_only=False))) == 1


def test_an_unreadable_document_yields_its_error_and_the_rest_still_come() -> None:
    documents = [_document("a"), {"kind": "Lamp", "metadata": "not an object"}, _document("c")]
    listed = list(listed_blueprints(documents, unlocated_only=True))
    assert isinstance(listed[1], ValidationError)
    assert [bp.metadata.name for bp in listed if isinstance(bp, Blueprint)] == ["a", "c"]


def test_the_tally_counts_what_the_summary_says() -> None:
    tally = ResyncTally()
    tally.add(Report(results.RESULT_NOOP, "in sync"))
    tally.add(Report(results.RESULT_SUCCESS, "applied", change_lines=("changed level: 1 -> 2",)))
    tally.add(Report(results.RESULT_ERROR, "", error="device offline"))
    tally.add(Report(results.RESULT_NOOP, "in sync"))
    assert tally.summary("Lamp") == (
        "resync of 4 Lamp blueprint(s): 1 changed, 1 failed, 2 in sync"
    )
