"""Blueprint vocabulary for the ``test_blueprints_*`` cases of both suites (no tests here).

A :class:`World` is one colony (owner, user, approved executor) seen through a
:class:`Target`: raw signed RPCs, so every case sees exactly the replies a client would.
The conformance cases make one with :meth:`World.of` from the ``colony`` fixture (dev or
real server); the dev server's own tests bootstrap one in-process with
:meth:`DevColonies.world`.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from colonies.crypto import PrivateKey
from colonies.devserver import DevServer, DevServerSettings
from tests.conformance.target import Colony, Target

EXECUTOR_TYPE = "bp-reconciler"
ZERO = "0001-01-01T00:00:00Z"
_numbers = itertools.count(1)

LAMP_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "power": {"type": "boolean"},
        "brightness": {"type": "number"},
        "color": {"type": "string", "enum": ["red", "green", "blue"]},
    },
    "required": ["power"],
}


#: The schema of the 7.8 checks: protocol 9's definition example plus a number, an integer
#: and a nested ``required``.
VALIDATION_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "power": {"type": "boolean"},
        "brightness": {"type": "number"},
        "count": {"type": "integer"},
        "color": {"type": "string", "enum": ["red", "green", "blue"]},
        "tags": {"type": "array", "items": {"type": "string"}},
        "cfg": {
            "type": "object",
            "properties": {"mode": {"type": "string"}},
            "required": ["mode"],
        },
    },
    "required": ["power"],
}

#: One spec per row of the 7.8 table, with the reason after "blueprint validation failed: ".
VIOLATIONS: list[tuple[dict[str, Any], str]] = [
    ({}, "required field 'power' is missing"),
    ({"power": "on"}, "field 'power' must be a boolean, got string"),
    ({"power": True, "brightness": "high"}, "field 'brightness' must be a number, got string"),
    ({"power": True, "color": 5}, "field 'color' must be a string, got float64"),
    (
        {"power": True, "color": "pink"},
        "field 'color' must be one of [red green blue], got pink",
    ),
    ({"power": True, "tags": "a"}, "field 'tags' must be an array, got string"),
    ({"power": True, "tags": ["a", 2]}, "field 'tags[1]' must be a string, got float64"),
    ({"power": True, "cfg": 3}, "field 'cfg' must be an object, got float64"),
    ({"power": True, "cfg": {"mode": 1}}, "field 'cfg.mode' must be a string, got float64"),
]


@dataclass
class World:
    """One colony with its owner, user and approved executor, and blueprint helpers."""

    wire: Target
    colony: str
    owner: PrivateKey
    user: PrivateKey
    user_name: str
    executor: PrivateKey
    executor_name: str
    executor_type: str
    suffix: str = ""  # appended to kinds: a real server looks definitions up across colonies

    @classmethod
    def of(cls, wire: Target, colony: Colony, suffix: str | None = None) -> World:
        """The world of a conformance ``colony``, with kinds of its own: a fresh suffix
        unless given (another world of the same test passes the first one's)."""
        return cls(
            wire,
            colony.name,
            owner=colony.owner_key,
            user=colony.user_key,
            user_name=colony.user_name,
            executor=colony.executor_key,
            executor_name=colony.executor_name,
            executor_type=colony.executor_type,
            suffix=uuid.uuid4().hex[:8] if suffix is None else suffix,
        )

    def kind(self, base: str) -> str:
        """A kind name of this world; unique per world on a shared real server."""
        return base + self.suffix

    # -- definitions --

    def definition(
        self,
        kind: str,
        *,
        name: str | None = None,
        executor_type: str = EXECUTOR_TYPE,
        function_name: str = "reconcile",
        schema: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A definition request object for ``kind`` with a handler (empty parts omitted)."""
        handler = {
            key: value
            for key, value in (("executorType", executor_type), ("functionName", function_name))
            if value
        }
        spec: dict[str, Any] = {
            "group": "test.io",
            "version": "v1",
            "names": {"kind": kind, "singular": kind.lower(), "plural": kind.lower() + "s"},
            "scope": "Namespaced",
            "handler": handler,
        }
        if schema is not None:
            spec["schema"] = schema
        return {
            "kind": kind,
            "metadata": {"name": name or f"{kind.lower()}-def", "colonyname": self.colony},
            "spec": spec,
        }

    def define(self, kind: str, **options: Any) -> dict[str, Any]:
        definition: dict[str, Any] = self.wire.ok(
            self.owner,
            "addblueprintdefinitionmsg",
            blueprintdefinition=self.definition(kind, **options),
        )
        return definition

    # -- blueprints --

    def blueprint(
        self, name: str, kind: str, spec: dict[str, Any] | None = None, **metadata: Any
    ) -> dict[str, Any]:
        """A blueprint request object in this colony."""
        body: dict[str, Any] = {
            "kind": kind,
            "metadata": {"name": name, "colonyname": self.colony, **metadata},
        }
        if spec is not None:
            body["spec"] = spec
        return body

    def add(
        self,
        name: str,
        kind: str,
        spec: dict[str, Any] | None = None,
        *,
        key: PrivateKey | None = None,
        **metadata: Any,
    ) -> dict[str, Any]:
        added: dict[str, Any] = self.wire.ok(
            key or self.user,
            "addblueprintmsg",
            blueprint=self.blueprint(name, kind, spec, **metadata),
        )
        return added

    def get(self, name: str) -> dict[str, Any]:
        found: dict[str, Any] = self.wire.ok(
            self.user, "getblueprintmsg", namespace=self.colony, name=name
        )
        return found

    def update(
        self, blueprint: dict[str, Any], *, key: PrivateKey | None = None, force: bool = False
    ) -> dict[str, Any]:
        updated: dict[str, Any] = self.wire.ok(
            key or self.user, "updateblueprintmsg", blueprint=blueprint, forcegeneration=force
        )
        return updated

    def history(self, blueprint_id: str, limit: int = 0) -> list[dict[str, Any]]:
        entries: list[dict[str, Any]] = self.wire.ok(
            self.user, "getblueprinthistorymsg", blueprintid=blueprint_id, limit=limit
        )
        return entries

    # -- what blueprints caused --

    def processes(self, state: int = 0) -> list[dict[str, Any]]:
        found = self.wire.ok(
            self.user, "getprocessesmsg", colonyname=self.colony, count=100, state=state
        )
        return list(found or [])

    def reconciles_of(self, name: str) -> list[dict[str, Any]]:
        """Waiting processes whose kwargs name this blueprint (reconcile and cleanup)."""
        return [p for p in self.processes() if p["spec"]["kwargs"].get("blueprintName") == name]

    def crons(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self.wire.ok(
            self.user, "getcronsmsg", colonyname=self.colony, count=100
        )
        return found

    def cron_names(self) -> list[str]:
        return sorted(cron["name"] for cron in self.crons())


@dataclass
class DevColonies:
    """A running dev server and a target on it, for the dev server's own blueprint tests."""

    server: DevServer
    target: Target

    @classmethod
    @contextmanager
    def running(cls, settings: DevServerSettings | None = None) -> Iterator[DevColonies]:
        with DevServer(settings) as server:
            target = Target(server.url, server.server_key, real=False)
            try:
                yield cls(server, target)
            finally:
                target.close()

    def world(self, prefix: str = "bp") -> World:
        """A fresh bootstrapped colony whose executor has type ``EXECUTOR_TYPE``."""
        boot = self.server.bootstrap(
            f"{prefix}-{next(_numbers)}", executor_type=EXECUTOR_TYPE, executor_name="rec-1"
        )
        return World(
            self.target,
            boot.colony_name,
            owner=boot.colony_key,
            user=boot.user_key,
            user_name=boot.user_name,
            executor=boot.executor_key,
            executor_name=boot.executor_name,
            executor_type=boot.executor_type,
        )
