"""Metrics names and exposition, structured logs, liveness deadlines and the probe server."""

from __future__ import annotations

import json
import logging

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from colonies.runtime import ConfigurationError
from colonies.runtime.health import HealthServer, Liveness, Probe
from colonies.runtime.logs import JsonFormatter, configure_logging, log_context
from colonies.runtime.metrics import RESULT_SUCCESS, RuntimeMetrics
from colonies.runtime.settings import HttpSettings, LogSettings


def test_metrics_follow_controller_runtime_names_and_parse() -> None:
    metrics = RuntimeMetrics("Lamp", max_concurrency=4)
    metrics.reconciled(RESULT_SUCCESS, 0.02)
    metrics.drift()
    metrics.status_written()
    families = {f.name: f for f in text_string_to_metric_families(metrics.exposition().decode())}
    for name in (
        "colonies_runtime_reconcile",
        "colonies_runtime_reconcile_errors",
        "colonies_runtime_reconcile_time_seconds",
        "colonies_runtime_active_workers",
        "colonies_runtime_max_concurrent_reconciles",
        "colonies_runtime_pending_processes",
        "colonies_runtime_drift_detected",
        "colonies_runtime_reconcile_retries",
        "colonies_runtime_heartbeats",
    ):
        assert name in families, name
    assert metrics.value("reconcile_total", result="success") == 1
    assert metrics.value("max_concurrent_reconciles") == 4
    assert metrics.value("status_writes_total") == 1
    assert metrics.value("reconcile_retries_total") == 0


def test_two_runtimes_do_not_share_counters() -> None:
    first, second = RuntimeMetrics("Lamp", 1), RuntimeMetrics("Lamp", 1)
    first.drift()
    assert second.value("drift_detected_total") == 0


def test_json_logs_carry_the_context_fields() -> None:
    record = logging.LogRecord(
        "colonies.runtime", logging.INFO, __file__, 1, "applied %s", ("x",), None
    )
    record.context = {"kind": "Lamp", "blueprint": "kitchen", "generation": 3}
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "applied x"
    assert line["blueprint"] == "kitchen"
    assert line["generation"] == 3
    assert line["level"] == "info"


def test_log_context_reaches_records(capsys: object) -> None:
    configure_logging(LogSettings(level="INFO", format="json"))
    try:
        with log_context(kind="Lamp", process_id="p1"), log_context(blueprint="b"):
            logging.getLogger("colonies.runtime").info("hello")
        logging.getLogger("colonies.runtime").info("outside")
        err = capsys.readouterr().err.strip().splitlines()  # type: ignore[attr-defined]
    finally:
        configure_logging(LogSettings(level="WARNING"))
    inside, outside = (json.loads(line) for line in err[-2:])
    assert (inside["kind"], inside["process_id"], inside["blueprint"]) == ("Lamp", "p1", "b")
    assert "blueprint" not in outside


def test_liveness_reports_missed_deadlines() -> None:
    now = [100.0]
    liveness = Liveness(clock=lambda: now[0])
    liveness.promise("worker-0", 5)
    liveness.promise("heartbeat", 1)
    assert liveness.stalled() == []
    now[0] = 102.0
    assert liveness.stalled() == ["heartbeat"]
    liveness.retire("heartbeat")
    assert liveness.stalled() == []


async def test_probe_server_answers_health_readiness_and_metrics() -> None:
    ready = [False]
    metrics = RuntimeMetrics("Lamp", 2)
    server = HealthServer(
        HttpSettings(port=0),
        live=lambda: Probe(True, {}),
        ready=lambda: Probe(ready[0], {"registered": ready[0]}),
        metrics=metrics,
    )
    await server.start()
    try:
        async with httpx.AsyncClient(base_url=server.url) as http:
            assert (await http.get("/healthz")).status_code == 200
            not_ready = await http.get("/readyz")
            assert not_ready.status_code == 503
            assert not_ready.json() == {"status": "failing", "registered": False}
            ready[0] = True
            assert (await http.get("/readyz")).status_code == 200
            exposition = await http.get("/metrics")
            assert exposition.status_code == 200
            assert "colonies_runtime_max_concurrent_reconciles" in exposition.text
    finally:
        await server.stop()


async def test_a_taken_port_is_a_clear_configuration_error() -> None:
    first = HealthServer(
        HttpSettings(port=0),
        lambda: Probe(True, {}),
        lambda: Probe(True, {}),
        RuntimeMetrics("L", 1),
    )
    await first.start()
    try:
        second = HealthServer(
            HttpSettings(port=first.port or 0),
            lambda: Probe(True, {}),
            lambda: Probe(True, {}),
            RuntimeMetrics("L", 1),
        )
        with pytest.raises(ConfigurationError, match="COLONIES_RECONCILER_HTTP_PORT"):
            await second.start()
    finally:
        await first.stop()


def test_every_rpc_is_counted_by_message_type_and_status() -> None:
    metrics = RuntimeMetrics("Lamp", 2)
    metrics.client_request("assignprocessmsg", 404, 1.0)
    metrics.client_request("assignprocessmsg", 200, 0.2)
    metrics.client_request("getblueprintmsg", 0, 0.0)
    assert metrics.value("client_requests_total", msgtype="assignprocessmsg", code="404") == 1
    assert metrics.value("client_requests_total", msgtype="assignprocessmsg", code="200") == 1
    assert metrics.value("client_requests_total", msgtype="getblueprintmsg", code="0") == 1
    assert metrics.value("client_request_duration_seconds_count", msgtype="assignprocessmsg") == 2
    assert metrics.value("client_request_duration_seconds_count", msgtype="getblueprintmsg") == 0
