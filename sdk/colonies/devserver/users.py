"""User RPCs (protocol 3.3)."""

from __future__ import annotations

from colonies.devserver.store import Row

__all__ = ["user_row"]


def user_row(colony: str, user_id: str, name: str, email: str = "", phone: str = "") -> Row:
    return {"colonyname": colony, "userid": user_id, "name": name, "email": email, "phone": phone}
