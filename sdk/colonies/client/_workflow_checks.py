"""Checks a workflow spec before it is sent, so a mistake is a clear local error.

Why: the real server needs a ``nodename`` in every function spec (a generator's or cron's
workflow without one fails silently, in the server log only), and a workflow refused for a
dependency naming no node still leaves an empty graph behind, which with two or more nodes
breaks listing the colony's graphs until they are all removed (protocol 12).
"""

from __future__ import annotations

from typing import TypeVar

from colonies.models import CronSpec, GeneratorSpec, WorkflowSpec

__all__ = ["sendable_schedule", "sendable_workflow"]

S = TypeVar("S", CronSpec, GeneratorSpec)


def sendable_workflow(spec: WorkflowSpec) -> WorkflowSpec:
    """``spec`` with each missing node name set to the function name; ``ValueError`` when
    two nodes share a name or a dependency names no node of the workflow."""
    functions = [
        f if f.node_name else f.model_copy(update={"node_name": f.func_name})
        for f in spec.function_specs
    ]
    names = [f.node_name for f in functions]
    for name in names:
        if not name:
            raise ValueError("a function spec of the workflow has neither node_name nor func_name")
        if names.count(name) > 1:
            raise ValueError(
                f"two function specs of the workflow are node {name!r}: give each its own "
                "node_name (it defaults to func_name)"
            )
    for function in functions:
        for dependency in function.conditions.dependencies:
            if dependency not in names:
                raise ValueError(
                    f"node {function.node_name!r} depends on {dependency!r}, which is no node "
                    f"of this workflow (its nodes: {', '.join(names)})"
                )
    return spec.model_copy(update={"function_specs": functions})


def sendable_schedule(spec: S) -> S:
    """A cron or generator spec whose workflow passed :func:`sendable_workflow`."""
    if spec.workflow_spec is None:
        return spec
    return spec.model_copy(update={"workflow_spec": sendable_workflow(spec.workflow_spec)})
