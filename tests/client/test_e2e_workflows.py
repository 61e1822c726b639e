"""Workflows, crons and generators end to end (protocol 3.5-3.7)."""

from __future__ import annotations

import pytest

from colonies.client import ColoniesClient
from colonies.errors import ForbiddenError, InvalidRequestError, NotFoundError
from colonies.models import CronSpec, GeneratorSpec, ProcessState, WorkflowSpec
from colonies.testing import ThrowawayColony
from tests.client.conftest import echo_spec
from tests.helpers import eventually


def _two_steps(colony: ThrowawayColony) -> WorkflowSpec:
    first = echo_spec(colony, node_name="first")
    second = echo_spec(colony, node_name="second")
    second.conditions.dependencies = ["first"]
    return WorkflowSpec(colony_name=colony.name, function_specs=[first, second])


def test_workflow_runs_in_dependency_order_and_passes_outputs(
    colony: ThrowawayColony, user: ColoniesClient, executor: ColoniesClient
) -> None:
    graph = user.submit_workflow(_two_steps(colony))
    assert graph.process_graph_id
    stored = user.get_process_graph(graph.process_graph_id)
    assert len(stored.process_ids) == 2
    assert len(stored.root_process_ids) == 1
    assert stored.submission_time is not None
    processes = user.get_workflow_processes(graph.process_graph_id)
    by_node = {p.spec.node_name: p for p in processes}
    assert set(by_node) == {"first", "second"}
    assert by_node["second"].wait_for_parents
    assert by_node["second"].parents == [by_node["first"].process_id]
    first = executor.assign(colony.name, 5)
    assert first is not None
    assert first.spec.node_name == "first"
    executor.close_process(first.process_id, ["from-first"])
    second = executor.assign(colony.name, 5)
    assert second is not None
    assert second.spec.node_name == "second"
    assert second.input == ["from-first"]
    executor.close_process(second.process_id, ["done"])
    eventually(lambda: user.get_process_graph(graph.process_graph_id).state is ProcessState.SUCCESS)
    assert [
        g.process_graph_id for g in user.get_process_graphs(colony.name, ProcessState.SUCCESS)
    ] == [graph.process_graph_id]


def test_workflow_lists_cancel_and_remove(
    colony: ThrowawayColony, user: ColoniesClient, owner: ColoniesClient
) -> None:
    kept = user.submit_workflow(_two_steps(colony))
    cancelled = user.submit_workflow(_two_steps(colony))
    waiting = {g.process_graph_id for g in user.get_process_graphs(colony.name)}
    assert waiting == {kept.process_graph_id, cancelled.process_graph_id}
    user.cancel_process_graph(cancelled.process_graph_id)
    assert user.get_process_graph(cancelled.process_graph_id).state is ProcessState.CANCELLED
    every = {g.process_graph_id for g in user.get_process_graphs(colony.name, ProcessState.ALL)}
    assert every == waiting
    member = user.get_workflow_processes(kept.process_graph_id)[0]
    with pytest.raises(InvalidRequestError):
        user.remove_process(member.process_id)
    user.remove_process_graph(cancelled.process_graph_id)
    with pytest.raises(NotFoundError):
        user.get_process_graph(cancelled.process_graph_id)
    with pytest.raises(ForbiddenError):
        user.remove_all_process_graphs(colony.name)
    owner.remove_all_process_graphs(colony.name)
    assert user.get_process_graphs(colony.name, ProcessState.ALL) == []


def test_crons(colony: ThrowawayColony, user: ColoniesClient) -> None:
    workflow = WorkflowSpec(
        colony_name=colony.name, function_specs=[echo_spec(colony, node_name="tick")]
    )
    spec = CronSpec(name="hourly", colony_name=colony.name, interval=3600, workflow_spec=workflow)
    cron = user.add_cron(spec)
    assert cron.cron_id
    assert cron.initiator_name == colony.user_name
    assert cron.interval == 3600
    assert cron.workflow_spec is not None
    assert cron.workflow_spec.function_specs[0].node_name == "tick"
    assert user.get_cron(cron.cron_id).name == "hourly"
    assert [c.cron_id for c in user.get_crons(colony.name)] == [cron.cron_id]
    before = user.run_cron(cron.cron_id)
    assert before.cron_id == cron.cron_id
    graphs = eventually(lambda: user.get_process_graphs(colony.name))
    assert len(graphs) == 1
    with pytest.raises(InvalidRequestError):
        user.add_cron(spec.model_copy(update={"name": "never", "interval": 0}))
    user.remove_cron(cron.cron_id)
    with pytest.raises(NotFoundError):
        user.get_cron(cron.cron_id)
    assert user.get_crons(colony.name) == []


def test_cron_expressions(colony: ThrowawayColony, user: ColoniesClient) -> None:
    workflow = WorkflowSpec(colony_name=colony.name, function_specs=[echo_spec(colony)])
    spec = CronSpec(
        name="nightly",
        colony_name=colony.name,
        interval=-1,
        cron_expression="0 0 3 * * *",
        workflow_spec=workflow,
    )
    cron = user.add_cron(spec)
    assert cron.cron_expression == "0 0 3 * * *"
    with pytest.raises(InvalidRequestError, match="6 fields"):
        user.add_cron(spec.model_copy(update={"name": "bad", "cron_expression": "bogus"}))


def test_generators(colony: ThrowawayColony, user: ColoniesClient) -> None:
    workflow = WorkflowSpec(colony_name=colony.name, function_specs=[echo_spec(colony)])
    spec = GeneratorSpec(name="batcher", colony_name=colony.name, workflow_spec=workflow, trigger=2)
    generator = user.add_generator(spec)
    assert generator.generator_id
    assert generator.trigger == 2
    assert user.get_generator(generator.generator_id).name == "batcher"
    assert user.resolve_generator(colony.name, "batcher").generator_id == generator.generator_id
    assert [g.name for g in user.get_generators(colony.name)] == ["batcher"]
    user.pack_generator(generator.generator_id, "a1")
    user.pack_generator(generator.generator_id, "a2")
    waiting = eventually(lambda: user.get_processes(colony.name))
    assert [p.spec.args for p in waiting] == [["a1", "a2"]]
    user.remove_generator(generator.generator_id)
    assert user.get_generators(colony.name) == []


def test_a_function_spec_without_a_node_name_is_named_after_its_function(
    colony: ThrowawayColony, user: ColoniesClient
) -> None:
    workflow = WorkflowSpec(colony_name=colony.name, function_specs=[echo_spec(colony)])
    graph = user.submit_workflow(workflow)  # the server refuses a spec without a node name
    [process] = user.get_workflow_processes(graph.process_graph_id)
    assert process.spec.node_name == "echo"


@pytest.mark.parametrize(
    ("nodes", "message"),
    [
        ({"a": [], "b": ["ghost"]}, "node 'b' depends on 'ghost', which is no node"),
        ({"echo": [], "": []}, "two function specs of the workflow are node 'echo'"),
    ],
)
def test_a_workflow_the_server_would_half_store_is_refused_before_sending(
    colony: ThrowawayColony, user: ColoniesClient, nodes: dict[str, list[str]], message: str
) -> None:
    specs = [echo_spec(colony, node_name=name) for name in nodes]
    for spec, dependencies in zip(specs, nodes.values(), strict=True):
        spec.conditions.dependencies = dependencies
    workflow = WorkflowSpec(colony_name=colony.name, function_specs=specs)
    with pytest.raises(ValueError, match=message):
        user.submit_workflow(workflow)
    with pytest.raises(ValueError, match=message):
        user.add_generator(GeneratorSpec(name="g", colony_name=colony.name, workflow_spec=workflow))
    assert user.get_process_graphs(colony.name, ProcessState.ALL) == []
    assert user.get_generators(colony.name) == []
