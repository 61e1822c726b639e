"""A failing reconcile is logged with its exception's type and message, and its traceback
once per generation; an invalid spec is logged too, not only written to the status."""

from __future__ import annotations

import logging

import pytest

from colonies.runtime import PermanentError
from colonies.testing import ThrowawayColony
from colonies.testing.runner import ReconcilerRunner
from tests.runtime.lamps import LampBoard, Lamps


def _warnings(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [
        record
        for record in caplog.records
        if record.name == "colonies.runtime" and record.levelno == logging.WARNING
    ]


async def test_a_user_error_is_logged_with_type_message_and_one_traceback(
    colony: ThrowawayColony, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="colonies.runtime")
    board = LampBoard(failures={"desk": [ConnectionError("bus down")] * 6})
    async with ReconcilerRunner(Lamps(board), colony) as runner:
        await runner.set_spec("desk", {"power": True})
        await runner.wait_settled("desk")
        again = await runner.client.reconcile_blueprint(colony.name, "desk")
        await runner.wait_process(again.process_id)

    messages = [r.getMessage() for r in _warnings(caplog)]
    assert "attempt 1 failed (ConnectionError: bus down); retrying in 0.01s" in messages
    gave_up = [r for r in _warnings(caplog) if r.getMessage().startswith("giving up")]
    assert [r.getMessage() for r in gave_up] == [
        "giving up after 3 attempts: ConnectionError: bus down"
    ] * 2
    first, second = gave_up
    assert first.exc_info is not None
    assert first.exc_info[0] is ConnectionError
    assert "in apply" in caplog.text, "the traceback points into the reconciler"
    assert second.exc_info is None, "the same generation's traceback is logged once"


async def test_a_permanent_error_is_logged_with_its_type(
    colony: ThrowawayColony, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="colonies.runtime")
    board = LampBoard(failures={"desk": [PermanentError("model cannot dim")]})
    async with ReconcilerRunner(Lamps(board), colony) as runner:
        await runner.set_spec("desk", {"power": True})
        await runner.wait_settled("desk")

    failed = [r for r in _warnings(caplog) if "failed permanently" in r.getMessage()]
    assert [r.getMessage() for r in failed] == [
        "failed permanently: PermanentError: model cannot dim"
    ]
    assert failed[0].exc_info is not None


async def test_an_invalid_spec_is_logged(
    colony: ThrowawayColony, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="colonies.runtime")
    async with ReconcilerRunner(Lamps(), colony) as runner:
        await runner.set_spec("desk", {"power": True, "level": 999})
        await runner.wait_settled("desk")

    invalid = [r for r in _warnings(caplog) if r.getMessage().startswith("not reconciled:")]
    assert len(invalid) == 1
    assert "invalid spec: field 'level'" in invalid[0].getMessage()
    assert invalid[0].exc_info is None
