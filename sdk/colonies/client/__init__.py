"""Typed ColonyOS clients: :class:`ColoniesClient` (blocking) and
:class:`AsyncColoniesClient` (asyncio), with identical methods defined once."""

from colonies.client._api_blueprints import SpecChanges, merge_patch
from colonies.client._api_processes import NO_PROCESS_AVAILABLE
from colonies.client._async import AsyncColoniesClient
from colonies.client._call import KeyArg
from colonies.client._sync import ColoniesClient
from colonies.config import ClientConfig

__all__ = [
    "NO_PROCESS_AVAILABLE",
    "AsyncColoniesClient",
    "ClientConfig",
    "ColoniesClient",
    "KeyArg",
    "SpecChanges",
    "merge_patch",
]
