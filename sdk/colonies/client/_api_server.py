"""Server and colony operations (protocol 1.5, 3.1)."""

from __future__ import annotations

from colonies.client._call import Call, KeyArg, as_list, as_model, as_none
from colonies.client._operation import operation
from colonies.models import Cluster, Colony, ServerInfo, Statistics, Version

__all__ = ["ServerOperations"]


class ServerOperations:
    """Version, server info, statistics and colony management."""

    @operation
    def version(self, *, key: KeyArg = None) -> Call[Version]:
        """The server's build version (no signature needed)."""
        return Call("versionmsg", {}, as_model(Version), key=key, read=True, signed=False)

    @operation
    def server_info(self, *, key: KeyArg = None) -> Call[ServerInfo]:
        """Build information and listening backends (no signature needed)."""
        return Call("getserverinfomsg", {}, as_model(ServerInfo), key=key, read=True, signed=False)

    @operation
    def get_colonies(self, *, key: KeyArg = None) -> Call[list[Colony]]:
        """All colonies. Server owner only."""
        return Call("getcoloniesmsg", {}, as_list(Colony), key=key, read=True)

    @operation
    def get_colony(self, colony: str, *, key: KeyArg = None) -> Call[Colony]:
        """One colony. Members only: the colony owner key alone is refused (403)."""
        return Call("getcolonymsg", {"colonyname": colony}, as_model(Colony), key=key, read=True)

    @operation
    def add_colony(self, colony_id: str, name: str, *, key: KeyArg = None) -> Call[Colony]:
        """Create a colony owned by the key whose ID is ``colony_id``. Server owner only."""
        message = {"colony": {"colonyid": colony_id, "name": name}}
        return Call("addcolonymsg", message, as_model(Colony), key=key)

    @operation
    def remove_colony(self, colony: str, *, key: KeyArg = None) -> Call[None]:
        """Delete a colony with its users, executors, locations and processes. Crons,
        generators, blueprints, definitions and files stay behind on a real server (3.1)."""
        return Call("removecolonymsg", {"colonyname": colony}, as_none, key=key)

    @operation
    def get_statistics(self, *, key: KeyArg = None) -> Call[Statistics]:
        """Server-wide counts. Server owner only."""
        return Call("getstatisticsmsg", {}, as_model(Statistics), key=key, read=True)

    @operation
    def get_colony_statistics(self, colony: str, *, key: KeyArg = None) -> Call[Statistics]:
        """Counts for one colony. A non-member gets :class:`ForbiddenError` (the server
        itself answers such calls with an empty body)."""
        message = {"colonyname": colony}
        return Call("getcolonystatsmsg", message, as_model(Statistics), key=key, read=True)

    @operation
    def get_cluster(self, *, key: KeyArg = None) -> Call[Cluster]:
        """The server cluster's nodes and leader. Server owner only."""
        return Call("getclustermsg", {}, as_model(Cluster), key=key, read=True)
