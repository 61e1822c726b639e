"""The BlueprintDefinition that routes a kind's reconcile processes to this runtime.

With the owner key the runtime registers it (handler executorType/functionName
``reconcile``, schema generated from the spec model); without, it checks that one exists.
Either way an existing definition must match, because a mismatched handler silently sends
the work elsewhere and a mismatched schema rejects valid specs: both fail start-up loudly.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from colonies.client import AsyncColoniesClient
from colonies.errors import ColoniesError
from colonies.models import BlueprintDefinition
from colonies.runtime.errors import ConfigurationError
from colonies.runtime.reconciler import Reconciler
from colonies.runtime.schema import blueprint_schema
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
            "metadata": {"name": reconciler.resolved_definition_name(), "colonyname": colony},
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


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def mismatches(existing: BlueprintDefinition, wanted: BlueprintDefinition) -> list[str]:
    """Human-readable differences that would break this runtime; empty when compatible.

    A definition without a schema is compatible (the server then validates nothing and the
    runtime's own validation still applies).
    """
    problems = []
    have = existing.spec.handler
    want = wanted.spec.handler
    assert want is not None
    if have is None or have.executor_type != want.executor_type:
        problems.append(
            f"handler executorType is {have.executor_type if have else None!r}, "
            f"expected {want.executor_type!r}"
        )
    if have is None or have.function_name != want.function_name:
        problems.append(
            f"handler functionName is {have.function_name if have else None!r}, "
            f"expected {want.function_name!r}"
        )
    if existing.spec.schema_ is not None and _canonical(existing.spec.schema_) != _canonical(
        wanted.spec.schema_
    ):
        problems.append(
            f"schema differs from the spec model: stored {_canonical(existing.spec.schema_)}, "
            f"generated {_canonical(wanted.spec.schema_)}"
        )
    return problems


async def ensure_definition(
    client: AsyncColoniesClient,
    colony: str,
    reconciler: type[Reconciler[Any, Any]],
    executor_type: str,
    owner_client: AsyncColoniesClient | None,
) -> None:
    """Make sure a matching definition for the reconciler's kind exists in ``colony``."""
    wanted = build_definition(reconciler, colony, executor_type)
    existing = await _find(client, colony, reconciler.kind)
    if not existing and owner_client is not None:
        try:
            await owner_client.add_blueprint_definition(wanted)
            log.info("registered blueprint definition for kind %s", reconciler.kind)
            return
        except ColoniesError as error:  # another replica may have won the race
            existing = await _find(client, colony, reconciler.kind)
            if not existing:
                raise ConfigurationError(
                    f"could not register the blueprint definition: {error.message}"
                ) from None
    if not existing:
        raise ConfigurationError(
            f"no BlueprintDefinition for kind {reconciler.kind!r} in colony {colony!r}; "
            "create one or set COLONIES_COLONY_PRVKEY so the runtime registers it"
        )
    reports = [mismatches(definition, wanted) for definition in existing]
    if not any(not problems for problems in reports):
        details = "; ".join(
            f"{definition.metadata.name}: {', '.join(problems)}"
            for definition, problems in zip(existing, reports, strict=True)
        )
        raise ConfigurationError(
            f"the BlueprintDefinition for kind {reconciler.kind!r} does not match this "
            f"reconciler ({details})"
        )
    for definition in existing:
        if definition.spec.schema_ is None:
            log.warning(
                "definition %s has no schema: the server accepts any spec",
                definition.metadata.name,
            )


async def _find(client: AsyncColoniesClient, colony: str, kind: str) -> list[BlueprintDefinition]:
    definitions = await client.get_blueprint_definitions(colony)
    return [d for d in definitions if d.spec.names.kind == kind]
