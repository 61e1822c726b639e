"""Generators: queue ``packgeneratormsg`` arguments and submit a workflow per batch
(protocol 3.7).

Once ``trigger`` arguments are queued, one workflow is submitted per ``trigger`` of them,
its root processes getting the batch as ``spec.args``. With ``timeout > 0``, a smaller
batch is also submitted once ``timeout`` seconds passed since the last run (or the first
pack). Batches are cut right after a pack; the timeout path runs on the generator tick.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from colonies.devserver import auth
from colonies.devserver.call import Call
from colonies.devserver.crons import parse_workflow_text
from colonies.devserver.errors import ApiError
from colonies.devserver.lookups import colonyname_of, member_row
from colonies.devserver.registry import null_if_empty, periodic, rpc
from colonies.devserver.specs import decode_workflow_spec_text
from colonies.devserver.state import ServerState
from colonies.devserver.store import Row
from colonies.devserver.timefmt import ZERO_TIME, format_time, parse_time
from colonies.devserver.workflows import submit_workflow

__all__ = ["GENERATORS", "batches_due"]

GENERATORS = "generators"  # key: generatorid
QUEUES = "generatorqueues"  # key: generatorid; row {"args": [...]}
log = logging.getLogger("colonies.devserver")


def batches_due(generator: Row, queued: int, now: datetime) -> list[int]:
    """Sizes of the batches to submit now: whole ``trigger`` batches, or with a passed
    ``timeout`` everything queued (a pure function of the generator's fields)."""
    trigger, timeout = int(generator["trigger"]), int(generator["timeout"])
    if trigger > 0 and queued >= trigger:
        return [trigger] * (queued // trigger)
    since = parse_time(str(generator["lastrun"])) or parse_time(str(generator["firstpack"]))
    if queued < 1 or timeout <= 0 or since is None:
        return []
    expired = int(now.timestamp()) > int((since + timedelta(seconds=timeout)).timestamp())
    return [queued] if expired else []


def _queue(state: ServerState, generator_id: str) -> list[Any]:
    row = state.table(QUEUES).get(generator_id)
    return list(row["args"]) if row else []


def _submit_due(state: ServerState, generator: Row) -> None:
    now = state.now()
    queue = _queue(state, generator["generatorid"])
    batches = batches_due(generator, len(queue), now)
    if not batches:
        return
    spec = decode_workflow_spec_text(str(generator["workflowspec"]))
    for size in batches:
        batch, queue = queue[:size], queue[size:]
        submit_workflow(
            state,
            spec["colonyname"] or generator["colonyname"],
            spec["functionspecs"],
            initiator_id=generator["initiatorid"],
            initiator_name=generator["initiatorname"],
            root_args=batch,
        )
    state.table(QUEUES).put(generator["generatorid"], {"args": queue})
    generator["lastrun"] = format_time(now)
    state.table(GENERATORS).put(generator["generatorid"], generator)


def _submit_or_log(state: ServerState, generator: Row) -> None:
    """Submit what is due; an unusable workflow spec is only logged, as the real server
    does (the packed args stay queued and are tried again on the next tick)."""
    try:
        _submit_due(state, generator)
    except (ValueError, ApiError) as error:
        log.warning("generator %s: its workflow was refused: %s", generator["name"], error)


@periodic("generator_tick")
def trigger_generators(state: ServerState) -> None:
    for generator in state.table(GENERATORS).values():
        _submit_or_log(state, generator)


def _view(state: ServerState, generator: Row) -> Row:
    return {**generator, "queuesize": len(_queue(state, generator["generatorid"]))}


@rpc("addgeneratormsg", "Failed to add generator")
def add_generator(call: Call) -> Row:
    if call.obj("generator") is None:
        raise ApiError(400, "Failed to add generator, msg.Generator is nil")
    fields = call.fields("generator")
    colony, name = fields.str("colonyname"), fields.str("name")
    workflow_text = fields.str("workflowspec")
    trigger, timeout = fields.int("trigger"), fields.int("timeout")
    auth.require_member(call, colony)
    parse_workflow_text(workflow_text)
    initiator = auth.signer_name(call, colony)
    if not initiator:
        raise ApiError(500, "Failed to resolve initiator")
    row: Row = {
        "generatorid": call.state.new_id(),
        "initiatorid": call.signer_id,
        "initiatorname": initiator,
        "colonyname": colony,
        "name": name,
        "workflowspec": workflow_text,
        "trigger": trigger,
        "timeout": timeout,
        "firstpack": ZERO_TIME,
        "lastrun": ZERO_TIME,
        "queuesize": 0,
        "checkerperiod": 0,
    }
    call.state.table(GENERATORS).put(row["generatorid"], row)
    return row


def _member_generator(call: Call, failure: str) -> Row:
    missing = ApiError(500, f"{failure}, generator is nil")
    return member_row(call, GENERATORS, "generatorid", colonyname_of, missing)


@rpc("getgeneratormsg", "Failed to get generator")
def get_generator(call: Call) -> Row:
    generator = _view(call.state, _member_generator(call, "Failed to get generator"))
    # only this reply shows the checker period, in ms (protocol 12)
    return {**generator, "checkerperiod": round(call.state.settings.generator_tick * 1000)}


@rpc("resolvegeneratormsg", "Failed to resolve generator")
def resolve_generator(call: Call) -> Row:
    colony, name = call.str("colonyname"), call.str("generatorname")
    generator = next(
        (
            g
            for g in call.state.table(GENERATORS).values()
            if g["colonyname"] == colony and g["name"] == name
        ),
        None,
    )
    if generator is None:
        raise ApiError(500, "Failed to resolve generator, generator is nil")
    auth.require_member(call, colony)
    return _view(call.state, generator)


@rpc("getgeneratorsmsg", "Failed to get generators")
def get_generators(call: Call) -> Any:
    colony, count = call.str("colonyname"), call.int("count")
    auth.require_member(call, colony)
    found = [
        _view(call.state, g)
        for g in call.state.table(GENERATORS).values()
        if g["colonyname"] == colony
    ]
    return null_if_empty(found[: max(count, 0)])


@rpc("packgeneratormsg", "Failed to increment generator")
def pack_generator(call: Call) -> None:
    arg = call.str("arg")
    generator = _member_generator(call, "Failed to increment generator")
    state = call.state
    queue = _queue(state, generator["generatorid"])
    state.table(QUEUES).put(generator["generatorid"], {"args": [*queue, arg]})
    if parse_time(str(generator["firstpack"])) is None:
        generator["firstpack"] = format_time(state.now())
        state.table(GENERATORS).put(generator["generatorid"], generator)
    _submit_or_log(state, generator)


@rpc("removegeneratormsg", "Failed to remove generator")
def remove_generator(call: Call) -> None:
    generator = _member_generator(call, "Failed to remove generator")
    call.state.table(GENERATORS).delete(generator["generatorid"])
    call.state.table(QUEUES).delete(generator["generatorid"])
