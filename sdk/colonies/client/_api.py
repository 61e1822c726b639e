"""Every client operation, gathered into the one mixin both clients inherit."""

from __future__ import annotations

from colonies.client._api_blueprints import BlueprintOperations
from colonies.client._api_members import MemberOperations
from colonies.client._api_processes import ProcessOperations
from colonies.client._api_server import ServerOperations
from colonies.client._api_storage import StorageOperations
from colonies.client._api_subscriptions import SubscriptionOperations
from colonies.client._api_workflows import WorkflowOperations

__all__ = ["Operations"]


class Operations(
    ServerOperations,
    MemberOperations,
    ProcessOperations,
    WorkflowOperations,
    StorageOperations,
    BlueprintOperations,
    SubscriptionOperations,
):
    """The ColonyOS API, defined once for :class:`ColoniesClient` and
    :class:`AsyncColoniesClient`."""
