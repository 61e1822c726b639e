"""Shard entry: the replica that owns a blueprint's device events observes it first.

A reconciler learns which device belongs to which blueprint from the blueprints it observes
(the spec names the device). With replicas, a blueprint's add or spec change is one server
process that the exclusive assign gives to either replica, while its device events belong
to one replica's shard (``sharding.py``). When the other replica ran the process, the owner
never observed the blueprint, cannot name it in an event, and its events go nowhere.

So on membership refreshes a replica lists the kind (plain documents, one call) and
observes, as an ordinary event, each blueprint its shard keeps that it has not reconciled
at its current version (blueprint id and generation) since it came to own it. A blueprint
is due only once its status records its generation: the process that handled the change
has finished. The look observes the listed blueprint and applies nothing from the list
(``Engine``), since the spec may have changed since the list and another replica may be
applying the new one; only a device that differs from the listed spec is reconciled, from
a fresh read, and only while the blueprint is still at the listed version.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from colonies.models import Blueprint
from colonies.runtime.status import generation_observed

Version = tuple[str, int]
"""A blueprint's id and generation: a new spec, or a removed and re-added blueprint of the
same name, is a new version."""


def version_of(blueprint: Blueprint) -> Version:
    return blueprint.blueprint_id, blueprint.metadata.generation


def document_name(document: Mapping[str, Any]) -> str | None:
    """The name of a listed blueprint document, if it has one."""
    metadata = document.get("metadata")
    name = metadata.get("name") if isinstance(metadata, Mapping) else None
    return name if isinstance(name, str) and name else None


def settled_version(document: Mapping[str, Any]) -> Version | None:
    """A listed document's version, when its status already records its generation."""
    metadata = document.get("metadata")
    generation = metadata.get("generation", 0) if isinstance(metadata, Mapping) else None
    status = document.get("status")
    recorded = generation_observed(status if isinstance(status, dict) else None)
    if not isinstance(generation, int) or recorded != generation:
        return None
    return str(document.get("blueprintid") or ""), generation


class ShardEntry:
    """The version of each blueprint this replica owns and last reconciled."""

    def __init__(self) -> None:
        self._reconciled: dict[str, Version] = {}

    def reconciled(self, name: str, version: Version) -> None:
        self._reconciled[name] = version

    def forget(self, name: str) -> None:
        self._reconciled.pop(name, None)

    def keep_only(self, keep: Callable[[str], bool]) -> None:
        """Forget blueprints this replica no longer owns (after a membership change), so
        each is observed again if it comes back."""
        self._reconciled = {name: v for name, v in self._reconciled.items() if keep(name)}

    def due(self, documents: list[dict[str, Any]], keep: Callable[[str], bool]) -> list[str]:
        """Names among the listed ``documents`` (all of the kind at this replica's location)
        that ``keep`` owns and that this replica has not reconciled at their settled
        version; blueprints no longer listed are forgotten."""
        due, listed = [], set()
        for document in documents:
            name = document_name(document)
            if name is None:
                continue
            listed.add(name)
            version = settled_version(document)
            if version is not None and keep(name) and self._reconciled.get(name) != version:
                due.append(name)
        self._reconciled = {n: v for n, v in self._reconciled.items() if n in listed}
        return due
