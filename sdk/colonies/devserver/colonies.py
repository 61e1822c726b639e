"""Colony and server-wide RPCs (protocol 1.5, 3.1)."""

from __future__ import annotations

from typing import Any

from colonies.devserver import registry
from colonies.devserver.call import Call
from colonies.devserver.store import Row
from colonies.devserver.timefmt import format_time

__all__ = ["colony_row"]


def colony_row(colony_id: str, name: str) -> Row:
    return {"colonyid": colony_id, "name": name}


@registry.rpc("versionmsg", "Failed to get server version", signed=False)
def version(call: Call) -> dict[str, Any]:
    return {"buildversion": "", "buildtime": "", "msgtype": "versionmsg"}


@registry.rpc("getserverinfomsg", "Failed to get server info", signed=False, decode=False)
def server_info(call: Call) -> dict[str, Any]:
    return {
        "buildversion": "dev",
        "buildtime": format_time(call.state.now().replace(microsecond=0)),
        "backends": [{"type": "http", "port": 50080, "host": "0.0.0.0"}],
    }
