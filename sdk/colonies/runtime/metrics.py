"""Every Prometheus metric the runtime exports, in one place.

Names follow controller-runtime (``controller_runtime_reconcile_total`` ->
``colonies_runtime_reconcile_total``), labelled by blueprint ``kind`` where
controller-runtime uses ``controller``. Each runtime owns its registry, so several runtimes
in one process (tests, replicas) never share counters.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

PREFIX = "colonies_runtime"
CONTENT_TYPE = CONTENT_TYPE_LATEST

RESULT_SUCCESS = "success"
"""Reconciled: the device matches (or was made to match) the spec."""
RESULT_NOOP = "noop"
"""Coalesced: the generation was already handled, nothing was observed."""
RESULT_ERROR = "error"
"""Temporary error after all retries: the next trigger or resync tries again."""
RESULT_TERMINAL = "terminal_error"
"""Permanent error or invalid spec: nothing is tried until the spec changes."""

_DURATION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)


class RuntimeMetrics:
    """The runtime's counters, gauges and histograms, bound to one ``kind``."""

    def __init__(self, kind: str, max_concurrency: int) -> None:
        self.kind = kind
        self.registry = CollectorRegistry(auto_describe=True)

        def counter(name: str, doc: str, *labels: str) -> Counter:
            return Counter(f"{PREFIX}_{name}", doc, ["kind", *labels], registry=self.registry)

        def gauge(name: str, doc: str) -> Gauge:
            return Gauge(f"{PREFIX}_{name}", doc, ["kind"], registry=self.registry)

        def histogram(name: str, doc: str, *labels: str) -> Histogram:
            return Histogram(
                f"{PREFIX}_{name}",
                doc,
                ["kind", *labels],
                buckets=_DURATION_BUCKETS,
                registry=self.registry,
            )

        self._reconcile_total = counter(
            "reconcile_total",
            "Reconciles per kind and result (success, noop, error, terminal_error)",
            "result",
        )
        self._errors_total = counter(
            "reconcile_errors_total",
            "Failed reconcile attempts per kind and error type "
            "(temporary, timeout, permanent, invalid_spec)",
            "error",
        )
        self._retries_total = counter("reconcile_retries_total", "Retries after temporary errors")
        self._time = histogram(
            "reconcile_time_seconds", "Time per reconcile, from trigger to status written"
        )
        self._drift_total = counter(
            "drift_detected_total", "Observations where the device differed from the spec"
        )
        self._status_writes_total = counter(
            "status_writes_total", "Blueprint status updates written"
        )
        self._processes_total = counter(
            "processes_total",
            "Processes handled per kind and trigger (targeted, resync, cleanup, unsupported)",
            "trigger",
        )
        self._catch_ups_total = counter(
            "catch_ups_total", "Catch-ups of every changed blueprint after a queue backlog"
        )
        self._heartbeats_total = counter(
            "heartbeats_total", "Keep-alive assign calls made because every worker was busy"
        )
        self._server_errors_total = counter(
            "server_connection_errors_total", "Calls that could not reach the ColonyOS server"
        )
        self._client_requests_total = counter(
            "client_requests_total",
            "RPCs sent to the ColonyOS server per message type and HTTP status "
            "(code 0: the server could not be reached)",
            "msgtype",
            "code",
        )
        self._client_request_time = histogram(
            "client_request_duration_seconds",
            "Round-trip time of RPCs to the ColonyOS server per message type",
            "msgtype",
        )
        self._device_events_total = counter(
            "device_events_total",
            "Device events and look-again timers per source and event "
            "(changed, available, unavailable, reconnected, requeue, poll, shard)",
            "source",
            "event",
        )
        self._events_coalesced_total = counter(
            "device_events_coalesced_total",
            "Device events merged into a reconcile already waiting for the same blueprint",
        )
        self._drift_events_total = counter(
            "drift_events_total",
            "Changes the runtime did not make, per source of the reconcile that found them",
            "source",
        )
        self._drift_correction = histogram(
            "drift_correction_seconds",
            "From the event that reported a drift to the command that corrected it",
        )
        self._drift_held_total = counter(
            "drift_held_total", "Manual changes left alone under the hold policy"
        )
        self._drift_adopted_total = counter(
            "drift_adopted_total", "Manual changes adopted under the adopt policy"
        )
        self._active_workers = gauge("active_workers", "Workers currently reconciling")
        self._max_concurrent = gauge("max_concurrent_reconciles", "Configured worker count")
        self._pending = gauge(
            "pending_processes",
            "Assigned processes waiting for a busy blueprint or a free worker",
        )
        self._max_concurrent.labels(kind).set(max_concurrency)
        self._active_workers.labels(kind).set(0)
        self._pending.labels(kind).set(0)

    # -- recording ---------------------------------------------------------------------

    def reconciled(self, result: str, seconds: float) -> None:
        self._reconcile_total.labels(self.kind, result).inc()
        self._time.labels(self.kind).observe(seconds)

    def error(self, error_type: str) -> None:
        self._errors_total.labels(self.kind, error_type).inc()

    def retried(self) -> None:
        self._retries_total.labels(self.kind).inc()

    def drift(self) -> None:
        self._drift_total.labels(self.kind).inc()

    def status_written(self) -> None:
        self._status_writes_total.labels(self.kind).inc()

    def process(self, trigger: str) -> None:
        self._processes_total.labels(self.kind, trigger).inc()

    def caught_up(self) -> None:
        self._catch_ups_total.labels(self.kind).inc()

    def heartbeat(self) -> None:
        self._heartbeats_total.labels(self.kind).inc()

    def server_unreachable(self) -> None:
        self._server_errors_total.labels(self.kind).inc()

    def device_event(self, source: str, event: str) -> None:
        self._device_events_total.labels(self.kind, source, event).inc()

    def event_coalesced(self) -> None:
        self._events_coalesced_total.labels(self.kind).inc()

    def drift_found(self, source: str) -> None:
        self._drift_events_total.labels(self.kind, source).inc()

    def drift_corrected(self, seconds: float) -> None:
        self._drift_correction.labels(self.kind).observe(seconds)

    def drift_held(self) -> None:
        self._drift_held_total.labels(self.kind).inc()

    def drift_adopted(self) -> None:
        self._drift_adopted_total.labels(self.kind).inc()

    def client_request(self, msgtype: str, status: int, seconds: float) -> None:
        """The client's request observer: one call per RPC reply."""
        self._client_requests_total.labels(self.kind, msgtype, str(status)).inc()
        if status:
            self._client_request_time.labels(self.kind, msgtype).observe(seconds)

    def set_active_workers(self, count: int) -> None:
        self._active_workers.labels(self.kind).set(count)

    def set_pending(self, count: int) -> None:
        self._pending.labels(self.kind).set(count)

    # -- reading -----------------------------------------------------------------------

    def value(self, name: str, **labels: str) -> float:
        """Current value of a sample (``name`` without the prefix), 0 when never recorded.

        For tests and the testing kit: ``metrics.value("status_writes_total")``.
        """
        sample = self.registry.get_sample_value(f"{PREFIX}_{name}", {"kind": self.kind, **labels})
        return sample or 0.0

    def exposition(self) -> bytes:
        """The Prometheus text format of every metric."""
        return generate_latest(self.registry)
