"""Workflows (process graphs), crons and generators (protocol 3.5-3.7)."""

from __future__ import annotations

from colonies.client._api_processes import get_process_call, listed_states
from colonies.client._call import Call, Flow, KeyArg, as_list, as_model, as_none
from colonies.client._operation import flow, operation
from colonies.client._workflow_checks import sendable_schedule, sendable_workflow
from colonies.models import (
    Cron,
    CronSpec,
    Generator,
    GeneratorSpec,
    Process,
    ProcessGraph,
    ProcessState,
    WorkflowSpec,
)

__all__ = ["WorkflowOperations"]


def _get_process_graph(graph_id: str, key: KeyArg) -> Call[ProcessGraph]:
    message = {"processgraphid": graph_id}
    return Call("getprocessgraphmsg", message, as_model(ProcessGraph), key=key, read=True)


class WorkflowOperations:
    """Submit and manage workflows, and schedule them with crons and generators."""

    @operation
    def submit_workflow(self, spec: WorkflowSpec, *, key: KeyArg = None) -> Call[ProcessGraph]:
        """Submit a workflow. A function spec without ``node_name`` is named after its
        function; duplicate node names and dependencies naming no node raise ``ValueError``
        before anything is sent. In this reply the server leaves ``submission_time`` unset
        and ``nodes``/``edges`` empty; :meth:`get_process_graph` returns the full graph."""
        message = {"spec": sendable_workflow(spec).to_wire()}
        return Call("submitworkflowspecmsg", message, as_model(ProcessGraph), key=key)

    @operation
    def get_process_graph(self, graph_id: str, *, key: KeyArg = None) -> Call[ProcessGraph]:
        """One process graph by ID."""
        return _get_process_graph(graph_id, key)

    @flow
    def get_process_graphs(
        self,
        colony: str,
        state: ProcessState = ProcessState.WAITING,
        count: int = 100,
        *,
        key: KeyArg = None,
    ) -> Flow[list[ProcessGraph]]:
        """Up to ``count`` graphs in ``state``; ``ProcessState.ALL`` lists every state
        (``count`` per state), which the server itself does not accept."""
        found: list[ProcessGraph] = []
        for one in listed_states(state):
            message = {"colonyname": colony, "state": int(one), "count": count}
            decode = as_list(ProcessGraph)
            found += yield Call("getprocessgraphsmsg", message, decode, key=key, read=True)
        return found

    @flow
    def get_workflow_processes(self, graph_id: str, *, key: KeyArg = None) -> Flow[list[Process]]:
        """The processes of a workflow, in the graph's order. (The server ignores a graph
        filter on process lists, so this reads the graph and then each process.)"""
        graph: ProcessGraph = yield _get_process_graph(graph_id, key)
        processes: list[Process] = []
        for process_id in graph.process_ids:
            processes.append((yield get_process_call(process_id, key)))
        return processes

    @operation
    def remove_process_graph(self, graph_id: str, *, key: KeyArg = None) -> Call[None]:
        """Delete a graph that is not running, with its processes."""
        message = {"processgraphid": graph_id, "all": False}
        return Call("removeprocessgraphmsg", message, as_none, key=key)

    @operation
    def remove_all_process_graphs(
        self, colony: str, state: ProcessState = ProcessState.ALL, *, key: KeyArg = None
    ) -> Call[None]:
        """Delete a colony's graphs in ``state`` (default: all of them; the server's own
        default for a missing state is WAITING only). Colony owner only."""
        message = {"colonyname": colony, "state": int(state)}
        return Call("removeallprocessgraphsmsg", message, as_none, key=key)

    @operation
    def cancel_process_graph(self, graph_id: str, *, key: KeyArg = None) -> Call[None]:
        """Cancel a graph and its waiting or running processes."""
        message = {"processgraphid": graph_id}
        return Call("cancelprocessgraphmsg", message, as_none, key=key)

    @operation
    def add_cron(self, spec: CronSpec, *, key: KeyArg = None) -> Call[Cron]:
        """Create a cron that submits ``spec.workflow_spec`` on its schedule (checked as by
        :meth:`submit_workflow`)."""
        message = {"cron": sendable_schedule(spec).to_wire()}
        return Call("addcronmsg", message, as_model(Cron), key=key)

    @operation
    def get_cron(self, cron_id: str, *, key: KeyArg = None) -> Call[Cron]:
        """One cron by ID."""
        return Call("getcronmsg", {"cronid": cron_id}, as_model(Cron), key=key, read=True)

    @operation
    def get_crons(self, colony: str, count: int = 100, *, key: KeyArg = None) -> Call[list[Cron]]:
        """Up to ``count`` crons of a colony."""
        message = {"colonyname": colony, "count": count}
        return Call("getcronsmsg", message, as_list(Cron), key=key, read=True)

    @operation
    def run_cron(self, cron_id: str, *, key: KeyArg = None) -> Call[Cron]:
        """Fire a cron now; returns it as it was before the run. Silently skipped while a
        ``wait_for_prev_process_graph`` cron's previous graph is unfinished."""
        return Call("runcronmsg", {"cronid": cron_id}, as_model(Cron), key=key)

    @operation
    def remove_cron(self, cron_id: str, *, key: KeyArg = None) -> Call[None]:
        """Delete a cron."""
        return Call("removecronmsg", {"cronid": cron_id, "all": False}, as_none, key=key)

    @operation
    def add_generator(self, spec: GeneratorSpec, *, key: KeyArg = None) -> Call[Generator]:
        """Create a generator that submits its workflow once enough args are packed
        (checked as by :meth:`submit_workflow`)."""
        message = {"generator": sendable_schedule(spec).to_wire()}
        return Call("addgeneratormsg", message, as_model(Generator), key=key)

    @operation
    def get_generator(self, generator_id: str, *, key: KeyArg = None) -> Call[Generator]:
        """One generator by ID."""
        message = {"generatorid": generator_id}
        return Call("getgeneratormsg", message, as_model(Generator), key=key, read=True)

    @operation
    def get_generators(
        self, colony: str, count: int = 100, *, key: KeyArg = None
    ) -> Call[list[Generator]]:
        """Up to ``count`` generators of a colony."""
        message = {"colonyname": colony, "count": count}
        return Call("getgeneratorsmsg", message, as_list(Generator), key=key, read=True)

    @operation
    def resolve_generator(self, colony: str, name: str, *, key: KeyArg = None) -> Call[Generator]:
        """One generator by name."""
        message = {"colonyname": colony, "generatorname": name}
        return Call("resolvegeneratormsg", message, as_model(Generator), key=key, read=True)

    @operation
    def pack_generator(self, generator_id: str, arg: str, *, key: KeyArg = None) -> Call[None]:
        """Queue ``arg`` for a generator's next workflow."""
        message = {"generatorid": generator_id, "arg": arg}
        return Call("packgeneratormsg", message, as_none, key=key)

    @operation
    def remove_generator(self, generator_id: str, *, key: KeyArg = None) -> Call[None]:
        """Delete a generator."""
        message = {"generatorid": generator_id, "all": False}
        return Call("removegeneratormsg", message, as_none, key=key)
