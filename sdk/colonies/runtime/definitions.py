"""The BlueprintDefinition that routes a kind's reconcile processes to this runtime.

With the owner key the runtime registers it (handler executorType/functionName
``reconcile``, the server's schema generated from the spec model, and the model's full
JSON Schema in the ``colonies.dev/spec-schema`` annotation); without, it checks that one
exists. A mismatched handler silently sends the work elsewhere: it fails start-up loudly.
A changed spec model is an upgrade (:mod:`colonies.runtime.definition_upgrade`): compatible
changes never block start-up; incompatible ones block only when stored blueprints no longer
validate, and the error names them.
"""

from __future__ import annotations

import logging
from typing import Any

from colonies.client import AsyncColoniesClient
from colonies.errors import ColoniesError
from colonies.models import BlueprintDefinition
from colonies.runtime.definition_upgrade import (
    SpecCheck,
    UpgradePlan,
    definitions_of_kind,
    handler_routing,
    model_validator,
    plan_upgrade,
)
from colonies.runtime.errors import ConfigurationError
from colonies.runtime.reconciler import Reconciler
from colonies.runtime.schema import (
    SPEC_SCHEMA_ANNOTATION,
    blueprint_schema,
    encode_full_schema,
    full_schema,
)
from colonies.runtime.triggers import RECONCILE_FUNCTION

log = logging.getLogger("colonies.runtime")


def build_definition(
    reconciler: type[Reconciler[Any, Any]], colony: str, executor_type: str
) -> BlueprintDefinition:
    """The definition this reconciler needs in ``colony``."""
    kind = reconciler.kind
    return BlueprintDefinition.model_validate(
        {
            "kind": kind,
            "metadata": {
                "name": reconciler.resolved_definition_name(),
                "colonyname": colony,
                "annotations": {
                    SPEC_SCHEMA_ANNOTATION: encode_full_schema(full_schema(reconciler.spec_model))
                },
            },
            "spec": {
                "group": reconciler.group,
                "version": reconciler.version,
                "names": {"kind": kind, "singular": kind.lower(), "plural": f"{kind.lower()}s"},
                "scope": "Namespaced",
                "schema": blueprint_schema(reconciler.spec_model),
                "handler": {
                    "executorType": executor_type,
                    "functionName": RECONCILE_FUNCTION,
                    "reconcileInterval": reconciler.resync_interval,
                },
            },
        }
    )


def mismatches(existing: BlueprintDefinition, wanted: BlueprintDefinition) -> list[str]:
    """Handler differences that would send the work elsewhere; empty when it matches.
    Schema differences are an upgrade, not a mismatch (:func:`ensure_definition`)."""
    problems = []
    have, want = handler_routing(existing), handler_routing(wanted)
    for field, had, wants in zip(("executorType", "functionName"), have, want, strict=True):
        if had != wants:
            problems.append(f"handler {field} is {had!r}, expected {wants!r}")
    return problems


async def ensure_definition(
    client: AsyncColoniesClient,
    colony: str,
    reconciler: type[Reconciler[Any, Any]],
    executor_type: str,
    owner_client: AsyncColoniesClient | None,
) -> None:
    """Make sure the effective definition of the reconciler's kind in ``colony`` routes to
    us and carries the spec model's schema, upgrading it when the owner key allows."""
    wanted = build_definition(reconciler, colony, executor_type)
    kind = reconciler.kind
    validate = model_validator(reconciler.spec_model)
    for attempt in (1, 2):  # a second pass after losing a race with another replica
        plan = await _plan(client, colony, wanted, validate)
        if plan.current is None and owner_client is None:
            raise ConfigurationError(
                f"no BlueprintDefinition for kind {kind!r} in colony {colony!r}; "
                "create one or set COLONIES_COLONY_PRVKEY so the runtime registers it"
            )
        if plan.current is not None and (problems := mismatches(plan.current, wanted)):
            raise ConfigurationError(
                f"the BlueprintDefinition {plan.current.metadata.name!r} for kind {kind!r} "
                f"does not match this reconciler ({', '.join(problems)})"
            )
        if plan.up_to_date:
            return
        if plan.blocked:
            raise ConfigurationError(_blocked_message(plan))
        if plan.current is not None and owner_client is None:
            log.warning(
                "the BlueprintDefinition of kind %s is older than the spec model (%s); it "
                "stays in use until the colony owner upgrades it: set COLONIES_COLONY_PRVKEY "
                "or run 'colonies-sdk definition upgrade %s'",
                kind,
                plan.describe_changes(),
                kind,
            )
            return
        assert owner_client is not None
        assert plan.addition is not None
        try:
            await apply_plan(owner_client, colony, plan)
        except ColoniesError as error:
            if attempt == 2:
                raise ConfigurationError(
                    f"could not register the blueprint definition: {error.message}"
                ) from None
            continue
        _log_upgrade(plan)
        return


async def _plan(
    client: AsyncColoniesClient, colony: str, wanted: BlueprintDefinition, validate: SpecCheck
) -> UpgradePlan:
    kind = wanted.spec.names.kind
    definitions = definitions_of_kind(await client.get_blueprint_definitions(colony), kind)
    plan = plan_upgrade(definitions, [], wanted, validate)
    if plan.up_to_date or plan.current is None:  # the usual start: no need to list blueprints
        return plan
    return plan_upgrade(definitions, await client.get_blueprints(colony, kind), wanted, validate)


async def apply_plan(owner: AsyncColoniesClient, colony: str, plan: UpgradePlan) -> None:
    """Send the plan: remove what it removes (possible only with no blueprints), then add."""
    for name in plan.removals:
        await owner.remove_blueprint_definition(colony, name)
    if plan.addition is not None:
        await owner.add_blueprint_definition(plan.addition)


def _log_upgrade(plan: UpgradePlan) -> None:
    assert plan.addition is not None
    name = plan.addition.metadata.name
    if plan.current is None:
        log.info("registered blueprint definition %s for kind %s", name, plan.kind)
        return
    log.info(
        "upgraded the blueprint definition of kind %s to %s: %s",
        plan.kind,
        name,
        plan.describe_changes(),
    )
    if not plan.compatible:
        log.warning(
            "incompatible schema change for kind %s, accepted because every stored blueprint "
            "still validates: %s",
            plan.kind,
            plan.describe_changes(),
        )


def _blocked_message(plan: UpgradePlan) -> str:
    return (
        f"the spec model of kind {plan.kind!r} changed incompatibly "
        f"({'; '.join(str(c) for c in plan.changes if not c.compatible)}) and "
        f"{len(plan.rejected)} stored blueprint(s) no longer validate: "
        f"{plan.describe_blockers()}. Change them to fit the new model "
        f"(colonies-sdk set / apply) or delete them, then start again; "
        f"'colonies-sdk definition diff {plan.kind} --reconciler MODULE:CLASS' shows the check"
    )
