"""Crons: validation like ``addcronmsg``, the cron RPCs and the firing tick (protocol 3.6).

A cron row (table ``crons``) is the server's Cron JSON; ``workflowspec`` is JSON *text*.
The tick runs every ``settings.cron_tick`` seconds: a new cron first only gets
``nextrun = now + interval`` (or the next cron-expression time), and fires once ``nextrun``
has passed, submitting a graph whose roots receive the previous graph's leaf outputs as
``in``. With ``waitforprevprocessgraph`` it fires only when the previous graph is SUCCESS
or FAILED (a CANCELLED one blocks it forever; a deleted one does not).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from colonies.devserver import auth
from colonies.devserver.call import Call
from colonies.devserver.cronexpr import CronExpressionError, parse_cron_expression
from colonies.devserver.errors import ApiError
from colonies.devserver.lookups import colonyname_of, member_row
from colonies.devserver.processes import FAILED, SUCCESS, get_process
from colonies.devserver.registry import periodic, rpc
from colonies.devserver.specs import SpecError, decode_workflow_spec_text, go_bool, go_int, go_str
from colonies.devserver.state import ServerState
from colonies.devserver.store import Row
from colonies.devserver.timefmt import ZERO_TIME, format_time, parse_time
from colonies.devserver.workflows import BAD_DEPENDENCY, get_graph, submit_workflow

__all__ = ["CRONS", "create_cron", "delete_cron", "find_cron", "run_cron"]

CRONS = "crons"  # key: cronid


def _check_dependencies(spec: dict[str, Any]) -> None:
    """The server's ``VerifyWorkflowSpec``: every dependency names a node of the spec."""
    specs = spec["functionspecs"] or []
    names = {s["nodename"] for s in specs}
    for function_spec in specs:
        for dependency in function_spec["conditions"]["dependencies"] or []:
            if dependency not in names:
                raise ApiError(400, BAD_DEPENDENCY)


def parse_workflow_text(text: str) -> dict[str, Any]:
    """A cron's or generator's ``workflowspec`` text, checked like the server does (400)."""
    try:
        spec = decode_workflow_spec_text(text)
    except ValueError as error:
        raise ApiError(400, str(error)) from None
    _check_dependencies(spec)
    return spec


def find_cron(state: ServerState, colony_name: str, name: str) -> Row | None:
    """The cron called ``name`` in ``colony_name``."""
    return next(
        (
            c
            for c in state.table(CRONS).values()
            if c["colonyname"] == colony_name and c["name"] == name
        ),
        None,
    )


def _cron_fields(cron: dict[str, Any]) -> dict[str, Any]:
    """The Cron struct's fields as Go decodes them (a wrong type is "invalid JSON")."""
    try:
        return {
            "colonyname": go_str(cron, "colonyname"),
            "name": go_str(cron, "name"),
            "cronexpression": go_str(cron, "cronexpression"),
            "interval": go_int(cron, "interval"),
            "random": go_bool(cron, "random"),
            "workflowspec": go_str(cron, "workflowspec"),
            "waitforprevprocessgraph": go_bool(cron, "waitforprevprocessgraph"),
        }
    except SpecError:
        raise ApiError(400, "Failed to add cron, invalid JSON") from None


def create_cron(
    state: ServerState, cron: dict[str, Any], *, initiator_id: str, initiator_name: str
) -> Row:
    """Validate ``cron`` like ``addcronmsg`` (after its permission check), store and return
    it. Raises :class:`ApiError` with the server's statuses and messages."""
    fields = _cron_fields(cron)
    parse_workflow_text(fields["workflowspec"])
    if fields["interval"] == 0:
        raise ApiError(400, "Cron interval must be -1 (disabled) or larger than 0")
    if fields["interval"] == -1:
        try:
            parse_cron_expression(fields["cronexpression"])
        except CronExpressionError as error:
            raise ApiError(400, str(error)) from None
        if fields["random"]:
            raise ApiError(400, "Random cron is only supported when specifying intervals")
    if find_cron(state, fields["colonyname"], fields["name"]) is not None:
        raise ApiError(
            400,
            'pq: duplicate key value violates unique constraint "prod_crons_colony_name_name_key"',
        )
    row: Row = {
        "cronid": state.new_id(),
        "initiatorid": initiator_id,
        "initiatorname": initiator_name,
        "colonyname": fields["colonyname"],
        "name": fields["name"],
        "cronexpression": fields["cronexpression"],
        "interval": fields["interval"],
        "random": fields["random"],
        "nextrun": ZERO_TIME,
        "lastrun": ZERO_TIME,
        "workflowspec": fields["workflowspec"],
        "prevprocessgraphid": "",
        "waitforprevprocessgraph": fields["waitforprevprocessgraph"],
        "checkerperiod": 0,
    }
    state.table(CRONS).put(row["cronid"], row)
    return row


def delete_cron(state: ServerState, cron_id: str) -> None:
    state.table(CRONS).delete(cron_id)


def next_run(cron: Row, now: datetime) -> datetime | None:
    """When ``cron`` should fire next, seen from ``now``; ``None`` if never. A ``random``
    interval cron picks a moment within the interval."""
    interval = int(cron["interval"])
    if interval > 0:
        offset = random.uniform(0, interval) if cron["random"] else interval
        return now + timedelta(seconds=offset)
    try:
        return parse_cron_expression(str(cron["cronexpression"])).next(now)
    except CronExpressionError:
        return None


def _leaf_outputs(state: ServerState, graph_id: str) -> list[Any]:
    """The ``out`` of the previous graph's leaves, which become the next roots' ``in``."""
    graph = get_graph(state, graph_id) if graph_id else None
    outputs: list[Any] = []
    for process_id in (graph or {}).get("processids") or []:
        process = get_process(state, process_id)
        if process is not None and not process["children"]:
            outputs.extend(process["out"])
    return outputs


def run_cron(state: ServerState, cron: Row) -> None:
    """Fire ``cron`` now: submit its workflow and move ``lastrun``/``nextrun`` on."""
    now = state.now()
    spec = decode_workflow_spec_text(str(cron["workflowspec"]))
    graph = submit_workflow(
        state,
        spec["colonyname"] or cron["colonyname"],
        spec["functionspecs"],
        initiator_id=cron["initiatorid"],
        initiator_name=cron["initiatorname"],
        root_input=_leaf_outputs(state, str(cron["prevprocessgraphid"])),
    )
    cron.update(
        nextrun=format_time(next_run(cron, now)),
        lastrun=format_time(now),
        prevprocessgraphid=graph["processgraphid"],
    )
    state.table(CRONS).put(cron["cronid"], cron)


def _previous_finished(state: ServerState, cron: Row) -> bool:
    """False while the previous graph exists and is neither SUCCESS nor FAILED."""
    graph = get_graph(state, str(cron["prevprocessgraphid"]))
    return graph is None or graph["state"] in (SUCCESS, FAILED)


@periodic("cron_tick")
def trigger_crons(state: ServerState) -> None:
    now = state.now()
    for cron in state.table(CRONS).values():
        due = parse_time(str(cron["nextrun"]))
        if due is None:  # first tick after creation: only schedule
            cron["nextrun"] = format_time(next_run(cron, now))
            state.table(CRONS).put(cron["cronid"], cron)
        elif due < now and (not cron["waitforprevprocessgraph"] or _previous_finished(state, cron)):
            try:
                run_cron(state, cron)
            except (ValueError, ApiError):
                cron["nextrun"] = format_time(next_run(cron, now))  # unusable spec: try later
                state.table(CRONS).put(cron["cronid"], cron)


# -- RPC handlers --


@rpc("addcronmsg", "Failed to add cron")
def add_cron(call: Call) -> Row:
    cron = call.obj("cron")
    if cron is None:
        raise ApiError(400, "Failed to add cron, msg.Cron is nil")
    colony = _cron_fields(cron)["colonyname"]
    auth.require_member(call, colony)
    return create_cron(
        call.state,
        cron,
        initiator_id=call.signer_id,
        initiator_name=auth.signer_name(call, colony),
    )


def _member_cron(call: Call, missing: ApiError) -> Row:
    return member_row(call, CRONS, "cronid", colonyname_of, missing)


@rpc("getcronmsg", "Failed to get cron")
def get_cron(call: Call) -> Row:
    cron = _member_cron(call, ApiError(500, "Failed to get cron, cron is nil"))
    # only this reply shows the checker period, in ms (protocol 12)
    return {**cron, "checkerperiod": round(call.state.settings.cron_tick * 1000)}


@rpc("getcronsmsg", "Failed to get crons")
def get_crons(call: Call) -> list[Row]:
    colony, count = call.str("colonyname"), call.int("count")
    auth.require_member(call, colony)
    crons = [c for c in call.state.table(CRONS).values() if c["colonyname"] == colony]
    return crons[: max(count, 0)]


@rpc("runcronmsg", "Failed to run cron")
def run_cron_rpc(call: Call) -> Row:
    cron = _member_cron(call, ApiError(400, "cron not found"))
    before = dict(cron)
    if not cron["waitforprevprocessgraph"] or _previous_finished(call.state, cron):
        run_cron(call.state, cron)
    return before


@rpc("removecronmsg", "Failed to remove cron")
def remove_cron(call: Call) -> None:
    cron = _member_cron(call, ApiError(500, "Failed to remove cron, cron is nil"))
    delete_cron(call.state, cron["cronid"])
