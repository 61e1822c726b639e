"""In-process colony bootstrap for tests and the CLI: a colony, a user and an approved executor
without any RPC, with keys remembered so a persistent dev server bootstraps idempotently."""

from __future__ import annotations

from dataclasses import dataclass

from colonies.crypto import PrivateKey
from colonies.devserver.colonies import colony_row
from colonies.devserver.executors import APPROVED, executor_row
from colonies.devserver.state import COLONIES, EXECUTORS, USERS, ServerState
from colonies.devserver.store import key_of
from colonies.devserver.users import user_row

__all__ = ["Bootstrap", "bootstrap_colony"]

_DEV_KEYS = "devkeys"  # colony name -> the keys bootstrap generated for it


@dataclass(frozen=True)
class Bootstrap:
    """What a test or a local user needs to act in a bootstrapped colony."""

    colony_name: str
    colony_key: PrivateKey
    user_key: PrivateKey
    user_name: str
    executor_key: PrivateKey
    executor_name: str
    executor_type: str


def _keys(state: ServerState, colony: str) -> tuple[PrivateKey, PrivateKey, PrivateKey]:
    table = state.table(_DEV_KEYS)
    row = table.get(colony)
    existing = state.colony(colony)
    if (
        row is not None
        and existing is not None
        and existing["colonyid"] == PrivateKey(row["colony"]).id
    ):
        return PrivateKey(row["colony"]), PrivateKey(row["user"]), PrivateKey(row["executor"])
    if existing is not None:
        raise ValueError(f"colony {colony!r} exists and was not made by bootstrap")
    keys = PrivateKey.generate(), PrivateKey.generate(), PrivateKey.generate()
    table.put(colony, {"colony": keys[0].hex(), "user": keys[1].hex(), "executor": keys[2].hex()})
    return keys


def bootstrap_colony(
    state: ServerState,
    colony_name: str,
    *,
    executor_type: str,
    executor_name: str,
    user_name: str,
) -> Bootstrap:
    """Create (or complete) the colony, its user and its approved executor; the caller commits."""
    colony_key, user_key, executor_key = _keys(state, colony_name)
    if state.colony(colony_name) is None:
        state.table(COLONIES).put(colony_name, colony_row(colony_key.id, colony_name))
    if state.user(colony_name, user_name) is None:
        state.table(USERS).put(
            key_of(colony_name, user_name), user_row(colony_name, user_key.id, user_name)
        )
    executor = state.executor(colony_name, executor_name)
    if executor is None or executor["executorid"] != executor_key.id:
        executor = executor_row(
            executor_id=executor_key.id,
            executor_type=executor_type,
            name=executor_name,
            colony=colony_name,
            now=state.now(),
        )
    executor["state"] = APPROVED
    state.table(EXECUTORS).put(key_of(colony_name, executor_name), executor)
    return Bootstrap(
        colony_name=colony_name,
        colony_key=colony_key,
        user_key=user_key,
        user_name=user_name,
        executor_key=executor_key,
        executor_name=executor_name,
        executor_type=executor_type,
    )
