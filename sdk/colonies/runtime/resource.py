"""What a reconciler sees of one blueprint: its identity, the validated spec and the last status."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic

from colonies.models import Blueprint
from colonies.runtime.reconciler import SpecT


@dataclass(frozen=True)
class Resource(Generic[SpecT]):
    """One blueprint, read just now (level-based: never the trigger's copy).

    ``spec`` is the validated spec model; ``status`` is the status dict the runtime last
    wrote (``None`` before the first reconcile); ``blueprint`` is the raw server object.
    """

    name: str
    kind: str
    colony_name: str
    generation: int
    spec: SpecT
    status: dict[str, Any] | None
    blueprint: Blueprint
    location: str | None = None
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_blueprint(cls, blueprint: Blueprint, spec: SpecT) -> Resource[SpecT]:
        """Wrap a blueprint whose spec has already been validated into ``spec``."""
        metadata = blueprint.metadata
        return cls(
            name=metadata.name,
            kind=blueprint.kind,
            colony_name=metadata.colony_name,
            generation=metadata.generation,
            spec=spec,
            status=blueprint.status,
            blueprint=blueprint,
            location=metadata.location_name or None,
            labels=dict(metadata.labels),
            annotations=dict(metadata.annotations),
        )
