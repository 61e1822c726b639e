"""The store: dirty tracking, SQLite write-through, reload, and rollback of failed work."""

from __future__ import annotations

from pathlib import Path

from colonies.devserver.store import Store, define_index, key_of


def test_tables_are_created_on_first_use_and_behave_like_dicts() -> None:
    store = Store()
    table = store.table("things")
    assert store.table("things") is table
    table.put("a", {"n": 1})
    table.put(key_of("c", "b"), {"n": 2})
    assert table.get("a") == {"n": 1}
    assert "c/b" in table
    assert len(table) == 2
    assert sorted(table) == ["a", "c/b"]
    assert sorted(row["n"] for row in table.values()) == [1, 2]
    assert table.delete("a") == {"n": 1}
    assert table.get("a") is None
    assert table.delete("missing") is None


def test_commit_persists_and_a_new_store_loads_everything(tmp_path: Path) -> None:
    database = tmp_path / "dev.sqlite"
    store = Store(database)
    store.table("colonies").put("home", {"name": "home", "nested": {"list": [1, "x", None]}})
    store.table("users").put("home/alice", {"name": "alice"})
    store.commit()
    store.table("users").delete("home/alice")
    store.commit()
    store.close()
    reloaded = Store(database)
    assert reloaded.table("colonies").get("home") == {
        "name": "home",
        "nested": {"list": [1, "x", None]},
    }
    assert reloaded.table("users").get("home/alice") is None
    reloaded.close()


def test_uncommitted_changes_never_reach_the_database(tmp_path: Path) -> None:
    database = tmp_path / "dev.sqlite"
    store = Store(database)
    store.table("t").put("kept", {"v": 1})
    store.commit()
    store.table("t").put("lost", {"v": 2})
    store.close()
    reloaded = Store(database)
    assert reloaded.table("t").keys() == ["kept"]
    reloaded.close()


def test_rollback_restores_puts_deletes_and_in_place_mutations() -> None:
    store = Store()
    table = store.table("t")
    table.put("a", {"v": 1})
    table.put("b", {"v": 2})
    store.commit()
    row = table.get("a")
    assert row is not None
    row["v"] = 99  # mutated in place, never put back
    table.put("c", {"v": 3})
    table.delete("b")
    store.rollback()
    assert table.get("a") == {"v": 1}
    assert table.get("b") == {"v": 2}
    assert table.get("c") is None


def test_rollback_after_a_scan_restores_rows_changed_during_it() -> None:
    store = Store()
    table = store.table("t")
    for index in range(3):
        table.put(str(index), {"v": index})
    store.commit()
    for row in table.values():
        row["v"] = -1
    store.rollback()
    assert sorted(row["v"] for row in table.values()) == [0, 1, 2]


def test_put_of_an_unchanged_row_writes_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path / "dev.sqlite")
    table = store.table("t")
    table.put("a", {"v": 1})
    store.commit()
    table.put("a", {"v": 1})
    assert table._changes() == []
    store.close()


define_index("indexed-things", "by-colour", lambda row: row.get("colour"))


def _colours(store: Store, colour: str) -> list[str]:
    return sorted(row["id"] for row in store.table("indexed-things").group("by-colour", colour))


def test_an_index_follows_puts_deletes_and_in_place_changes_put_again() -> None:
    store = Store()
    things = store.table("indexed-things")
    for ident, colour in (("a", "red"), ("b", "red"), ("c", "blue"), ("d", None)):
        things.put(ident, {"id": ident, "colour": colour})
    assert _colours(store, "red") == ["a", "b"]
    assert _colours(store, "blue") == ["c"]
    row = things.get("a")
    assert row is not None
    row["colour"] = "blue"
    things.put("a", row)
    things.delete("b")
    assert _colours(store, "red") == []
    assert _colours(store, "blue") == ["a", "c"]


def test_an_index_is_restored_by_rollback_and_rebuilt_on_load(tmp_path: Path) -> None:
    database = tmp_path / "dev.sqlite"
    store = Store(database)
    things = store.table("indexed-things")
    things.put("a", {"id": "a", "colour": "red"})
    store.commit()
    things.put("a", {"id": "a", "colour": "blue"})
    things.put("b", {"id": "b", "colour": "red"})
    store.rollback()
    assert _colours(store, "red") == ["a"]
    assert _colours(store, "blue") == []
    assert _colours(Store(database), "red") == ["a"]
