"""Colonies, users, executors and locations: who may do what, and where (protocol 3.1-3.3, 6)."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from pydantic import Field

from colonies.models._base import GoTime, NullableDict, NullableList, WireModel
from colonies.models.process import GPU

__all__ = [
    "Capabilities",
    "Colony",
    "Executor",
    "ExecutorState",
    "Hardware",
    "Location",
    "Software",
    "User",
]


class ExecutorState(IntEnum):
    """Registration states of an executor."""

    PENDING = 0
    APPROVED = 1
    REJECTED = 2
    UNREGISTERED = 3


class Colony(WireModel):
    """A colony: a namespace owned by the key whose ID is ``colony_id``."""

    colony_id: str = ""
    name: str = ""


class User(WireModel):
    """A member of a colony identified by the ID of the user's key."""

    colony_name: str = ""
    user_id: str = ""
    name: str = ""
    email: str = ""
    phone: str = ""


class Hardware(WireModel):
    """Hardware an executor offers."""

    model: str = ""
    nodes: int = 0
    cpu: str = ""
    cores: int = 0
    mem: str = ""
    storage: str = ""
    gpu: GPU = Field(default_factory=GPU)
    platform: str = ""
    architecture: str = ""
    network: NullableList[Any] = []


class Software(WireModel):
    """Software an executor offers."""

    name: str = ""
    type: str = ""
    version: str = ""


class Capabilities(WireModel):
    """What an executor can do; informational for the scheduler of this server version."""

    hardware: NullableList[Hardware] = []
    software: NullableList[Software] = []


class Executor(WireModel):
    """A worker registered in a colony. New executors are PENDING until the owner approves."""

    executor_id: str = ""
    executor_type: str = ""
    executor_name: str = ""
    colony_name: str = ""
    state: ExecutorState = ExecutorState.PENDING
    require_func_reg: bool = False
    commission_time: GoTime = None
    last_heard_from_time: GoTime = None
    location_name: str = ""
    capabilities: Capabilities = Field(default_factory=Capabilities)
    allocations: NullableDict[str, Any] = {}


class Location(WireModel):
    """A named place in a colony; processes and executors match on it case-insensitively."""

    location_id: str = ""
    name: str = ""
    colony_name: str = ""
    description: str = ""
    long: float = 0.0
    lat: float = 0.0
