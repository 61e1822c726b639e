"""Test kit for ColonyOS users: a server target (dev or real), throwaway colonies, and the
pytest fixtures ``colonies_server`` and ``colony`` (see docs/client.md)."""

from colonies.testing.targets import (
    ServerTarget,
    ThrowawayColony,
    free_port,
    server_target,
    throwaway_colony,
    unique_kind,
    unique_name,
)

__all__ = [
    "ServerTarget",
    "ThrowawayColony",
    "free_port",
    "server_target",
    "throwaway_colony",
    "unique_kind",
    "unique_name",
]
