"""Executor RPCs, re-registration and stale-executor cleanup (protocol 3.2, 5.5, 6)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from colonies.devserver.store import Row
from colonies.devserver.timefmt import format_time

__all__ = ["APPROVED", "PENDING", "REJECTED", "UNREGISTERED", "executor_row"]

PENDING, APPROVED, REJECTED, UNREGISTERED = 0, 1, 2, 3


def executor_row(
    *,
    executor_id: str,
    executor_type: str,
    name: str,
    colony: str,
    now: datetime,
    location: str = "",
    capabilities: dict[str, Any] | None = None,
    allocations: dict[str, Any] | None = None,
    require_func_reg: bool = False,
) -> Row:
    """A new executor as the server stores and returns it (6.3): always PENDING."""
    row: Row = {
        "executorid": executor_id,
        "executortype": executor_type,
        "executorname": name,
        "colonyname": colony,
        "state": PENDING,
        "requirefuncreg": require_func_reg,
        "commissiontime": format_time(now),
        "lastheardfromtime": format_time(None),
    }
    if location:
        row["locationname"] = location
    row["capabilities"] = capabilities or {"hardware": None, "software": None}
    row["allocations"] = allocations or {"projects": None}
    return row
