"""Which listed blueprints a replica must look at when they enter its shard, without a server."""

from __future__ import annotations

from typing import Any

from colonies.runtime.shard_entry import ShardEntry


def listed(name: str, generation: int, recorded: int | None, blueprint_id: str = "id") -> Any:
    status = None if recorded is None else {"observedGeneration": recorded}
    return {
        "blueprintid": f"{blueprint_id}-{name}",
        "metadata": {"name": name, "generation": generation},
        "status": status,
    }


def test_owned_settled_blueprints_not_reconciled_at_their_version_are_due() -> None:
    entry = ShardEntry()
    mine = {"seen", "new", "changed", "busy", "readded"}
    entry.reconciled("seen", ("id-seen", 1))
    entry.reconciled("changed", ("id-changed", 1))
    entry.reconciled("readded", ("old-readded", 1))
    documents = [
        listed("seen", 1, 1),
        listed("new", 1, 1),
        listed("changed", 2, 2),
        listed("busy", 3, 2),  # its change is being reconciled: wait, do not race it
        listed("readded", 1, 1),
        listed("theirs", 1, 1),
        {"metadata": "not a blueprint"},
    ]
    assert entry.due(documents, mine.__contains__) == ["new", "changed", "readded"]


def keep_all(name: str) -> bool:
    return True


def test_a_reconcile_ends_the_wait_and_losing_the_blueprint_restarts_it() -> None:
    entry = ShardEntry()
    documents = [listed("a", 1, 1), listed("b", 1, 1)]
    assert entry.due(documents, keep_all) == ["a", "b"]
    entry.reconciled("a", ("id-a", 1))
    entry.reconciled("b", ("id-b", 1))
    assert entry.due(documents, keep_all) == []
    entry.keep_only(lambda name: name == "a")  # b moved to another replica
    assert entry.due(documents, keep_all) == ["b"]
    assert entry.due([listed("b", 1, 1)], keep_all) == ["b"]  # a removed: forgotten
    assert entry.due(documents, keep_all) == ["a", "b"]
    entry.forget("b")
    entry.reconciled("a", ("id-a", 1))
    assert entry.due(documents, keep_all) == ["b"]
