"""End to end: no log record the runtime emits, DEBUG included, carries a private key:
not while it works, fails and cleans up, and not when the server refuses its start-up."""

from __future__ import annotations

import dataclasses
import logging

import pytest

from colonies.crypto import PrivateKey
from colonies.runtime import ConfigurationError, Runtime, TemporaryError
from colonies.testing import ThrowawayColony
from colonies.testing.runner import ReconcilerRunner, runner_settings
from tests.runtime.lamps import LampBoard, Lamps


def leaked_keys(caplog: pytest.LogCaptureFixture, *keys: PrivateKey) -> int:
    """How many (record, key) pairs show the key's hex in the formatted line, its message
    arguments or its exception (counted, so a failure never prints the key)."""
    return sum(
        key.hex() in f"{caplog.handler.format(record)} {record.__dict__!r}"
        for record in caplog.records
        for key in keys
    )


async def test_a_working_runtime_never_logs_its_keys(
    colony: ThrowawayColony, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    board = LampBoard(failures={"desk": [TemporaryError("bus busy")]})
    async with ReconcilerRunner(Lamps(board), colony) as runner:
        assert runner.runtime.identity is not None
        executor_key = runner.runtime.identity.key  # made at start: it self-registers
        await runner.set_spec("desk", {"power": True})
        await runner.wait_converged("desk")
        await runner.resync()
        await runner.remove("desk")
    assert len(caplog.records) > 10, "the run was logged"
    assert leaked_keys(caplog, colony.owner_key, executor_key) == 0


@pytest.mark.parametrize(
    ("owner", "executor", "refusal"),
    [
        ("user", "fresh", "refused start-up"),  # a member's key where the owner's belongs
        ("fresh", "fresh", "refused start-up"),  # a key the server does not know
        (None, "fresh", "not an approved executor"),  # an executor key nobody registered
    ],
)
async def test_a_refused_start_up_names_no_key(
    colony: ThrowawayColony,
    caplog: pytest.LogCaptureFixture,
    owner: str | None,
    executor: str,
    refusal: str,
) -> None:
    caplog.set_level(logging.DEBUG)
    keys = {"user": colony.user_key, "fresh": PrivateKey.generate()}
    owner_key = keys[owner] if owner is not None else None
    executor_key = PrivateKey.generate()
    settings = runner_settings(colony.target.config, colony.name, colony.owner_key)
    settings = dataclasses.replace(
        settings,
        identity=dataclasses.replace(
            settings.identity, colony_prvkey=owner_key, prvkey=executor_key
        ),
    )
    with pytest.raises(ConfigurationError, match=refusal) as refused:
        async with Runtime(Lamps(), settings):
            pass
    used = [key for key in (owner_key, executor_key) if key is not None]
    assert sum(key.hex() in str(refused.value) for key in used) == 0
    assert leaked_keys(caplog, *used) == 0
