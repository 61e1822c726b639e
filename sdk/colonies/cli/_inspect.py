"""What the inspecting commands (``get``, ``describe``, ``wait``, ``history``, ``reconcile``)
share: a kind word and a name resolved to a stored blueprint, durations as people type them,
and times as people read them (in their own time zone)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

import typer

from colonies.cli._common import ExitCode, fail
from colonies.client import AsyncColoniesClient
from colonies.errors import NotFoundError
from colonies.manifests.kinds import KindResolver, UnknownKindError, display_kind
from colonies.models import Blueprint, BlueprintDefinition

KindArgument = Annotated[
    str, typer.Argument(metavar="KIND", help="blueprint kind: its kind, singular or plural name")
]
NameArgument = Annotated[str, typer.Argument(metavar="NAME", help="blueprint name")]

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_duration(text: str) -> float:
    """``60s``, ``2m``, ``1h``, ``500ms`` or plain seconds, as ``kubectl wait --timeout``."""
    match = _DURATION.match(text)
    if match is None:
        raise typer.BadParameter(f"{text!r} is not a duration (examples: 30s, 2m, 1h)")
    return float(match[1]) * _UNIT_SECONDS[match[2] or "s"]


def local_time(moment: datetime | None) -> str:
    """A server time in the viewer's time zone, to the second; ``-`` when unset."""
    if moment is None:
        return "-"
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")


def age(moment: datetime | None, now: datetime) -> str:
    """How long ago, in kubectl's short form (``45s``, ``12m``, ``3h``, ``2d``)."""
    if moment is None:
        return "-"
    seconds = max(0, int((now - moment).total_seconds()))
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


@dataclass(frozen=True)
class KindRef:
    """A resolved kind: its definition and how output names it (``homedevice``)."""

    definition: BlueprintDefinition

    @property
    def kind(self) -> str:
        return self.definition.spec.names.kind

    def ref(self, name: str) -> str:
        """``homedevice/living-room-lamp``, as ``apply`` prints it."""
        return f"{display_kind(self.definition)}/{name}"


async def resolve_kind(client: AsyncColoniesClient, colony: str, word: str) -> KindRef:
    """The kind ``word`` names (case-insensitive; kind, singular, plural or short name)."""
    definitions = await client.get_blueprint_definitions(colony)
    try:
        return KindRef(KindResolver(definitions).resolve(word))
    except UnknownKindError as error:
        fail(str(error), ExitCode.NOT_FOUND)


async def find_blueprint(
    client: AsyncColoniesClient, colony: str, kind: KindRef, name: str
) -> Blueprint | None:
    """The blueprint of that kind and name, or ``None`` (another kind's blueprint counts as
    missing: names are unique in a colony, but the command named a kind)."""
    try:
        blueprint = await client.get_blueprint(colony, name)
    except NotFoundError:
        return None
    return blueprint if blueprint.kind == kind.kind else None


async def get_blueprint(
    client: AsyncColoniesClient, colony: str, kind: KindRef, name: str
) -> Blueprint:
    """Like :func:`find_blueprint`, but a missing blueprint ends the command (exit code 3)."""
    blueprint = await find_blueprint(client, colony, kind, name)
    if blueprint is None:
        fail(f"{kind.ref(name)} not found in colony {colony}", ExitCode.NOT_FOUND)
    return blueprint
