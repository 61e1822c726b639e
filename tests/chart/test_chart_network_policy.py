"""networkPolicy: on by default, ingress only to the runtime's HTTP port, from selectable
namespaces; with the dashboard on, NOTES.txt says loudly that it is unauthenticated."""

from __future__ import annotations

import yaml

from tests.chart.helm import CHART_DIR, Rendered, render, render_error, render_notes
from tests.chart.test_chart_validity import assert_valid_kubernetes

DASHBOARD = "reconciler.dashboard.enabled=true"


def sources(chart: Rendered) -> list[dict[str, object]]:
    (rule,) = chart.one("NetworkPolicy")["spec"]["ingress"]
    assert rule["ports"] == [{"port": "http", "protocol": "TCP"}]
    return list(rule["from"])


def test_by_default_only_the_http_port_is_open_from_any_namespace(default_chart: Rendered) -> None:
    policy = default_chart.one("NetworkPolicy")["spec"]
    selector = default_chart.one("Deployment")["spec"]["selector"]["matchLabels"]
    assert policy["podSelector"] == {"matchLabels": selector}
    assert policy["policyTypes"] == ["Ingress"]  # egress stays open: the server, devices
    assert sources(default_chart) == [{"namespaceSelector": {}}]
    assert [p["name"] for p in default_chart.container["ports"]] == ["http"]


def test_allowed_namespaces_by_name_and_by_label() -> None:
    chart = render(
        set_values=[
            "networkPolicy.allowedNamespaces={monitoring,ops}",
            "networkPolicy.namespaceSelector.matchLabels.team=observability",
        ]
    )
    assert sources(chart) == [
        {
            "namespaceSelector": {
                "matchExpressions": [
                    {
                        "key": "kubernetes.io/metadata.name",
                        "operator": "In",
                        "values": ["monitoring", "ops"],
                    }
                ]
            }
        },
        {"namespaceSelector": {"matchLabels": {"team": "observability"}}},
    ]
    assert_valid_kubernetes(chart)


def test_it_can_be_turned_off_and_bad_namespace_names_are_refused() -> None:
    assert list(render(set_values=["networkPolicy.enabled=false"]).all_of("NetworkPolicy")) == []
    assert "allowedNamespaces" in render_error(
        set_values=["networkPolicy.allowedNamespaces={Not_A_Name}"]
    )


def test_notes_say_loudly_that_the_dashboard_is_unauthenticated() -> None:
    notes = render_notes([DASHBOARD])
    assert "WARNING: THE DASHBOARD IS UNAUTHENTICATED" in notes
    assert "narrow networkPolicy.allowedNamespaces" in notes
    assert "NetworkPolicy is off" in render_notes([DASHBOARD, "networkPolicy.enabled=false"])
    narrowed = render_notes([DASHBOARD, "networkPolicy.allowedNamespaces={monitoring}"])
    assert "UNAUTHENTICATED" in narrowed
    assert "narrow networkPolicy" not in narrowed
    assert "UNAUTHENTICATED" not in render_notes()


def test_the_cpu_request_is_set_and_documented(default_chart: Rendered) -> None:
    assert default_chart.container["resources"]["requests"]["cpu"] == "50m"
    values = (CHART_DIR / "values.yaml").read_text()
    assert "# -- The CPU request is what the scheduler reserves" in values
    assert "The 50m CPU request covers an idle runtime" in (CHART_DIR / "README.md").read_text()
    assert yaml.safe_load(values)["resources"]["requests"]["cpu"] == "50m"
