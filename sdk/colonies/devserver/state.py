"""The state of one running dev server: settings, tables, identity, clock, IDs and events.

One ``ServerState`` exists per start of the server (a restart makes a new one over the same
store), so run-time objects bound to the event loop live here and never leak across restarts.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar, cast

from colonies.crypto import PrivateKey
from colonies.devserver.events import EventBus
from colonies.devserver.settings import DevServerSettings
from colonies.devserver.store import Row, Store, Table, key_of

__all__ = ["ServerState"]

T = TypeVar("T")

#: table names of the identity area (rows are the real server's JSON objects)
COLONIES = "colonies"  # key: colony name
USERS = "users"  # key: colony/name
EXECUTORS = "executors"  # key: colony/name
LOCATIONS = "locations"  # key: colony/name
_SERVER = "server"  # key "key": the server's private key, so a database keeps its owner


def _server_identity(store: Store, configured: PrivateKey | None) -> tuple[PrivateKey, str]:
    """The server key and ID: configured, else remembered by the database, else new. The ID
    differs from the key's only after ``changeserveridmsg``."""
    table = store.table(_SERVER)
    row = table.get("key")
    if configured is not None:
        key = configured
    elif row is not None:
        key = PrivateKey(str(row["prvkey"]))
    else:
        key = PrivateKey.generate()
    if row is None or row.get("prvkey") != key.hex():
        row = {"prvkey": key.hex(), "serverid": key.id}
        table.put("key", row)
        store.commit()
    return key, str(row.get("serverid") or key.id)


class ServerState:
    """Everything handlers need; passed to every handler as ``call.state``."""

    def __init__(self, settings: DevServerSettings, store: Store, port: int = 0) -> None:
        self.settings = settings
        self.store = store
        self.port = port or settings.port  # the port actually listened on
        self.server_key, self.server_id = _server_identity(store, settings.server_key)
        self.events = EventBus(self)
        self._runtime: dict[str, Any] = {}

    # -- clock and IDs --

    @staticmethod
    def now() -> datetime:
        return datetime.now(UTC)

    @staticmethod
    def new_id() -> str:
        """A new object ID: SHA3-256 of a random UUID string, as the server makes them."""
        return hashlib.sha3_256(str(uuid.uuid4()).encode("ascii")).hexdigest()

    def change_server_id(self, server_id: str) -> None:
        """Hand server ownership to another key (``changeserveridmsg``); persisted."""
        self.server_id = server_id
        self.table(_SERVER).put("key", {"prvkey": self.server_key.hex(), "serverid": server_id})

    # -- run-time objects (not persisted; one per server start) --

    def runtime(self, name: str, factory: Callable[[], T]) -> T:
        """A per-start object (waiter sets, in-memory channels...), created on first use."""
        if name not in self._runtime:
            self._runtime[name] = factory()
        return cast(T, self._runtime[name])

    # -- identity lookups --

    def table(self, name: str) -> Table:
        return self.store.table(name)

    def colony(self, name: str) -> Row | None:
        return self.table(COLONIES).get(name)

    def user(self, colony: str, name: str) -> Row | None:
        return self.table(USERS).get(key_of(colony, name))

    def users_of(self, colony: str) -> list[Row]:
        return [u for u in self.table(USERS).values() if u.get("colonyname") == colony]

    def user_by_id(self, colony: str, user_id: str) -> Row | None:
        return next((u for u in self.users_of(colony) if u.get("userid") == user_id), None)

    def executor(self, colony: str, name: str) -> Row | None:
        return self.table(EXECUTORS).get(key_of(colony, name))

    def executors_of(self, colony: str) -> list[Row]:
        return [e for e in self.table(EXECUTORS).values() if e.get("colonyname") == colony]

    def executor_by_id(self, executor_id: str, colony: str | None = None) -> Row | None:
        """The executor with this ID, in ``colony`` when given."""
        for row in self.table(EXECUTORS).values():
            if row.get("executorid") == executor_id and colony in (None, row.get("colonyname")):
                return row
        return None

    def location(self, colony: str, name: str) -> Row | None:
        return self.table(LOCATIONS).get(key_of(colony, name))

    def signer_name(self, colony: str, signer_id: str) -> str:
        """The signer's user name in ``colony``, else its executor name, else ``""``."""
        user = self.user_by_id(colony, signer_id)
        if user is not None:
            return str(user.get("name", ""))
        executor = self.executor_by_id(signer_id, colony)
        return str(executor.get("executorname", "")) if executor is not None else ""
