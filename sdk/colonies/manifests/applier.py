"""Run a :class:`~colonies.manifests.plan.Plan` against a colony, one request at a time.

Writes go one by one, definitions first: a kind exists before its first blueprint, and a
single ``apply`` never races the server's creation of a kind's reconcile cron (protocol 12).
A failed write is reported and the rest still run, as ``kubectl apply`` does.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from colonies.client import ColoniesClient
from colonies.errors import ColoniesError, NotFoundError
from colonies.inspection.compare import same_value
from colonies.manifests.documents import Manifest
from colonies.manifests.kinds import KindResolver, display_kind
from colonies.manifests.plan import (
    DEFINITION_LABEL,
    Action,
    Plan,
    Step,
    blueprint_label,
    make_plan,
    spec_problems,
)
from colonies.manifests.selectors import Selector
from colonies.models import Blueprint, BlueprintDefinition
from colonies.runtime.definition_upgrade import base_name, definitions_of_kind

__all__ = ["OWNER_KEY_NEEDED", "Colony", "InvalidSpecError", "Outcome"]

OWNER_KEY_NEEDED = (
    "adding or removing a blueprint definition needs the colony owner key: "
    "set COLONIES_COLONY_PRVKEY"
)


class InvalidSpecError(ValueError):
    """A spec the kind's schema rejects; nothing was sent. ``problems`` name the fields."""

    def __init__(self, label: str, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__(f"{label}: {'; '.join(problems)}")


@dataclass(frozen=True)
class Outcome:
    """A step that ran: its label and action, or the error that stopped it (``not_found``
    when the object to change does not exist)."""

    label: str
    action: Action | None = None
    error: str | None = None
    not_found: bool = False


class Colony:
    """A colony as the operator commands see it: its definitions and blueprints, read once.

    ``client`` signs as a member (``COLONIES_PRVKEY``); ``owner`` with the colony owner key,
    which only adding or removing a definition needs.
    """

    def __init__(
        self, client: ColoniesClient, name: str, owner: ColoniesClient | None = None
    ) -> None:
        self.client = client
        self.name = name
        self.owner = owner

    @functools.cached_property
    def definitions(self) -> list[BlueprintDefinition]:
        return self.client.get_blueprint_definitions(self.name)

    @functools.cached_property
    def blueprints(self) -> list[Blueprint]:
        """Every blueprint of the colony (one listing, read on first use)."""
        return self.client.get_blueprints(self.name)

    @functools.cached_property
    def kinds(self) -> KindResolver:
        return KindResolver(self.definitions)

    def get(self, kind: str, name: str) -> tuple[BlueprintDefinition, Blueprint]:
        """A blueprint of ``kind`` (any spelling) by name; :class:`LookupError` when absent."""
        definition = self.kinds.resolve(kind)
        label = f"{display_kind(definition)}/{name}"
        try:
            blueprint = self.client.get_blueprint(self.name, name)
        except NotFoundError:
            raise LookupError(f"{label} not found in colony {self.name!r}") from None
        if blueprint.kind != definition.spec.names.kind:
            raise LookupError(f"{label} not found ({name!r} is a {blueprint.kind})")
        return definition, blueprint

    def update_spec(
        self, definition: BlueprintDefinition, blueprint: Blueprint, spec: dict[str, Any]
    ) -> Outcome:
        """Send ``blueprint`` with a new spec, validated first: :class:`InvalidSpecError` and
        nothing sent when the schema rejects it, nothing sent either when it is unchanged.
        The stored status read with ``blueprint`` is kept."""
        label = blueprint_label(definition, blueprint)
        problems = spec_problems(definition, spec)
        if problems:
            raise InvalidSpecError(label, problems)
        if same_value(spec, blueprint.spec):
            return Outcome(label, Action.UNCHANGED)
        try:
            self.client.update_blueprint(blueprint.model_copy(update={"spec": spec}))
        except ColoniesError as error:
            return Outcome(label, error=error.message)
        return Outcome(label, Action.CONFIGURED)

    def plan(self, manifests: Iterable[Manifest]) -> Plan:
        """What applying ``manifests`` would do; reads nothing more, writes nothing."""
        return make_plan(manifests, self.name, self.definitions, self.blueprints)

    def apply(self, plan: Plan, report: Callable[[Outcome], None]) -> list[Outcome]:
        """Send each step's write (an unchanged step sends nothing) and report each outcome."""
        failed_kinds: set[str] = set()
        outcomes = []
        for step in plan.steps:
            outcome = self._run(step, failed_kinds)
            outcomes.append(outcome)
            report(outcome)
        return outcomes

    def _run(self, step: Step, failed_kinds: set[str]) -> Outcome:
        send = step.send
        if step.blocker is not None:
            return Outcome(step.label, error=step.blocker)
        if send is None:
            return Outcome(step.label, step.action)
        try:
            if isinstance(send, BlueprintDefinition):
                if self.owner is None:
                    failed_kinds.add(send.spec.names.kind)
                    return Outcome(step.label, error=OWNER_KEY_NEEDED)
                for name in step.removals:
                    self.owner.remove_blueprint_definition(self.name, name)
                self.owner.add_blueprint_definition(send)
            elif send.kind in failed_kinds:
                return Outcome(step.label, error=f"its kind {send.kind!r} was not defined")
            elif step.action is Action.CREATED:
                self.client.add_blueprint(send)
            else:
                self.client.update_blueprint(send)
        except ColoniesError as error:
            if isinstance(send, BlueprintDefinition):
                failed_kinds.add(send.spec.names.kind)
            return Outcome(step.label, error=error.message)
        return Outcome(step.label, step.action)

    def prune_candidates(
        self, manifests: Sequence[Manifest], selector: Selector
    ) -> list[Blueprint]:
        """Blueprints that carry ``selector`` but no manifest names: what ``--prune`` removes."""
        named = {manifest.name for manifest in manifests if not manifest.is_definition}
        return [
            blueprint
            for blueprint in self.blueprints
            if selector.matches(blueprint.metadata.labels) and blueprint.metadata.name not in named
        ]

    def delete_manifests(self, manifests: Iterable[Manifest]) -> Iterator[Outcome]:
        """Remove what ``manifests`` name: blueprints first, then definitions (the server
        refuses to remove a definition while blueprints of its kind exist)."""
        stored = {blueprint.metadata.name: blueprint for blueprint in self.blueprints}
        for manifest in sorted(manifests, key=lambda manifest: manifest.is_definition):
            if manifest.is_definition:
                yield self._delete_definition(manifest)
                continue
            definition = self.kinds.find(manifest.kind)
            blueprint = stored.get(manifest.name)
            if (
                definition is None
                or blueprint is None
                or blueprint.kind != definition.spec.names.kind
            ):
                label = f"{manifest.kind.lower()}/{manifest.name}"
                yield Outcome(label, error="not found", not_found=True)
            else:
                yield self.delete(blueprint)

    def _delete_definition(self, manifest: Manifest) -> Outcome:
        """Remove the definition and the revisions upgrades added for it (``9999.<name>``):
        left behind, the newest revision would keep the kind defined."""
        label = f"{DEFINITION_LABEL}/{manifest.name}"
        revisions = [
            definition.metadata.name
            for definition in definitions_of_kind(self.definitions, manifest.kind)
            if base_name(definition) == manifest.name
        ]
        if not revisions:
            return Outcome(label, error="not found", not_found=True)
        if self.owner is None:
            return Outcome(label, error=OWNER_KEY_NEEDED)
        try:
            for name in revisions:
                self.owner.remove_blueprint_definition(self.name, name)
        except ColoniesError as error:
            return Outcome(label, error=error.message)
        return Outcome(label, Action.DELETED)

    def label(self, blueprint: Blueprint) -> str:
        """``homedevice/name`` for a stored blueprint."""
        return blueprint_label(self.kinds.find(blueprint.kind), blueprint)

    def delete(self, blueprint: Blueprint) -> Outcome:
        """Remove one blueprint; the server submits its cleanup process."""
        label = self.label(blueprint)
        try:
            self.client.remove_blueprint(self.name, blueprint.metadata.name)
        except ColoniesError as error:
            return Outcome(label, error=error.message)
        return Outcome(label, Action.DELETED)
