"""What a reconciler sees of one blueprint: its identity, the validated spec and the last status."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Generic

from colonies.models import Blueprint
from colonies.runtime.reconciler import SpecT


@dataclass(frozen=True)
class Resource(Generic[SpecT]):
    """One blueprint, read just now (level-based: never the trigger's copy).

    ``spec`` is the validated spec model; ``status`` is the status dict the runtime last
    wrote (``None`` before the first reconcile); ``blueprint`` is the raw server object.
    ``observe`` and ``apply`` may call :meth:`requeue_after` to be looked at again.
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
    _requeue: list[float] = field(default_factory=list, compare=False, repr=False)

    def requeue_after(self, seconds: float) -> None:
        """Reconcile this blueprint again in ``seconds`` (a cover still moving, a device
        still booting), whatever this reconcile's outcome; the earliest request wins.

        Not an error retry (that is ``RetryPolicy``): the reconcile ends normally. The
        request lives in this runtime's memory only; after a restart the server's resync
        looks again. A later reconcile of the blueprint replaces it.
        """
        if not (math.isfinite(seconds) and seconds >= 0):
            raise ValueError(f"requeue_after needs a non-negative number of seconds, got {seconds}")
        self._requeue.append(seconds)

    @property
    def requeue_requested(self) -> float | None:
        """The shortest :meth:`requeue_after` asked for during this reconcile, if any."""
        return min(self._requeue, default=None)

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
