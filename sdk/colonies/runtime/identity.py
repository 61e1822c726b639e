"""Who the runtime is on the server: an approved executor of the reconciler's type.

With the colony owner key the runtime registers itself under a stable name (the pod name)
and approves itself; a restart re-registers the same name, which makes the server re-queue
whatever the previous incarnation left running (protocol 6.2). Without the owner key it
uses an executor key an administrator registered and approved beforehand. Either way a key
that another executor record shares is refused: the server resolves keys by ID alone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from colonies.client import AsyncColoniesClient
from colonies.crypto import PrivateKey
from colonies.errors import ColoniesError, ForbiddenError, NotFoundError, ServerError
from colonies.models import Executor, ExecutorState
from colonies.runtime.errors import ConfigurationError
from colonies.runtime.settings import IdentitySettings

log = logging.getLogger("colonies.runtime")


@dataclass(frozen=True)
class ExecutorIdentity:
    """The executor the runtime signs as. ``owner_key`` is set when it may re-register."""

    key: PrivateKey
    name: str
    executor_type: str
    location: str | None
    owner_key: PrivateKey | None = None


def _check_key_is_ours(executors: list[Executor], key: PrivateKey, name: str, colony: str) -> None:
    """No executor but ``name`` may have the key's ID: the server resolves a key by ID alone
    (to whichever record its database returns first), so a runtime whose key another record
    shares may sign as that one, report ready and never reconcile (protocol 12)."""
    others = [
        e.executor_name for e in executors if e.executor_id == key.id and e.executor_name != name
    ]
    if not others:
        return
    raise ConfigurationError(
        f"this runtime's executor key (ID {key.id[:12]}...) also belongs to executor "
        f"{others[0]!r} of colony {colony!r}, so the server may take this runtime for that "
        f"executor instead of {name!r}. Give each executor its own key: unset COLONIES_PRVKEY "
        "and set COLONIES_COLONY_PRVKEY to let the runtime register a fresh one, or use a key "
        "no other executor has used (removed executors keep their ID on the server)"
    )


async def _listed_with(client: AsyncColoniesClient, colony: str, key: PrivateKey) -> list[Executor]:
    """The colony's executors as ``key`` sees them; none while the key is no member."""
    try:
        return await client.with_key(key).get_executors(colony)
    except ForbiddenError:
        return []


async def register(client: AsyncColoniesClient, colony: str, identity: ExecutorIdentity) -> None:
    """Add (or re-add) the executor with the owner key, check that the key resolves to it,
    and approve it."""
    if identity.owner_key is None:
        raise ConfigurationError("re-registering needs COLONIES_COLONY_PRVKEY")
    owner = client.with_key(identity.owner_key)
    # Before adding: a record with our key under another name would make the key ambiguous
    # for both runtimes, and the server cannot take that record back.
    listed = await _listed_with(client, colony, identity.key)
    _check_key_is_ours(listed, identity.key, identity.name, colony)

    async def add() -> Executor:
        return await owner.add_executor(
            identity.key.id,
            identity.name,
            identity.executor_type,
            colony,
            location=identity.location,
        )

    try:
        added = await add()
    except ColoniesError as error:
        if "already exists" not in error.message:
            raise
        # A server without re-registration: soft-delete the old record, then re-activate it.
        await owner.remove_executor(colony, identity.name)
        added = await add()
    # The add reply is looked up by ID (it may be another colony's executor); the list shows
    # every record of this colony, and now that we are registered our key may read it.
    listed = await _listed_with(client, colony, identity.key)
    _check_key_is_ours([added, *listed], identity.key, identity.name, colony)
    await owner.approve_executor(colony, identity.name)
    log.info("registered and approved executor %s (type %s)", identity.name, identity.executor_type)


async def establish(
    client: AsyncColoniesClient,
    colony: str,
    settings: IdentitySettings,
    executor_type: str,
    location: str | None,
) -> ExecutorIdentity:
    """Register ourselves with the owner key, or verify the pre-registered executor key."""
    if settings.colony_prvkey is not None:
        # Always a fresh key: COLONIES_PRVKEY in the same shell is usually a member's key
        # (the dev server's exports), and two runtimes sharing one executor key clash.
        identity = ExecutorIdentity(
            key=PrivateKey.generate(),
            name=settings.resolved_executor_name(executor_type),
            executor_type=executor_type,
            location=location,
            owner_key=settings.colony_prvkey,
        )
        await register(client, colony, identity)
        return identity
    if settings.prvkey is None:
        raise ConfigurationError(
            "no identity: set COLONIES_PRVKEY to an approved executor's key, or "
            "COLONIES_COLONY_PRVKEY to let the runtime register its own executor"
        )
    key = settings.prvkey
    try:
        executor = await client.with_key(key).get_executor_by_id(colony, key.id)
    except (ForbiddenError, NotFoundError, ServerError) as error:
        raise ConfigurationError(
            f"COLONIES_PRVKEY is not an approved executor of colony {colony!r}: {error.message}"
        ) from None
    if executor.state != ExecutorState.APPROVED:
        raise ConfigurationError(f"executor {executor.executor_name!r} is not approved")
    if executor.executor_type != executor_type:
        raise ConfigurationError(
            f"executor {executor.executor_name!r} has type {executor.executor_type!r}, "
            f"but blueprints of this kind are handled by type {executor_type!r}"
        )
    listed = await _listed_with(client, colony, key)
    _check_key_is_ours(listed, key, executor.executor_name, colony)
    return ExecutorIdentity(key, executor.executor_name, executor_type, location)


async def leave(
    client: AsyncColoniesClient, colony: str, identity: ExecutorIdentity, held: list[str]
) -> None:
    """At the end of a stop: remove our executor if we registered it (with the owner key)
    and the record is still ours. The server re-queues the ``held`` processes (protocol
    3.2), and other replicas stop counting us at their next membership read rather than
    three minutes later (``sharding.py``, ``writers.py``), as kopf's peering drops a peer
    that exits."""
    if identity.owner_key is None:
        if held:
            log.warning(
                "%d process(es) stay assigned to this executor until it re-registers or the "
                "server drops it: %s",
                len(held),
                ", ".join(held),
            )
        return
    try:
        if not await _still_ours(client, colony, identity):
            log.info("executor %s was replaced or removed already", identity.name)
            return
        await client.with_key(identity.owner_key).remove_executor(colony, identity.name)
    except Exception as error:
        log.warning("could not remove executor %s: %s", identity.name, error)
        return
    if held:
        log.info("handed %d unfinished process(es) back to the server", len(held))


async def _still_ours(client: AsyncColoniesClient, colony: str, identity: ExecutorIdentity) -> bool:
    """Whether the executor record under our name is still ours: a restarted runtime with
    the same name re-registers it with its own key (and re-queued our work)."""
    try:
        record = await client.with_key(identity.key).get_executor(colony, identity.name)
    except ForbiddenError:  # our key is no longer a member
        return False
    return record.executor_id == identity.key.id
