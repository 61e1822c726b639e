"""Key wiring (always from a Secret, never a plain env value), the metrics Service and the
optional ServiceMonitor, and the PodDisruptionBudget."""

from __future__ import annotations

import base64
from pathlib import Path

import yaml

from tests.chart.helm import (
    SCALED_OUT,
    SELF_REGISTRATION_TLS,
    SINGLE_CHART_SECRET,
    Rendered,
    render,
)

KEY_VARIABLES = ("COLONIES_PRVKEY", "COLONIES_COLONY_PRVKEY")
TEST_KEY = "4" * 64


def secret_ref(chart: Rendered, variable: str) -> dict[str, str]:
    ref: dict[str, str] = chart.env[variable]["valueFrom"]["secretKeyRef"]
    return ref


def secrets_by_name(chart: Rendered) -> dict[str, dict[str, str]]:
    return {doc["metadata"]["name"]: doc["data"] for doc in chart.all_of("Secret")}


def test_no_key_is_ever_a_plain_env_value(default_chart: Rendered, ci_chart: Rendered) -> None:
    for chart in (default_chart, ci_chart):
        for variable in KEY_VARIABLES:
            if variable in chart.env:
                assert "value" not in chart.env[variable]
                assert set(chart.env[variable]["valueFrom"]) == {"secretKeyRef"}


def test_default_reads_the_executor_key_from_an_existing_secret(
    default_chart: Rendered,
) -> None:
    assert secret_ref(default_chart, "COLONIES_PRVKEY") == {
        "name": "colonies-executor-key",
        "key": "prvkey",
    }
    assert "COLONIES_COLONY_PRVKEY" not in default_chart.env
    assert list(default_chart.all_of("Secret")) == []


def test_existing_secret_name_and_key_are_configurable() -> None:
    chart = render([SCALED_OUT])
    assert secret_ref(chart, "COLONIES_PRVKEY") == {
        "name": "home-reconciler-executor-key",
        "key": "key",
    }


def test_a_key_value_becomes_a_chart_secret_the_pods_read() -> None:
    chart = render([SINGLE_CHART_SECRET])
    ref = secret_ref(chart, "COLONIES_PRVKEY")
    assert ref == {"name": "home-colonies-reconciler-executor-key", "key": "prvkey"}
    secret = secrets_by_name(chart)[ref["name"]]
    assert base64.b64decode(secret["prvkey"]).decode() == "1" * 64


def test_surrounding_whitespace_of_a_key_from_a_file_is_dropped(tmp_path: Path) -> None:
    """`--set-file` keeps the key file's final newline; the Secret must not."""
    values = tmp_path / "key-with-newline.yaml"
    values.write_text(yaml.safe_dump({"executorKey": {"value": f"{TEST_KEY}\n"}}))
    chart = render([values])
    (secret,) = secrets_by_name(chart).values()
    assert base64.b64decode(secret["prvkey"]).decode() == TEST_KEY


def test_changing_a_chart_made_key_rolls_the_pods() -> None:
    def checksum(key: str) -> str:
        chart = render(set_values=[f"executorKey.value={key}"])
        annotations = chart.one("Deployment")["spec"]["template"]["metadata"]["annotations"]
        value: str = annotations["checksum/keys"]
        return value

    assert checksum("5" * 64) != checksum("6" * 64)


def test_self_registration_wires_the_owner_key_and_lets_pods_make_their_own() -> None:
    chart = render([SELF_REGISTRATION_TLS])
    ref = secret_ref(chart, "COLONIES_COLONY_PRVKEY")
    assert ref == {"name": "home-colonies-reconciler-colony-owner-key", "key": "prvkey"}
    assert base64.b64decode(secrets_by_name(chart)[ref["name"]]["prvkey"]).decode() == "2" * 64
    assert "COLONIES_PRVKEY" not in chart.env


def test_owner_key_from_an_existing_secret_next_to_an_executor_key() -> None:
    """One executor with a fixed name and key that registers itself on start."""
    chart = render(
        set_values=[
            "executor.name=hall-reconciler",
            "colonyOwnerKey.enabled=true",
            "colonyOwnerKey.existingSecret=colony-owner",
            "colonyOwnerKey.secretKey=owner.key",
        ]
    )
    assert secret_ref(chart, "COLONIES_COLONY_PRVKEY") == {
        "name": "colony-owner",
        "key": "owner.key",
    }
    assert secret_ref(chart, "COLONIES_PRVKEY")["name"] == "colonies-executor-key"


def test_a_disabled_owner_key_is_not_wired_even_with_a_value() -> None:
    chart = render(set_values=[f"colonyOwnerKey.value={TEST_KEY}"])
    assert "COLONIES_COLONY_PRVKEY" not in chart.env
    assert list(chart.all_of("Secret")) == []


def test_metrics_service_fronts_the_runtime_port(default_chart: Rendered) -> None:
    service = default_chart.one("Service")
    (port,) = service["spec"]["ports"]
    assert port == {"name": "http-metrics", "port": 8080, "targetPort": "http", "protocol": "TCP"}
    pod_labels = default_chart.one("Deployment")["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= pod_labels.items()


def test_service_monitor_is_off_by_default(default_chart: Rendered) -> None:
    assert "ServiceMonitor" not in default_chart.kinds()


def test_service_monitor_scrapes_the_metrics_service() -> None:
    chart = render([SCALED_OUT])
    monitor = chart.one("ServiceMonitor")
    service = chart.one("Service")
    assert monitor["apiVersion"] == "monitoring.coreos.com/v1"
    assert monitor["metadata"]["labels"]["release"] == "kube-prometheus-stack"
    selector = monitor["spec"]["selector"]["matchLabels"]
    assert selector.items() <= service["metadata"]["labels"].items()
    assert monitor["spec"]["namespaceSelector"] == {"matchNames": ["automation"]}
    (endpoint,) = monitor["spec"]["endpoints"]
    assert endpoint == {
        "port": service["spec"]["ports"][0]["name"],
        "path": "/metrics",
        "interval": "15s",
        "scrapeTimeout": "5s",
    }


def test_metrics_service_can_be_left_out() -> None:
    assert "Service" not in render([SINGLE_CHART_SECRET]).kinds()


def test_disruption_budget_allows_one_pod_down_by_default(default_chart: Rendered) -> None:
    budget = default_chart.one("PodDisruptionBudget")["spec"]
    assert budget["maxUnavailable"] == 1
    assert "minAvailable" not in budget
    deployment = default_chart.one("Deployment")
    assert budget["selector"] == deployment["spec"]["selector"]


def test_disruption_budget_takes_min_available_or_percentages() -> None:
    budget = render([SCALED_OUT]).one("PodDisruptionBudget")["spec"]
    assert budget["minAvailable"] == 2
    assert "maxUnavailable" not in budget
    percent = render(set_values=["podDisruptionBudget.maxUnavailable=50%"])
    assert percent.one("PodDisruptionBudget")["spec"]["maxUnavailable"] == "50%"


def test_disruption_budget_can_be_left_out() -> None:
    assert "PodDisruptionBudget" not in render([SINGLE_CHART_SECRET]).kinds()


def test_service_account_is_made_and_used(default_chart: Rendered) -> None:
    account = default_chart.one("ServiceAccount")
    assert account["automountServiceAccountToken"] is False
    assert default_chart.pod_spec["serviceAccountName"] == account["metadata"]["name"]
    existing = render([SINGLE_CHART_SECRET])
    assert "ServiceAccount" not in existing.kinds()
    assert existing.pod_spec["serviceAccountName"] == "default"
