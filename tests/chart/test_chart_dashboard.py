"""reconciler.dashboard.enabled: off by default; on, it turns on the runtime's /dashboard/ on
the port the Service already fronts, and NOTES.txt says how to reach it."""

from __future__ import annotations

from colonies.runtime import Settings
from tests.chart.helm import SCALED_OUT, SELF_REGISTRATION_TLS, Rendered, render, render_notes

ENABLED = "reconciler.dashboard.enabled=true"


def test_the_dashboard_is_off_by_default(default_chart: Rendered) -> None:
    assert "COLONIES_RECONCILER_DASHBOARD" not in default_chart.env
    assert Settings.from_env(default_chart.plain_env).http.dashboard is False


def test_enabling_it_sets_the_variable_the_runtime_reads() -> None:
    chart = render(set_values=[ENABLED])
    assert chart.env["COLONIES_RECONCILER_DASHBOARD"] == {
        "name": "COLONIES_RECONCILER_DASHBOARD",
        "value": "true",
    }
    assert Settings.from_env(chart.plain_env).http.dashboard is True


def test_a_ci_values_file_turns_it_on() -> None:
    assert Settings.from_env(render([SELF_REGISTRATION_TLS]).plain_env).http.dashboard is True


def test_the_service_fronts_the_port_the_runtime_serves_it_on() -> None:
    """No Service of its own: the metrics Service targets the runtime's HTTP port, whatever
    port the Service itself listens on."""
    for chart in (render(set_values=[ENABLED]), render([SCALED_OUT], [ENABLED])):
        (service_port,) = chart.one("Service")["spec"]["ports"]
        (container_port,) = chart.container["ports"]
        assert service_port["targetPort"] == container_port["name"] == "http"
        http_port = Settings.from_env(chart.plain_env).http.port
        assert container_port["containerPort"] == http_port


def test_notes_say_how_to_open_it_through_the_service() -> None:
    assert "/dashboard/" not in render_notes()
    notes = render_notes([ENABLED, "metrics.service.port=9090"])
    assert "Dashboard (read-only" in notes
    assert (
        "kubectl --namespace automation port-forward service/home-colonies-reconciler-metrics 9090"
        in notes
    )
    assert "http://127.0.0.1:9090/dashboard/" in notes


def test_notes_fall_back_to_the_deployment_without_a_service() -> None:
    notes = render_notes([ENABLED, "metrics.service.enabled=false", "reconciler.httpPort=9100"])
    assert "port-forward service/" not in notes
    assert "port-forward deployment/home-colonies-reconciler 9100" in notes
    assert "http://127.0.0.1:9100/dashboard/" in notes
