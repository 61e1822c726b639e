"""The function specs and crons the server generates for blueprints (protocol 7.2, 7.5-7.7).

Every generated spec has the shape of the server's empty function spec (``args: []``,
``env: {}``, ``maxexectime: -1``, ``maxretries: -1``, ``maxwaittime: 0``, priority 0, raw
empty resource strings); submitting it normalises it like any submitted spec. Reconcile
processes are named ``<executorType>-<functionName>``, cleanup processes
``<executorType>-cleanup``, and the cron of a kind at a location ``reconcile-<Kind>-<loc>``.
"""

from __future__ import annotations

import math
import time
from typing import Any

from colonies.devserver import crons, processes
from colonies.devserver.blueprint_codec import go_marshal
from colonies.devserver.blueprint_documents import location_of
from colonies.devserver.errors import ApiError
from colonies.devserver.state import ServerState

__all__ = [
    "CLEANUP_FUNCTION",
    "Handler",
    "blueprint_kwargs",
    "cleanup_spec",
    "cron_name",
    "ensure_reconcile_cron",
    "reconcile_cron",
    "reconcile_spec",
    "resolve_initiator",
    "retire_reconcile_cron",
    "submit_cleanup",
    "submit_reconcile",
]

CLEANUP_FUNCTION = "cleanup"
Handler = tuple[str, str]  # a definition handler's (executorType, functionName)


def _function_spec(
    *,
    colony: str,
    executor_type: str,
    location: str,
    node_name: str,
    func_name: str,
    kwargs: dict[str, Any],
) -> dict[str, Any]:
    """Go's empty FunctionSpec with the given routing; ``locationname`` omitted when empty."""
    conditions: dict[str, Any] = {
        "colonyname": colony,
        "executornames": None,
        "executortype": executor_type,
    }
    if location:
        conditions["locationname"] = location
    conditions.update(
        dependencies=None,
        nodes=0,
        cpu="",
        processes=0,
        processespernode=0,
        mem="",
        storage="",
        gpu={"name": "", "mem": "", "count": 0, "nodecount": 0},
        walltime=0,
    )
    return {
        "nodename": node_name,
        "funcname": func_name,
        "args": [],
        "kwargs": {key: kwargs[key] for key in sorted(kwargs)},
        "priority": 0,
        "maxwaittime": 0,
        "maxexectime": -1,
        "maxretries": -1,
        "conditions": conditions,
        "label": "",
        "fs": {"mount": "", "snapshots": None, "dirs": None},
        "env": {},
    }


def reconcile_spec(
    *, colony: str, location: str, handler: Handler, kwargs: dict[str, Any]
) -> dict[str, Any]:
    """A reconcile function: targeted (kwargs of :func:`blueprint_kwargs`) on add, on a
    generation-bumping update and on ``reconcileblueprintmsg``, or ``{kind}`` in a cron."""
    executor_type, function_name = handler
    return _function_spec(
        colony=colony,
        executor_type=executor_type,
        location=location,
        node_name=f"{executor_type}-{function_name}",
        func_name=function_name,
        kwargs=kwargs,
    )


def cleanup_spec(
    *, colony: str, location: str, executor_type: str, kwargs: dict[str, Any]
) -> dict[str, Any]:
    """The function submitted when a blueprint is removed: always ``funcname: cleanup``."""
    return _function_spec(
        colony=colony,
        executor_type=executor_type,
        location=location,
        node_name=f"{executor_type}-{CLEANUP_FUNCTION}",
        func_name=CLEANUP_FUNCTION,
        kwargs=kwargs,
    )


def blueprint_kwargs(blueprint: dict[str, Any], *, force: bool = False) -> dict[str, Any]:
    """``{"blueprintName", "kind"}`` naming one blueprint, plus ``force: true`` when forced."""
    kwargs: dict[str, Any] = {"blueprintName": blueprint["metadata"]["name"]}
    if force:
        kwargs["force"] = True
    kwargs["kind"] = blueprint["kind"]
    return kwargs


def cron_name(kind: str, location: str) -> str:
    """``reconcile-<Kind>`` or ``reconcile-<Kind>-<location>``, the location verbatim."""
    return f"reconcile-{kind}-{location}" if location else f"reconcile-{kind}"


def reconcile_cron(
    *, colony: str, kind: str, location: str, handler: Handler, interval: int
) -> dict[str, Any]:
    """The ``addcronmsg``-shaped cron created with a kind's first blueprint at a location."""
    function = reconcile_spec(
        colony=colony, location=location, handler=handler, kwargs={"kind": kind}
    )
    return {
        "name": cron_name(kind, location),
        "colonyname": colony,
        "interval": interval,
        "cronexpression": "",
        "random": False,
        "waitforprevprocessgraph": True,
        "workflowspec": go_marshal({"colonyname": colony, "functionspecs": [function]}),
    }


# -- side effects on the workload tables --


def resolve_initiator(state: ServerState, colony: str, signer_id: str) -> str | None:
    """The server's initiator lookup: an executor with this ID (in any colony), else a user
    of the colony; ``None`` when the signer is neither (e.g. the bare colony owner)."""
    executor = state.executor_by_id(signer_id)
    if executor is not None:
        return str(executor.get("executorname", ""))
    user = state.user_by_id(colony, signer_id)
    return None if user is None else str(user.get("name", ""))


def submit_reconcile(
    state: ServerState,
    blueprint: dict[str, Any],
    handler: Handler,
    *,
    initiator_id: str,
    initiator_name: str,
    force: bool = False,
) -> dict[str, Any]:
    """Submit the targeted reconcile process of ``blueprint`` (WAITING, no process graph)."""
    spec = reconcile_spec(
        colony=blueprint["metadata"]["colonyname"],
        location=location_of(blueprint),
        handler=handler,
        kwargs=blueprint_kwargs(blueprint, force=force),
    )
    return processes.submit_process(
        state, spec, initiator_id=initiator_id, initiator_name=initiator_name
    )


def submit_cleanup(
    state: ServerState,
    blueprint: dict[str, Any],
    executor_type: str,
    *,
    initiator_id: str,
    initiator_name: str,
) -> dict[str, Any]:
    """Submit the cleanup process of a removed blueprint (its spec is not passed on)."""
    spec = cleanup_spec(
        colony=blueprint["metadata"]["colonyname"],
        location=location_of(blueprint),
        executor_type=executor_type,
        kwargs=blueprint_kwargs(blueprint),
    )
    return processes.submit_process(
        state, spec, initiator_id=initiator_id, initiator_name=initiator_name
    )


def ensure_reconcile_cron(
    state: ServerState,
    blueprint: dict[str, Any],
    handler: Handler,
    *,
    initiator_id: str,
    initiator_name: str,
) -> None:
    """Create the cron of the blueprint's kind and location unless one of that name exists;
    its interval is ``settings.blueprint_cron_interval`` (the server's fixed 60 s)."""
    colony, kind, location = (
        blueprint["metadata"]["colonyname"],
        blueprint["kind"],
        location_of(blueprint),
    )
    name = cron_name(kind, location)
    births: dict[tuple[str, str], float] = state.runtime("reconcile_cron_births", dict)
    if crons.find_cron(state, colony, name) is not None:
        born = births.get((colony, name), -math.inf)
        if time.monotonic() - born < state.settings.first_add_race_window:
            raise ApiError(
                500,
                f"failed to create reconciliation cron: Cron with name <{name}> "
                f"in Colony <{colony}> already exists",
            )
        return
    births[(colony, name)] = time.monotonic()
    cron = reconcile_cron(
        colony=colony,
        kind=kind,
        location=location,
        handler=handler,
        interval=state.settings.blueprint_cron_interval,
    )
    crons.create_cron(state, cron, initiator_id=initiator_id, initiator_name=initiator_name)


def retire_reconcile_cron(state: ServerState, colony: str, kind: str, location: str) -> None:
    """Remove the cron of a kind at a location (the caller checks no blueprint needs it)."""
    cron = crons.find_cron(state, colony, cron_name(kind, location))
    if cron is not None:
        crons.delete_cron(state, cron["cronid"])
