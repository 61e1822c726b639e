"""The handler modules of the dev server, imported at start. Add one line per module."""

from __future__ import annotations

HANDLER_MODULES: tuple[str, ...] = (
    "colonies.devserver.colonies",
    "colonies.devserver.users",
    "colonies.devserver.executors",
    "colonies.devserver.locations",
    "colonies.devserver.process_rpc",
    "colonies.devserver.assign",
    "colonies.devserver.timeouts",
    "colonies.devserver.workflows",
    "colonies.devserver.blueprint_definitions",
    "colonies.devserver.blueprints",
    "colonies.devserver.blueprint_reconcile",
    "colonies.devserver.crons",
    "colonies.devserver.generators",
    "colonies.devserver.logs",
    "colonies.devserver.functions",
    "colonies.devserver.attributes",
    "colonies.devserver.files",
    "colonies.devserver.channels",
    "colonies.devserver.subscriptions",
)
