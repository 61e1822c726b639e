"""When a backlog is worth a catch-up, and what a catch-up queues."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from colonies.models import Process
from colonies.runtime.catch_up import CatchUp, queue_wait, spec_is_newer

_SUBMITTED = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)


def waited(seconds: float | None) -> Process:
    """A targeted process that waited ``seconds`` in the queue (``None``: times unknown)."""
    document: dict[str, Any] = {
        "processid": "p" * 64,
        "spec": {"funcname": "reconcile", "kwargs": {"kind": "RtLamp", "blueprintName": "a"}},
    }
    if seconds is not None:
        started = _SUBMITTED + timedelta(seconds=seconds)
        document["submissiontime"] = _SUBMITTED.isoformat().replace("+00:00", "Z")
        document["starttime"] = started.isoformat().replace("+00:00", "Z")
    return Process.model_validate(document)


def listed(name: str, generation: int, observed: int | None) -> dict[str, Any]:
    document: dict[str, Any] = {
        "kind": "RtLamp",
        "metadata": {"name": name, "colonyname": "c", "generation": generation},
        "spec": {"power": True},
    }
    if observed is not None:
        document["status"] = {"observedGeneration": observed}
    return document


def test_queue_wait_is_the_servers_start_minus_submission_time() -> None:
    assert queue_wait(waited(1.25)) == 1.25
    assert queue_wait(waited(None)) is None


def test_a_spec_is_newer_until_its_generation_is_recorded() -> None:
    assert spec_is_newer(listed("new", 0, None)), "never reconciled"
    assert spec_is_newer(listed("changed", 4, 3))
    assert not spec_is_newer(listed("done", 4, 4))
    assert spec_is_newer({"metadata": None, "status": "garbage"}), "unreadable: reconcile it"


def test_a_catch_up_is_due_only_after_a_long_enough_wait() -> None:
    catch_up = CatchUp(after=0.5)
    assert not catch_up.due(waited(0.1))
    assert not catch_up.due(waited(None))
    assert catch_up.due(waited(0.5))
    assert not CatchUp(after=0).due(waited(60)), "0 turns catch-ups off"


def _blueprints(**generations: int) -> list[dict[str, Any]]:
    return [listed(name, gen, 1) for name, gen in generations.items()]


async def test_a_catch_up_queues_the_changed_blueprints_that_a_second_list_finds_quiet() -> None:
    catch_up = CatchUp(after=60)
    lists = iter([_blueprints(a=2, b=2, c=2, d=2, e=2), _blueprints(a=2, b=2, c=2, d=2, e=3)])

    async def list_changed() -> list[dict[str, Any]]:
        return next(lists)

    assert await catch_up.start(list_changed) == 0, "a first sight proves no quiet"
    assert catch_up.next() is None
    assert await catch_up.start(list_changed) == 4, "e moved between the lists: still changing"
    assert not catch_up.due(waited(120)), "its blueprints are still queued"
    taken = [catch_up.next() for _ in range(4)]
    assert sorted(blueprint.metadata.name for blueprint in taken if blueprint) == list("abcd")
    assert catch_up.next() is None
    assert not catch_up.due(waited(120)), "the last one started less than 60 s ago"


async def test_a_queued_document_that_is_no_blueprint_is_skipped() -> None:
    """Documents become models only when taken, so a bad one is dropped there."""
    catch_up = CatchUp(after=60)
    broken = {"kind": "RtLamp", "metadata": {"name": "x", "generation": "two"}, "spec": {}}
    lists = iter([[broken, listed("a", 2, 1)]] * 2)

    async def list_changed() -> list[dict[str, Any]]:
        return next(lists)

    await catch_up.start(list_changed)
    assert await catch_up.start(list_changed) == 2
    taken = catch_up.next()
    assert taken is not None
    assert taken.metadata.name == "a"
    assert catch_up.next() is None


async def test_a_replica_catches_up_only_the_blueprints_its_shard_keeps() -> None:
    """Replicas that catch up on one blueprint would both command its device."""
    catch_up = CatchUp(after=60, keep=lambda name: name in {"a", "c"})

    async def list_changed() -> list[dict[str, Any]]:
        return _blueprints(a=2, b=2, c=2, d=2)

    await catch_up.start(list_changed)
    assert await catch_up.start(list_changed) == 2
    taken = [catch_up.next() for _ in range(2)]
    assert sorted(blueprint.metadata.name for blueprint in taken if blueprint) == ["a", "c"]
    assert catch_up.next() is None


async def test_replicas_together_list_the_kind_as_often_as_one_runtime() -> None:
    members = [1]
    catch_up = CatchUp(after=0.05, replicas=lambda: members[0])

    async def list_changed() -> list[dict[str, Any]]:
        return []

    await catch_up.start(list_changed)
    await asyncio.sleep(0.1)
    assert catch_up.due(waited(0.5))
    members[0] = 1000
    assert not catch_up.due(waited(0.5)), "each of 1,000 replicas lists every 50 s at most"
