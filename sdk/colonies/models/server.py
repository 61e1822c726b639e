"""Server-level replies: version, server info, statistics and cluster (protocol 1.5, 3.1, 9)."""

from __future__ import annotations

from colonies.models._base import GoTime, NullableList, WireModel

__all__ = ["Backend", "Cluster", "ClusterNode", "ServerInfo", "Statistics", "Version"]


class Version(WireModel):
    """Build information from ``versionmsg`` (often empty strings on real servers)."""

    build_version: str = ""
    build_time: str = ""


class Backend(WireModel):
    """One listening backend of the server."""

    type: str = ""
    host: str = ""
    port: int = 0
    tls: bool = False
    insecure: bool = False


class ServerInfo(WireModel):
    """Build information and listening backends from ``getserverinfomsg``."""

    build_version: str = ""
    build_time: GoTime = None
    backends: NullableList[Backend] = []


class Statistics(WireModel):
    """Counts of colonies, executors, processes and workflows (server-wide or per colony)."""

    colonies: int = 0
    executors: int = 0
    active_executors: int = 0
    unregistered_executors: int = 0
    waiting_processes: int = 0
    running_processes: int = 0
    successful_processes: int = 0
    failed_processes: int = 0
    cancelled_processes: int = 0
    waiting_workflows: int = 0
    running_workflows: int = 0
    successful_workflows: int = 0
    failed_workflows: int = 0
    cancelled_workflows: int = 0


class ClusterNode(WireModel):
    """One node of a server cluster."""

    name: str = ""
    host: str = ""
    port: int = 0
    peer_port: int = 0
    relay_port: int = 0
    api_port: int = 0


class Cluster(WireModel):
    """The server cluster: its nodes and current leader."""

    nodes: NullableList[ClusterNode] = []
    leader: ClusterNode | None = None
