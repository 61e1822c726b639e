"""One level-based reconcile of one blueprint: read, validate, observe, diff, apply, record.

The trigger never carries state: the engine reads the blueprint as it is now, skips the
work when that generation was already handled (coalescing), retries device work on
temporary errors, and writes the status only when it changed, never over a newer result
(``status_record.py``).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from colonies.client import AsyncColoniesClient
from colonies.errors import NotFoundError
from colonies.models import Blueprint
from colonies.runtime import metrics as results
from colonies.runtime.diff import compute_diff
from colonies.runtime.event_queue import EventQueue
from colonies.runtime.failures import FailureLog, describe
from colonies.runtime.link import ServerLink
from colonies.runtime.logs import log_context
from colonies.runtime.metrics import RuntimeMetrics
from colonies.runtime.override import DriftJudge
from colonies.runtime.reconciler import Reconciler, call_user_code
from colonies.runtime.resource import Resource
from colonies.runtime.retry import is_retryable
from colonies.runtime.settled import Settled
from colonies.runtime.shard_entry import settled_version, version_of
from colonies.runtime.status import (
    Outcome,
    Phase,
    generation_observed,
    stored_phase,
)
from colonies.runtime.status_record import StatusRecorder
from colonies.runtime.triggers import BlueprintEvent, Requeued, shard_entry
from colonies.runtime.writers import WriterGuard

log = logging.getLogger("colonies.runtime")

IN_SYNC = "the device matches the spec"

T = TypeVar("T")


@dataclass(frozen=True)
class Report:
    """What a reconcile did, in the terms a process outcome needs.

    ``error`` set means the process fails with it; ``change_lines`` (one per change) follow
    the summary in the process's output; ``requeue_after`` is when the blueprint asked to
    be looked at again; ``coalesced`` says it closed without a look, as that generation was
    handled before (perhaps elsewhere); ``converged`` that device and status now match the
    version read; ``wrote`` that the status was written.
    """

    result: str
    summary: str
    error: str | None = None
    change_lines: tuple[str, ...] = ()
    requeue_after: float | None = None
    coalesced: bool = False
    converged: bool = False
    wrote: bool = False


def describe_validation_error(error: ValidationError) -> str:
    """``field 'brightness': Input should be less than or equal to 254; ...``"""
    parts = []
    for item in error.errors():
        location = ".".join(str(part) for part in item["loc"]) or "spec"
        parts.append(f"field '{location}': {item['msg']}")
    return "invalid spec: " + "; ".join(parts)


def as_status(model: type[BaseModel], value: object) -> BaseModel:
    """Accept a status model instance or a plain dict from a reconciler."""
    if isinstance(value, model):
        return value
    if isinstance(value, dict):
        return model.model_validate(value)
    raise TypeError(f"expected {model.__name__}, got {type(value).__name__}")


def next_look(resource: Resource[Any], outcome: Outcome, now: datetime) -> float | None:
    """Seconds until the blueprint should be reconciled again: the sooner of the
    reconciler's ``requeue_after`` and the end of a hold (``None``: no request)."""
    delays = [] if resource.requeue_requested is None else [resource.requeue_requested]
    if outcome.until is not None:
        delays.append(max((outcome.until - now).total_seconds(), 0.0))
    return min(delays, default=None)


class Engine:
    """Reconciles blueprints of one kind in one colony."""

    def __init__(
        self,
        reconciler: Reconciler[Any, Any],
        client: AsyncColoniesClient,
        colony: str,
        metrics: RuntimeMetrics,
        link: ServerLink,
        timeout: float,
        on_progress: Callable[[], None] = lambda: None,
        events: EventQueue | None = None,
        writers: WriterGuard | None = None,
    ) -> None:
        self.reconciler = reconciler
        self.client = client
        self.colony = colony
        self.metrics = metrics
        self.link = link
        self.timeout = timeout
        self.on_progress = on_progress
        self.events = events
        self.writers = writers
        self.settled = Settled()
        self.recorder = StatusRecorder(
            client, colony, link, metrics, self._read, writers, self.settled
        )
        self.drift = DriftJudge(type(reconciler), metrics)
        self.kind = type(reconciler).kind
        self.spec_model = type(reconciler).spec_model
        self.status_model = type(reconciler).status_model
        self.failures = FailureLog()

    async def reconcile(
        self,
        name: str,
        *,
        snapshot: Blueprint | None = None,
        coalesce: bool = True,
        cause: BlueprintEvent | None = None,
        anchor: datetime | None = None,
        listed_at: float | None = None,
    ) -> Report:
        """Reconcile blueprint ``name`` (``snapshot`` saves the read when it is fresh: it
        was listed at ``listed_at``); ``anchor`` is a server time the read is later than
        (``settled.py``).

        With ``coalesce`` a generation that was already handled successfully closes as a
        no-op without touching the device; resyncs and device events (``cause``) pass
        ``coalesce=False`` to catch drift.
        A generation that failed permanently (or has an invalid spec) is never retried:
        only a spec change (a new generation) or a forced reconcile starts over.
        """
        started = time.monotonic()
        self.on_progress()
        entry = shard_entry(cause)
        if entry is not None and (look := await self._first_look(name, entry, started)):
            return look
        read_at = listed_at if snapshot is not None else time.monotonic()
        blueprint = snapshot or await self._read(name)
        if blueprint is None or blueprint.kind != self.kind:
            report = Report(
                results.RESULT_NOOP, f"blueprint {name} no longer exists as {self.kind}"
            )
        elif entry is not None and version_of(blueprint) != settled_version(entry.document or {}):
            report = Report(
                results.RESULT_NOOP, "changed since it was listed; left to its triggers"
            )
        else:
            with log_context(generation=blueprint.metadata.generation):
                report = await self._reconcile(blueprint, coalesce, cause, started, read_at)
                self.settled.looked(
                    name,
                    version_of(blueprint),
                    anchor=anchor,
                    converged=report.converged,
                    wrote=report.wrote,
                )
        self.metrics.reconciled(report.result, time.monotonic() - started)
        if self.events is not None:
            current = blueprint if blueprint is not None and blueprint.kind == self.kind else None
            seen = None if current is None or report.coalesced else version_of(current)
            self.events.looked_at(name, report.requeue_after, exists=current is not None, seen=seen)
        return report

    async def _first_look(self, name: str, entry: Requeued, started: float) -> Report | None:
        """Observe a blueprint new to this replica's shard as it was listed, so the
        reconciler learns its device (``shard_entry.py``). The listed spec may be older than
        the blueprint by now, and another replica may be applying the newer one, so nothing
        is applied from the list. ``None`` when the device differs from the listed spec: the
        caller then reconciles it as a device event would be (its own report may have been
        taken for the answer to this look), from a fresh read, unless the blueprint changed
        since it was listed: then that change's trigger applies it."""
        seen = None
        try:
            blueprint = Blueprint.model_validate(entry.document)
            spec = self.spec_model.model_validate(blueprint.spec)
        except ValidationError:
            summary = "the listed blueprint is unreadable; left to its triggers"
        else:
            resource = Resource.from_blueprint(blueprint, spec)
            try:
                with log_context(generation=resource.generation):
                    observed = as_status(
                        self.status_model,
                        await self.device_work(
                            lambda: call_user_code(self.reconciler.observe, resource)
                        ),
                    )
            except Exception as error:
                self.failures.reconcile_failed(name, resource.generation, self.ending(error), error)
                summary = f"could not observe it on entering this shard: {describe(error)}"
            else:
                if compute_diff(spec, observed):
                    return None
                summary, seen = "observed on entering this replica's shard", version_of(blueprint)
        self.metrics.reconciled(results.RESULT_NOOP, time.monotonic() - started)
        if self.events is not None:
            self.events.looked_at(name, None, exists=True, seen=seen)
        return Report(results.RESULT_NOOP, summary)

    async def _read(self, name: str) -> Blueprint | None:
        try:
            return await self.link.persist(
                "get blueprint", lambda: self.client.get_blueprint(self.colony, name)
            )
        except NotFoundError:
            return None

    async def _reconcile(
        self,
        blueprint: Blueprint,
        coalesce: bool,
        cause: BlueprintEvent | None,
        started: float,
        read_at: float | None,
    ) -> Report:
        generation = blueprint.metadata.generation
        status = blueprint.status
        if generation_observed(status) == generation:
            phase = stored_phase(status)
            if coalesce and phase is Phase.CONVERGED:
                message = f"generation {generation} already reconciled"
                return Report(results.RESULT_NOOP, message, coalesced=True, converged=True)
            if phase is not None and phase.is_terminal:  # even a resync waits for a new spec
                error = str((status or {}).get("lastError") or phase.value)
                return Report(
                    results.RESULT_NOOP,
                    f"generation {generation} already failed",
                    error=f"generation {generation} already failed: {error}",
                )
        requeue = None
        try:
            spec = self.spec_model.model_validate(blueprint.spec)
        except ValidationError as invalid:
            self.metrics.error("invalid_spec")
            outcome = Outcome(Phase.INVALID_SPEC, generation, describe_validation_error(invalid))
            self.failures.invalid_spec(outcome.message)
        else:
            resource = Resource.from_blueprint(blueprint, spec)
            outcome = await self._converge(resource, cause, started)
            requeue = next_look(resource, outcome, datetime.now(UTC))
        if not outcome.phase.is_error:
            self.failures.forget(blueprint.metadata.name)
        wrote = await self.recorder.record(blueprint, outcome, read_at)
        converged = outcome.phase is Phase.CONVERGED
        report = self._report(outcome)
        return replace(report, requeue_after=requeue, converged=converged, wrote=wrote)

    async def _converge(
        self, resource: Resource[Any], cause: BlueprintEvent | None, started: float
    ) -> Outcome:
        """Observe, and apply when the device differs, retrying temporary errors; nothing
        while the device is unavailable."""
        away = self.events.away(resource.name) if self.events is not None else None
        if away is not None:
            message = f"the device is unavailable ({away}); nothing sent until it returns"
            return Outcome(Phase.UNAVAILABLE, resource.generation, message)
        try:
            return await self.device_work(lambda: self._observe_and_apply(resource, cause, started))
        except Exception as error:
            failed = self.ending(error)
            self.failures.reconcile_failed(resource.name, resource.generation, failed, error)
            phase = Phase.TEMPORARY_ERROR if is_retryable(error) else Phase.PERMANENT_ERROR
            return Outcome(phase, resource.generation, str(error) or type(error).__name__)

    async def device_work(self, work: Callable[[], Awaitable[T]]) -> T:
        """Run reconciler code under the reconciler's retry policy, each attempt bounded by
        the timeout; the final error is raised after it was counted (the caller logs it)."""
        policy = type(self.reconciler).retry

        def on_retry(attempt: int, error: BaseException, delay: float) -> None:
            self.metrics.retried()
            log.warning(
                "attempt %d failed (%s); retrying in %.2fs", attempt, describe(error), delay
            )

        async def attempt() -> T:
            deadline = asyncio.timeout(self.timeout)
            try:
                async with deadline:
                    return await work()
            except TimeoutError:
                if not deadline.expired():  # the device's own timeout keeps its message
                    self.metrics.error("temporary")
                    raise
                self.metrics.error("timeout")
                raise TimeoutError(f"timed out after {self.timeout:g}s") from None
            except Exception as error:
                self.metrics.error("temporary" if is_retryable(error) else "permanent")
                raise

        return await policy.run(attempt, on_retry)

    def ending(self, error: Exception) -> str:
        """How device work that raised ``error`` ended, for the log."""
        if is_retryable(error):
            return f"giving up after {type(self.reconciler).retry.attempts} attempts"
        return "failed permanently"

    async def cleanup(self, name: str) -> Report:
        """Let the reconciler forget a removed blueprint, unless it exists again by now."""
        started = time.monotonic()
        self.on_progress()
        self.settled.forget(name)
        current = await self._read(name)
        if current is not None and current.kind == self.kind:
            report = Report(results.RESULT_NOOP, f"blueprint {name} exists again; cleanup skipped")
        else:
            if self.events is not None:
                self.events.looked_at(name, None, exists=False)
            try:
                await self.device_work(lambda: call_user_code(self.reconciler.cleanup, name))
            except Exception as error:
                log.warning("cleanup %s: %s", self.ending(error), describe(error), exc_info=error)
                message = f"cleanup failed: {error}"
                result = results.RESULT_ERROR if is_retryable(error) else results.RESULT_TERMINAL
                report = Report(result, message, error=message)
            else:
                report = Report(results.RESULT_SUCCESS, f"cleaned up {name}")
        self.metrics.reconciled(report.result, time.monotonic() - started)
        return report

    async def _observe_and_apply(
        self, resource: Resource[Any], cause: BlueprintEvent | None, started: float
    ) -> Outcome:
        observed = as_status(
            self.status_model, await call_user_code(self.reconciler.observe, resource)
        )
        diff = compute_diff(resource.spec, observed)
        if not diff:
            return Outcome(Phase.CONVERGED, resource.generation, IN_SYNC, observed)
        self.metrics.drift()
        source = cause.source if cause is not None else "server"
        verdict = self.drift.judge(resource, observed, diff, source, datetime.now(UTC))
        if verdict.leave is not None:
            return verdict.leave
        log.info("applying %s", diff.summary())
        returned = await call_user_code(self.reconciler.apply, resource, diff)
        if returned is None:
            returned = await call_user_code(self.reconciler.observe, resource)
        after = as_status(self.status_model, returned)
        if verdict.drift:
            self.metrics.drift_corrected(time.monotonic() - (cause.received if cause else started))
        residual = compute_diff(resource.spec, after)
        if residual:
            message = f"applied; not yet reported by the device: {residual.summary()}"
            return Outcome(Phase.PENDING, resource.generation, message, after, diff, residual)
        return Outcome(Phase.CONVERGED, resource.generation, IN_SYNC, after, diff)

    def _report(self, outcome: Outcome) -> Report:
        phase = outcome.phase
        lines = tuple(f"changed {change}" for change in outcome.applied)
        if phase is Phase.CONVERGED and not outcome.applied:
            summary = f"generation {outcome.generation}: in sync, nothing to change"
        elif phase in (Phase.CONVERGED, Phase.PENDING):
            summary = f"generation {outcome.generation}: {outcome.applied.summary()}"
            if phase is Phase.PENDING:
                summary += f" ({outcome.message})"
        else:
            summary = f"generation {outcome.generation}: {phase.value}: {outcome.message}"
        if phase.is_terminal:
            result = results.RESULT_TERMINAL
        elif phase.is_error:
            result = results.RESULT_ERROR
        else:
            result = results.RESULT_SUCCESS
        return Report(
            result,
            summary,
            error=outcome.message if phase.is_error else None,
            change_lines=lines,
        )
