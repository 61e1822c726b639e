"""The record of settled reads: which triggers a read answers, and which lists it replaces."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from colonies.runtime.settled import CLOCK_MARGIN, Settled

T0 = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)


def test_a_converged_read_answers_the_triggers_submitted_before_its_anchor() -> None:
    settled = Settled()
    settled.looked("lamp", ("id-1", 3), anchor=T0, converged=True, wrote=True)
    assert settled.answered("lamp", T0 - SECOND) == ("id-1", 3)
    assert settled.answered("lamp", T0 - CLOCK_MARGIN / 2) is None, "within the clock margin"
    assert settled.answered("lamp", T0 + SECOND) is None, "a later change was not read"
    assert settled.answered("other", T0 - SECOND) is None
    assert settled.answered("lamp", None) is None, "no submission time, no answer"


def test_a_read_that_did_not_converge_answers_nothing() -> None:
    settled = Settled()
    settled.looked("lamp", ("id-1", 3), anchor=T0, converged=False, wrote=True)
    assert settled.answered("lamp", T0 - SECOND) is None


def test_a_read_without_anchor_answers_nothing_unless_an_earlier_read_had_one() -> None:
    settled = Settled()
    settled.looked("lamp", ("id-1", 3), anchor=None, converged=True, wrote=False)
    assert settled.answered("lamp", T0 - SECOND) is None
    assert not settled.supersedes("lamp", ("id-1", 3)), "nothing kept: it answers nothing"
    settled.looked("lamp", ("id-1", 3), anchor=None, converged=True, wrote=True)
    assert settled.supersedes("lamp", ("id-1", 3)), "a write is kept"
    settled.looked("lamp", ("id-1", 3), anchor=T0, converged=True, wrote=False)
    settled.looked("lamp", ("id-1", 3), anchor=None, converged=True, wrote=False)
    assert settled.answered("lamp", T0 - SECOND) == ("id-1", 3), "a later read keeps the bound"


def test_an_older_read_never_replaces_a_newer_one() -> None:
    settled = Settled()
    settled.looked("lamp", ("id-1", 4), anchor=T0, converged=False, wrote=True)
    settled.looked("lamp", ("id-1", 3), anchor=T0 + SECOND, converged=True, wrote=False)
    assert settled.answered("lamp", T0) is None, "generation 4 did not converge"
    assert settled.supersedes("lamp", ("id-1", 3))


def test_a_list_is_superseded_by_a_newer_read_or_a_converged_one_of_its_version() -> None:
    settled = Settled()
    assert not settled.supersedes("lamp", ("id-1", 3)), "nothing read yet"
    settled.looked("lamp", ("id-1", 3), anchor=T0, converged=False, wrote=True)
    assert not settled.supersedes("lamp", ("id-1", 3)), "it failed: the list may retry it"
    settled.looked("lamp", ("id-1", 3), anchor=T0, converged=True, wrote=True)
    assert settled.supersedes("lamp", ("id-1", 3))
    assert not settled.supersedes("lamp", ("id-1", 4))
    assert not settled.supersedes("lamp", ("id-2", 1)), "re-added: another blueprint"


def test_a_list_is_out_of_date_only_for_a_newer_version_of_the_same_blueprint() -> None:
    settled = Settled()
    settled.looked("lamp", ("id-1", 3), anchor=T0, converged=True, wrote=True)
    assert settled.read_newer("lamp", ("id-1", 2))
    assert not settled.read_newer("lamp", ("id-1", 3)), "the same version: a resync looks"
    assert not settled.read_newer("lamp", ("id-2", 1))
    assert not settled.read_newer("other", ("id-9", 1))


def test_a_removed_blueprint_is_forgotten() -> None:
    settled = Settled()
    settled.looked("lamp", ("id-1", 3), anchor=T0, converged=True, wrote=True)
    settled.forget("lamp")
    assert settled.answered("lamp", T0 - SECOND) is None
    assert not settled.supersedes("lamp", ("id-1", 3))


def test_status_writes_are_remembered_and_forgetting_one_is_taken_for_a_write() -> None:
    settled = Settled(capacity=1)
    before = time.monotonic()
    settled.looked("a", ("id-a", 1), anchor=T0, converged=True, wrote=False)
    assert not settled.written_since("a", before)
    settled.looked("a", ("id-a", 1), anchor=T0, converged=True, wrote=True)
    assert settled.written_since("a", before)
    assert not settled.written_since("a", time.monotonic() + 1)
    assert not settled.written_since("b", before), "never seen, nothing forgotten yet"
    settled.looked("b", ("id-b", 1), anchor=T0, converged=True, wrote=False)  # evicts "a"
    assert settled.written_since("a", before), "forgotten: it may have been written"
    assert settled.answered("a", T0 - SECOND) is None
