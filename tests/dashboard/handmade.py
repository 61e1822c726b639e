"""Hand-made blueprint data behind the dashboard app, for tests of the page itself."""

from __future__ import annotations

from typing import Any

from colonies.errors import NotFoundError
from colonies.inspection.views import (
    Detail,
    Overview,
    blueprint_view,
    group_blueprints,
    history_views,
    process_view,
)
from colonies.models import Blueprint, BlueprintHistory, BlueprintMetadata, Log, Process

LAMP = "lamp <b>1</b>"  # a name that must be escaped and URL-quoted everywhere


def degraded_status(observed_generation: int, **fields: Any) -> dict[str, Any]:
    return {
        **fields,
        "observedGeneration": observed_generation,
        "conditions": [
            {
                "type": "Degraded",
                "status": "True",
                "reason": "DeviceUnreachable",
                "message": "no answer from the bulb",
                "lastTransitionTime": "2026-01-02T03:04:05Z",
            }
        ],
        "lastError": "no answer from the bulb",
    }


def lamp(generation: int, spec: dict[str, Any], status: dict[str, Any] | None) -> Blueprint:
    metadata = BlueprintMetadata(
        name=LAMP, location_name="Kitchen", labels={"room": "kitchen"}, generation=generation
    )
    return Blueprint(kind="HomeDevice", metadata=metadata, spec=spec, status=status)


class HandMadeSource:
    """Fixed data in (tests replace ``blueprint`` or set ``failure``), views out."""

    def __init__(self) -> None:
        self.failure: Exception | None = None
        self.reconciled: list[str] = []
        self.blueprint = lamp(
            3,
            {"power": True, "brightness": 80, "note": "<script>window.pwned = 1</script>"},
            degraded_status(2, power=True, brightness=50),
        )

    async def overview(self) -> Overview:
        if self.failure:
            raise self.failure
        return Overview("home", group_blueprints([blueprint_view(self.blueprint)]))

    async def detail(self, name: str) -> Detail:
        if self.failure:
            raise self.failure
        if name != self.blueprint.metadata.name:
            raise NotFoundError("Blueprint not found", status=404)
        history = history_views(
            [
                BlueprintHistory(generation=3, change_type="update", spec={"brightness": 80}),
                BlueprintHistory(generation=0, change_type="create", spec={"brightness": 50}),
            ]
        )
        process = Process.from_wire(
            {
                "processid": "f" * 64,
                "state": 3,
                "spec": {"funcname": "reconcile", "kwargs": {"blueprintName": LAMP}},
                "errors": ["no answer from the bulb"],
            }
        )
        logs = [Log(message="brightness: 50 -> 80", timestamp=1, executor_name="reconciler-0")]
        view = blueprint_view(self.blueprint)
        return Detail("home", view, history, [process_view(process, logs)])

    async def force_reconcile(self, name: str) -> None:
        self.reconciled.append(name)
