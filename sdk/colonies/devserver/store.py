"""In-memory tables of JSON-ready rows with dirty tracking and optional SQLite write-through.

Handlers mutate rows and ``put`` them again; the dispatcher commits after every handler (so
a reply is only sent once its effects are durable) or rolls back when the handler failed, so
a crash in the middle of an operation never leaves half-applied state behind. Rows read with
``get``/``values``/``items`` are live objects: rollback restores every row touched since the
last commit from its committed JSON text, including rows mutated in place without ``put``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Hashable, Iterator, Mapping
from pathlib import Path
from typing import Any

from colonies import deepjson

__all__ = ["IndexKey", "Row", "Store", "Table", "define_index", "key_of"]

Row = dict[str, Any]
IndexKey = Callable[[Row], Hashable | None]
"""Which group a row belongs to in an index; ``None`` leaves the row out."""

_INDEXES: dict[str, dict[str, IndexKey]] = {}


def define_index(table: str, name: str, key: IndexKey) -> None:
    """Group the rows of ``table`` by ``key(row)``, kept current by ``put``, ``delete``,
    loading and rollback, so a hot path reads one group instead of scanning the table (an
    assign among thousands of finished processes). Call it at import time, before a server
    creates its tables. Readers must still check rows: a row mutated without ``put`` keeps
    its old group until it is put again."""
    _INDEXES.setdefault(table, {})[name] = key


def key_of(*parts: str) -> str:
    """A composite key such as ``colony/name``; ``/`` cannot occur in an ID."""
    return "/".join(parts)


def _encode(row: Row) -> str:
    return deepjson.dumps(row)


class Table:
    """A dict-like of rows keyed by string, remembering what changed since the last commit."""

    def __init__(self, name: str, indexes: Mapping[str, IndexKey] | None = None) -> None:
        self.name = name
        self._rows: dict[str, Row] = {}
        self._committed: dict[str, str] = {}
        self._dirty: set[str] = set()
        self._touched: set[str] = set()
        self._all_touched = False
        self._index_keys = dict(indexes or {})
        self._group_of: dict[str, dict[str, Hashable]] = {name: {} for name in self._index_keys}
        self._groups: dict[str, dict[Hashable, dict[str, Row]]] = {
            name: {} for name in self._index_keys
        }

    # -- reads (mark rows as touched so rollback can undo in-place mutations) --

    def get(self, key: str) -> Row | None:
        row = self._rows.get(key)
        if row is not None:
            self._touched.add(key)
        return row

    def values(self) -> list[Row]:
        self._all_touched = True
        return list(self._rows.values())

    def items(self) -> list[tuple[str, Row]]:
        self._all_touched = True
        return list(self._rows.items())

    def keys(self) -> list[str]:
        return list(self._rows)

    def group(self, index: str, value: Hashable) -> list[Row]:
        """The rows that ``index`` (see :func:`define_index`) puts in group ``value``."""
        rows = self._groups[index].get(value, {})
        self._touched.update(rows)
        return list(rows.values())

    def __contains__(self, key: object) -> bool:
        return key in self._rows

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._rows))

    # -- writes --

    def put(self, key: str, row: Row) -> None:
        self._rows[key] = row
        self._dirty.add(key)
        self._reindex(key)

    def delete(self, key: str) -> Row | None:
        row = self._rows.pop(key, None)
        self._dirty.add(key)
        self._reindex(key)
        return row

    def _reindex(self, key: str) -> None:
        """Move ``key`` to the groups its current row belongs to (or out of all of them)."""
        row = self._rows.get(key)
        for name, index_key in self._index_keys.items():
            groups = self._groups[name]
            old = self._group_of[name].pop(key, None)
            if old is not None:
                members = groups[old]
                del members[key]
                if not members:
                    del groups[old]
            if row is not None and (new := index_key(row)) is not None:
                self._group_of[name][key] = new
                groups.setdefault(new, {})[key] = row

    # -- transaction support for Store --

    def _load(self, key: str, text: str) -> None:
        self._rows[key] = deepjson.loads(text)
        self._committed[key] = text
        self._reindex(key)

    def _changes(self) -> list[tuple[str, str | None]]:
        """Dirty rows encoded as JSON text (``None`` for deleted rows) that differ from
        their committed text."""
        changes: list[tuple[str, str | None]] = []
        for key in self._dirty:
            row = self._rows.get(key)
            text = None if row is None else _encode(row)
            if self._committed.get(key) != text:
                changes.append((key, text))
        return changes

    def _mark_committed(self, changes: list[tuple[str, str | None]]) -> None:
        for key, text in changes:
            if text is None:
                self._committed.pop(key, None)
            else:
                self._committed[key] = text
        self._forget_changes()

    def _rollback(self) -> None:
        keys = set(self._rows) | set(self._committed) if self._all_touched else set()
        for key in keys | self._dirty | self._touched:
            text = self._committed.get(key)
            if text is None:
                self._rows.pop(key, None)
            else:
                self._rows[key] = deepjson.loads(text)
            self._reindex(key)
        self._forget_changes()

    def _forget_changes(self) -> None:
        self._dirty.clear()
        self._touched.clear()
        self._all_touched = False

    def __repr__(self) -> str:
        return f"Table({self.name!r}, rows={len(self._rows)})"


class Store:
    """All tables of one server, created on first use, persisted to SQLite when configured."""

    def __init__(self, database: Path | None = None) -> None:
        self._tables: dict[str, Table] = {}
        self._db: sqlite3.Connection | None = None
        if database is not None:
            self._db = self._open(database)
            self._load_all()

    @staticmethod
    def _open(database: Path) -> sqlite3.Connection:
        database.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(database, check_same_thread=False, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute(
            "CREATE TABLE IF NOT EXISTS rows (tbl TEXT NOT NULL, key TEXT NOT NULL,"
            " value TEXT NOT NULL, PRIMARY KEY (tbl, key)) WITHOUT ROWID"
        )
        return db

    def _load_all(self) -> None:
        assert self._db is not None
        for tbl, key, value in self._db.execute("SELECT tbl, key, value FROM rows"):
            self.table(tbl)._load(key, value)

    @property
    def persistent(self) -> bool:
        return self._db is not None

    def table(self, name: str) -> Table:
        """The table called ``name``, created empty on first use."""
        table = self._tables.get(name)
        if table is None:
            table = self._tables[name] = Table(name, _INDEXES.get(name))
        return table

    def commit(self) -> None:
        """Make every change since the last commit durable, in one SQLite transaction.
        If writing fails nothing is marked committed, so a rollback restores a consistent
        state."""
        pending = [(table, table._changes()) for table in self._tables.values()]
        if self._db is not None:
            upserts = [
                (t.name, k, v) for t, changes in pending for k, v in changes if v is not None
            ]
            deletes = [(t.name, k) for t, changes in pending for k, v in changes if v is None]
            if upserts or deletes:
                with _Transaction(self._db) as db:
                    db.executemany(
                        "INSERT OR REPLACE INTO rows (tbl, key, value) VALUES (?, ?, ?)", upserts
                    )
                    db.executemany("DELETE FROM rows WHERE tbl = ? AND key = ?", deletes)
        for table, changes in pending:
            table._mark_committed(changes)

    def rollback(self) -> None:
        """Forget every change since the last commit, restoring touched rows."""
        for table in self._tables.values():
            table._rollback()

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


class _Transaction:
    """``BEGIN``/``COMMIT`` around a block (autocommit connections need it spelled out)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> sqlite3.Connection:
        self._db.execute("BEGIN")
        return self._db

    def __exit__(self, exc_type: object, *_: object) -> None:
        self._db.execute("ROLLBACK" if exc_type else "COMMIT")
