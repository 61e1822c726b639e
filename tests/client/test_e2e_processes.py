"""The life of a process end to end: submit, assign, close, lists, logs, attributes."""

from __future__ import annotations

from dataclasses import replace

import pytest

from colonies.client import ColoniesClient
from colonies.errors import ForbiddenError, InvalidRequestError, NotFoundError, ServerError
from colonies.models import Attribute, AttributeType, ProcessState
from colonies.testing import ThrowawayColony
from tests.client.conftest import echo_spec


def test_submit_assign_close(
    colony: ThrowawayColony, user: ColoniesClient, executor: ColoniesClient
) -> None:
    submitted = user.submit(echo_spec(colony, kwargs={"text": "hi"}, args=[1]))
    assert submitted.state is ProcessState.WAITING
    assert submitted.spec.max_exec_time == -1
    assert submitted.spec.max_retries == -1
    assert submitted.initiator_name == colony.user_name
    assert submitted.submission_time is not None
    assert submitted.start_time is None
    assigned = executor.assign(colony.name, 5)
    assert assigned is not None
    assert assigned.process_id == submitted.process_id
    assert assigned.state is ProcessState.RUNNING
    assert assigned.assigned_executor_id == colony.executor_key.id
    assert assigned.spec.kwargs == {"text": "hi"}
    executor.close_process(assigned.process_id, ["done", {"n": 1}])
    closed = user.get_process(submitted.process_id)
    assert closed.state is ProcessState.SUCCESS
    assert closed.output == ["done", {"n": 1}]
    assert closed.end_time is not None
    assert submitted.process_id in {
        p.process_id for p in user.get_processes(colony.name, ProcessState.SUCCESS)
    }
    history = user.get_process_history(
        colony.name, colony.executor_key.id, 600, ProcessState.SUCCESS
    )
    assert [p.process_id for p in history] == [submitted.process_id]


def test_assign_returns_none_when_nothing_is_waiting(
    colony: ThrowawayColony, executor: ColoniesClient
) -> None:
    assert executor.assign(colony.name, -1) is None
    assert executor.assign(colony.name, 1) is None


def test_assign_long_poll_outlives_the_client_timeout(colony: ThrowawayColony) -> None:
    impatient = replace(colony.target.config, timeout=0.5)
    with ColoniesClient.from_config(impatient, key=colony.executor_key) as client:
        assert client.assign(colony.name, 2) is None


def test_fail_and_set_output(
    colony: ThrowawayColony, user: ColoniesClient, executor: ColoniesClient
) -> None:
    process = user.submit(echo_spec(colony))
    with pytest.raises(ForbiddenError):
        executor.fail_process(process.process_id, ["too early"])
    assert executor.assign(colony.name, 5) is not None
    executor.set_output(process.process_id, ["partial"])
    assert user.get_process(process.process_id).output == ["partial"]
    with pytest.raises(ForbiddenError):
        user.close_process(process.process_id, ["not mine"])
    executor.fail_process(process.process_id, ["broken"])
    failed = user.get_process(process.process_id)
    assert failed.state is ProcessState.FAILED
    assert failed.errors == ["broken"]
    with pytest.raises(InvalidRequestError):
        executor.close_process(process.process_id)


def test_lists_filter_by_state_and_type(
    colony: ThrowawayColony, user: ColoniesClient, executor: ColoniesClient
) -> None:
    first = user.submit(echo_spec(colony))
    second = user.submit_function_spec(echo_spec(colony))
    other = user.submit(echo_spec(colony).model_copy(update={"func_name": "other"}))
    waiting = user.get_processes(colony.name)
    assert {p.process_id for p in waiting} == {
        first.process_id,
        second.process_id,
        other.process_id,
    }
    assert len(user.get_processes(colony.name, count=1)) == 1
    assert user.get_processes(colony.name, executor_type="nobody") == []
    running = executor.assign(colony.name, 5)
    assert running is not None
    assert [p.process_id for p in user.get_processes(colony.name, ProcessState.RUNNING)] == [
        running.process_id
    ]
    everything = user.get_processes(colony.name, ProcessState.ALL)
    assert len(everything) == 3
    with pytest.raises(InvalidRequestError):
        user.get_processes(colony.name, count=101)


def test_cancel_and_remove(
    colony: ThrowawayColony, user: ColoniesClient, owner: ColoniesClient
) -> None:
    cancelled = user.submit(echo_spec(colony))
    user.cancel_process(cancelled.process_id)
    assert user.get_process(cancelled.process_id).state is ProcessState.CANCELLED
    with pytest.raises(InvalidRequestError):
        user.cancel_process(cancelled.process_id)
    user.remove_process(cancelled.process_id)
    with pytest.raises(NotFoundError):
        user.get_process(cancelled.process_id)
    with pytest.raises(NotFoundError):
        user.remove_process(cancelled.process_id)
    user.submit(echo_spec(colony))
    with pytest.raises(ForbiddenError):
        user.remove_all_processes(colony.name)
    owner.remove_all_processes(colony.name)
    assert user.get_processes(colony.name, ProcessState.ALL) == []


def test_pause_and_resume_assignments(
    colony: ThrowawayColony, user: ColoniesClient, owner: ColoniesClient, executor: ColoniesClient
) -> None:
    assert user.is_paused(colony.name) is False
    owner.pause_assignments(colony.name)
    assert user.is_paused(colony.name) is True
    user.submit(echo_spec(colony))
    with pytest.raises(ServerError) as paused:
        executor.assign(colony.name, -1)
    assert paused.value.status == 503
    owner.resume_assignments(colony.name)
    assert user.is_paused(colony.name) is False
    assert executor.assign(colony.name, 5) is not None


def test_attributes(
    colony: ThrowawayColony, user: ColoniesClient, executor: ColoniesClient
) -> None:
    process = user.submit(echo_spec(colony))
    assert executor.assign(colony.name, 5) is not None
    attribute = Attribute(
        target_id=process.process_id,
        target_colony_name=colony.name,
        attribute_type=AttributeType.OUT,
        key="progress",
        value="50",
    )
    added = executor.add_attribute(attribute)
    assert added.attribute_id
    assert (added.key, added.value, added.attribute_type) == ("progress", "50", AttributeType.OUT)
    assert user.get_attribute(added.attribute_id) == added
    assert [a.key for a in user.get_process(process.process_id).attributes] == ["progress"]
    with pytest.raises(ForbiddenError):
        user.add_attribute(attribute)


def test_logs(colony: ThrowawayColony, user: ColoniesClient, executor: ColoniesClient) -> None:
    process = user.submit(echo_spec(colony))
    with pytest.raises(ForbiddenError):
        executor.add_log(process.process_id, "not running yet")
    assert executor.assign(colony.name, 5) is not None
    executor.add_log(process.process_id, "hello log 1\n")
    executor.add_log(process.process_id, "needle in the log\n")
    with pytest.raises(ForbiddenError):
        user.add_log(process.process_id, "not the executor")
    logs = user.get_logs(colony.name, process_id=process.process_id)
    assert [log.message for log in logs] == ["hello log 1\n", "needle in the log\n"]
    assert logs[0].executor_name == colony.executor_name
    by_executor = user.get_logs(colony.name, executor_name=colony.executor_name)
    assert [log.message for log in by_executor] == [log.message for log in logs]
    newer = user.get_logs(colony.name, process_id=process.process_id, since=logs[0].timestamp)
    assert [log.message for log in newer] == ["needle in the log\n"]
    latest = user.get_logs(colony.name, process_id=process.process_id, count=1, latest=True)
    assert [log.message for log in latest] == ["needle in the log\n"]
    found = user.search_logs(colony.name, "needle")
    assert [log.message for log in found] == ["needle in the log\n"]
    assert user.search_logs(colony.name, "absent-text") == []
