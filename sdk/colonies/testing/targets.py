"""A ColonyOS server to test against, and throwaway colonies on it.

By default the target is the embedded dev server; with ``COLONIES_SERVER_HOST``,
``COLONIES_SERVER_PORT``, ``COLONIES_TLS`` and ``COLONIES_SERVER_PRVKEY`` set it is that
real server. The same suites therefore run against both. Usable outside pytest (benches,
demos) through the two context managers :func:`server_target` and :func:`throwaway_colony`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import socket
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from colonies.client import AsyncColoniesClient, ColoniesClient
from colonies.config import ClientConfig
from colonies.crypto import PrivateKey
from colonies.errors import ColoniesError

if TYPE_CHECKING:
    from colonies.devserver import DevServer, DevServerSettings

__all__ = [
    "REAL_SERVER_VARIABLES",
    "ServerTarget",
    "ThrowawayColony",
    "free_port",
    "real_server_config",
    "server_target",
    "throwaway_colony",
    "unique_kind",
    "unique_name",
]

log = logging.getLogger(__name__)

REAL_SERVER_VARIABLES = (
    "COLONIES_SERVER_HOST",
    "COLONIES_SERVER_PORT",
    "COLONIES_TLS",
    "COLONIES_SERVER_PRVKEY",
)
"""All four select a real server as the test target; none selects the dev server."""


def unique_name(prefix: str) -> str:
    """A name no other test run uses: ``prefix-`` plus ten random hex characters."""
    return f"{prefix}-{secrets.token_hex(5)}"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now (for a server a test
    starts, or for one that must be unreachable)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def unique_kind(base: str) -> str:
    """A blueprint kind no other test or run uses: ``base`` plus ten random hex characters.

    A real server looks up the definition for reconcile and remove by kind across *all*
    colonies (protocol 7.5): a kind also defined elsewhere on a shared server (another run,
    another user, a definition left by an interrupted run) can route our reconcile and
    cleanup processes to that colony's executor type.
    """
    return f"{base}{secrets.token_hex(5)}"


@dataclass(frozen=True)
class ServerTarget:
    """A running server and the server owner's key.

    ``devserver`` is the embedded server when the target is one (``None`` for a real
    server), for the few tests that need dev-server-only powers such as restarts.
    """

    config: ClientConfig
    server_key: PrivateKey
    devserver: DevServer | None = None

    @property
    def url(self) -> str:
        """``http(s)://host:port``."""
        return self.config.base_url

    @property
    def host(self) -> str:
        return self.config.host

    @property
    def port(self) -> int:
        return self.config.port

    @property
    def tls(self) -> bool:
        return self.config.tls

    @property
    def is_dev(self) -> bool:
        """True for the embedded dev server."""
        return self.devserver is not None

    def client(self, key: PrivateKey | str | None = None) -> ColoniesClient:
        """A blocking client signing with ``key`` (default: the server owner's key)."""
        return ColoniesClient.from_config(self.config, key=key or self.server_key)

    def async_client(self, key: PrivateKey | str | None = None) -> AsyncColoniesClient:
        """An asyncio client signing with ``key`` (default: the server owner's key)."""
        return AsyncColoniesClient.from_config(self.config, key=key or self.server_key)


def real_server_config(environ: Mapping[str, str]) -> ClientConfig | None:
    """The real server named by the environment, or ``None`` when none is named.

    Setting only some of :data:`REAL_SERVER_VARIABLES` is an error, not a silent fallback
    to the dev server.
    """
    present = [name for name in REAL_SERVER_VARIABLES if environ.get(name)]
    if not present:
        return None
    missing = [name for name in REAL_SERVER_VARIABLES if name not in present]
    if missing:
        raise RuntimeError(f"a real server target also needs {', '.join(missing)}")
    return ClientConfig.from_env(environ)


@contextlib.contextmanager
def server_target(
    environ: Mapping[str, str] | None = None, *, settings: DevServerSettings | None = None
) -> Iterator[ServerTarget]:
    """The real server from the environment, else a dev server running for the block."""
    config = real_server_config(os.environ if environ is None else environ)
    if config is not None:
        assert config.server_key is not None  # guaranteed by real_server_config
        yield ServerTarget(config=config, server_key=config.server_key)
        return
    from colonies.devserver import DevServer

    with DevServer(settings) as server:
        config = ClientConfig(host=server.host, port=server.port)
        yield ServerTarget(config=config, server_key=server.server_key, devserver=server)


@dataclass(frozen=True)
class ThrowawayColony:
    """A fresh colony with its owner key, a user and an approved executor."""

    target: ServerTarget
    name: str
    owner_key: PrivateKey
    user_key: PrivateKey
    user_name: str
    executor_key: PrivateKey
    executor_name: str
    executor_type: str

    @property
    def colony_name(self) -> str:
        """The colony's name (same as :attr:`name`)."""
        return self.name

    @property
    def colony_key(self) -> PrivateKey:
        """The colony owner's key (same as :attr:`owner_key`)."""
        return self.owner_key

    def client(self, key: PrivateKey | str | None = None) -> ColoniesClient:
        """A blocking client signing with ``key`` (default: the user's key)."""
        return self.target.client(key or self.user_key)

    def async_client(self, key: PrivateKey | str | None = None) -> AsyncColoniesClient:
        """An asyncio client signing with ``key`` (default: the user's key)."""
        return self.target.async_client(key or self.user_key)


@contextlib.contextmanager
def throwaway_colony(
    target: ServerTarget,
    *,
    prefix: str = "test",
    executor_type: str | None = None,
    keep_blueprints: bool = False,
) -> Iterator[ThrowawayColony]:
    """Create a colony with a user and an approved executor through the API; remove it, and
    what removing a colony leaves behind (protocol 3.1), at the end.

    ``keep_blueprints`` leaves the blueprints and their definitions to the server: a real
    server removes about 6 blueprints a second, so thousands would take many minutes.

    The executor type is unique unless given: a real server wakes one long poll or
    process-list subscriber per executor type and state across *all* colonies (protocol 4.2),
    so a type shared with other colonies on a shared server lets them take our wake-ups.
    """
    executor_type = executor_type or unique_name(f"{prefix}-executor")
    colony = ThrowawayColony(
        target=target,
        name=unique_name(prefix),
        owner_key=PrivateKey.generate(),
        user_key=PrivateKey.generate(),
        user_name=unique_name("user"),
        executor_key=PrivateKey.generate(),
        executor_name=unique_name("executor"),
        executor_type=executor_type,
    )
    with target.client() as server:
        server.add_colony(colony.owner_key.id, colony.name)
        try:
            owner = server.with_key(colony.owner_key)
            owner.add_user(colony.name, colony.user_key.id, colony.user_name)
            owner.add_executor(
                colony.executor_key.id, colony.executor_name, executor_type, colony.name
            )
            owner.approve_executor(colony.name, colony.executor_name)
            yield colony
        finally:
            _remove_leftovers(server, colony, keep_blueprints=keep_blueprints)
            server.remove_colony(colony.name)


def _remove_blueprints(owner: ColoniesClient, member: ColoniesClient, colony: str) -> None:
    for blueprint in owner.get_blueprints(colony):
        owner.remove_blueprint(colony, blueprint.metadata.name)


def _remove_definitions(owner: ColoniesClient, member: ColoniesClient, colony: str) -> None:
    for definition in owner.get_blueprint_definitions(colony):
        owner.remove_blueprint_definition(colony, definition.metadata.name)


def _remove_crons(owner: ColoniesClient, member: ColoniesClient, colony: str) -> None:
    for cron in member.get_crons(colony):
        member.remove_cron(cron.cron_id)


def _remove_generators(owner: ColoniesClient, member: ColoniesClient, colony: str) -> None:
    for generator in member.get_generators(colony):
        member.remove_generator(generator.generator_id)


def _remove_files(owner: ColoniesClient, member: ColoniesClient, colony: str) -> None:
    for label in member.get_file_labels(colony):
        for summary in member.get_files(colony, label.name):
            member.remove_file(colony, label=label.name, name=summary.name)


def _remove_leftovers(
    server: ColoniesClient, colony: ThrowawayColony, *, keep_blueprints: bool
) -> None:
    """Remove what a colony removal keeps: blueprints, definitions, crons, generators, files."""
    owner = server.with_key(colony.owner_key)
    member = server.with_key(colony.user_key)
    blueprints = () if keep_blueprints else (_remove_blueprints, _remove_definitions)
    for remove in (*blueprints, _remove_crons, _remove_generators, _remove_files):
        try:
            remove(owner, member, colony.name)
        except ColoniesError as error:  # best effort: the colony itself still goes
            log.warning("cleanup of colony %s incomplete: %s", colony.name, error)
