"""A first reconciler: lights that only exist in memory, so it runs anywhere.

    colonies-sdk run --dev examples/light_reconciler.py:Light

starts the embedded dev server, registers the ``ExampleLight`` kind and reconciles it.
In another shell (with the ``export`` line it prints), add a blueprint:

    python examples/light_reconciler.py add kitchen --power on --brightness 120

See docs/tutorial.md for a walk through every part.
"""

from __future__ import annotations

import argparse
import logging
from typing import Literal

from pydantic import BaseModel, Field

from colonies.runtime import Diff, PermanentError, Reconciler, Resource

log = logging.getLogger("examples.light")


class LightSpec(BaseModel):
    """What a blueprint asks for. Also the schema the server validates specs against."""

    power: bool
    brightness: int = Field(default=254, ge=0, le=254)
    color: Literal["warm", "neutral", "cold"] = "neutral"


class LightStatus(BaseModel):
    """What the device reports. Fields it shares with the spec are compared; others
    (``reachable``) are just recorded in the blueprint status."""

    power: bool = False
    brightness: int = 0
    color: str = "neutral"
    reachable: bool = True


class Light(Reconciler[LightSpec, LightStatus]):
    """Keeps simulated lights in the state their blueprints ask for."""

    kind = "ExampleLight"

    def __init__(self) -> None:
        self.devices: dict[str, LightStatus] = {}

    async def observe(self, resource: Resource[LightSpec]) -> LightStatus:
        return self.devices.get(resource.name, LightStatus())

    async def apply(self, resource: Resource[LightSpec], diff: Diff) -> LightStatus:
        if resource.spec.color == "cold" and resource.spec.brightness > 200:
            raise PermanentError("this lamp cannot do cold light above brightness 200")
        current = self.devices.get(resource.name, LightStatus())
        changes = {change.path: change.desired for change in diff}
        log.info("light %s: %s", resource.name, diff.summary())
        self.devices[resource.name] = current.model_copy(update=changes)
        return self.devices[resource.name]

    async def cleanup(self, name: str) -> None:
        self.devices.pop(name, None)


def _add_blueprint() -> None:
    """Add or change a light blueprint, using the COLONIES_* variables ``--dev`` printed."""
    from colonies.client import ColoniesClient
    from colonies.config import ClientConfig
    from colonies.errors import NotFoundError
    from colonies.models import Blueprint

    parser = argparse.ArgumentParser(description=_add_blueprint.__doc__)
    parser.add_argument("command", choices=["add"])
    parser.add_argument("name")
    parser.add_argument("--power", choices=["on", "off"], default="on")
    parser.add_argument("--brightness", type=int, default=254)
    parser.add_argument("--color", choices=["warm", "neutral", "cold"], default="neutral")
    args = parser.parse_args()
    spec = {"power": args.power == "on", "brightness": args.brightness, "color": args.color}
    config = ClientConfig.from_env()
    colony = config.colony_name or "dev"
    with ColoniesClient.from_config(config) as client:
        try:
            client.update_blueprint_spec(colony, args.name, spec)
        except NotFoundError:
            blueprint = Blueprint.model_validate(
                {
                    "kind": Light.kind,
                    "metadata": {"name": args.name, "colonyname": colony},
                    "spec": spec,
                }
            )
            client.add_blueprint(blueprint)
        print(client.get_blueprint(colony, args.name).model_dump_json(indent=2))


if __name__ == "__main__":
    _add_blueprint()
