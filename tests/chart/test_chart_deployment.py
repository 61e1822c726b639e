"""The Deployment: hardened pods, probes on the runtime's endpoints, the runtime's settings as
the documented env variables, and the scheduling knobs passed through."""

from __future__ import annotations

from pathlib import Path

import yaml

from colonies.runtime.settings import ENV_SETTINGS
from tests.chart.helm import (
    SCALED_OUT,
    SELF_REGISTRATION_TLS,
    SINGLE_CHART_SECRET,
    Rendered,
    render,
)

# The runtime's own table of settings, each read from one env variable.
RUNTIME_ENV_NAMES = {setting.env for setting in ENV_SETTINGS}


def test_pods_run_hardened_in_every_configuration(
    default_chart: Rendered, ci_chart: Rendered
) -> None:
    for chart in (default_chart, ci_chart):
        pod_security = chart.pod_spec["securityContext"]
        assert pod_security["runAsNonRoot"] is True
        assert pod_security["seccompProfile"] == {"type": "RuntimeDefault"}
        security = chart.container["securityContext"]
        assert security["runAsNonRoot"] is True
        assert security["allowPrivilegeEscalation"] is False
        assert security["readOnlyRootFilesystem"] is True
        assert security["privileged"] is False
        assert security["capabilities"] == {"drop": ["ALL"]}
        assert security["seccompProfile"] == {"type": "RuntimeDefault"}
        assert chart.pod_spec["automountServiceAccountToken"] is False


def test_tmp_is_a_writable_empty_dir_on_the_read_only_root(default_chart: Rendered) -> None:
    (tmp_mount,) = [m for m in default_chart.container["volumeMounts"] if m["name"] == "tmp"]
    assert tmp_mount["mountPath"] == "/tmp"
    assert "readOnly" not in tmp_mount
    (tmp_volume,) = [v for v in default_chart.pod_spec["volumes"] if v["name"] == "tmp"]
    assert tmp_volume["emptyDir"] == {"sizeLimit": "64Mi"}


def test_probes_hit_healthz_and_readyz_on_the_runtime_port(ci_chart: Rendered) -> None:
    container = ci_chart.container
    (port,) = container["ports"]
    assert port["name"] == "http"
    assert str(port["containerPort"]) == ci_chart.plain_env["COLONIES_RECONCILER_HTTP_PORT"]
    assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
    if "livenessProbe" in container:
        assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}


def test_probes_can_be_switched_off() -> None:
    container = render([SINGLE_CHART_SECRET]).container
    assert "livenessProbe" not in container
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"


def test_the_chart_sets_only_variables_the_runtime_reads(
    ci_chart: Rendered, ci_values_file: Path
) -> None:
    extra_env = yaml.safe_load(ci_values_file.read_text()).get("extraEnv", [])
    chart_names = set(ci_chart.env) - {entry["name"] for entry in extra_env}
    assert chart_names <= RUNTIME_ENV_NAMES
    assert ci_chart.plain_env["COLONIES_RECONCILER_HTTP_HOST"] == "0.0.0.0"


def test_default_env_carries_the_default_settings(default_chart: Rendered) -> None:
    expected = {
        "COLONIES_SERVER_HOST": "colonies-server",
        "COLONIES_SERVER_PORT": "50080",
        "COLONIES_TLS": "false",
        "COLONIES_INSECURE": "false",
        "COLONIES_COLONY_NAME": "home",
        "COLONIES_RECONCILER_CONCURRENCY": "4",
        "COLONIES_RECONCILER_HTTP_HOST": "0.0.0.0",
        "COLONIES_RECONCILER_HTTP_PORT": "8080",
        "COLONIES_RECONCILER_LOG_LEVEL": "info",
        "COLONIES_RECONCILER_LOG_FORMAT": "json",
        "COLONIES_RECONCILER_GRACE_PERIOD": "30",
    }
    assert {name: default_chart.plain_env[name] for name in expected} == expected
    assert "COLONIES_EXECUTOR_TYPE" not in default_chart.env
    assert "COLONIES_RECONCILER_LOCATION" not in default_chart.env
    assert "COLONIES_TLS_CA" not in default_chart.env


def test_kubernetes_waits_longer_than_the_runtime_grace_period(ci_chart: Rendered) -> None:
    grace = int(ci_chart.plain_env["COLONIES_RECONCILER_GRACE_PERIOD"])
    assert ci_chart.pod_spec["terminationGracePeriodSeconds"] > grace


def test_executor_name_is_the_pod_name_by_default(default_chart: Rendered) -> None:
    assert default_chart.env["COLONIES_EXECUTOR_NAME"]["valueFrom"] == {
        "fieldRef": {"fieldPath": "metadata.name"}
    }


def test_executor_name_and_type_can_be_fixed() -> None:
    chart = render([SINGLE_CHART_SECRET], ["executor.type=lights"])
    assert chart.plain_env["COLONIES_EXECUTOR_NAME"] == "living-room-reconciler"
    assert chart.plain_env["COLONIES_EXECUTOR_TYPE"] == "lights"


def test_the_target_is_the_only_argument_to_the_image_entrypoint(
    default_chart: Rendered,
) -> None:
    container = default_chart.container
    assert "command" not in container  # the image's ENTRYPOINT is `colonies-sdk run`
    assert container["args"] == ["colonies_home:HomeDeviceReconciler"]
    assert container["image"] == "colonies-sdk:0.1.0"


def test_location_and_reconciler_settings_reach_the_pods() -> None:
    chart = render([SCALED_OUT])
    assert chart.plain_env["COLONIES_RECONCILER_LOCATION"] == "ground-floor"
    assert chart.plain_env["COLONIES_RECONCILER_CONCURRENCY"] == "8"
    assert chart.plain_env["COLONIES_HOME_MQTT_HOST"] == "mosquitto.home.svc.cluster.local"
    assert chart.env["COLONIES_HOME_HA_TOKEN"]["valueFrom"]["secretKeyRef"] == {
        "name": "home-assistant",
        "key": "token",
    }


def test_target_and_extra_arguments_are_configurable() -> None:
    chart = render([SELF_REGISTRATION_TLS])
    assert chart.container["args"] == [
        "lab_reconcilers.thermostat:Thermostat",
        "--some-flag",
        "value",
    ]


def test_replicas_follow_the_values(default_chart: Rendered) -> None:
    assert default_chart.one("Deployment")["spec"]["replicas"] == 1
    assert render([SCALED_OUT]).one("Deployment")["spec"]["replicas"] == 3
    assert render(set_values=["replicaCount=7"]).one("Deployment")["spec"]["replicas"] == 7


def test_rolling_update_never_drops_below_the_wanted_replicas(default_chart: Rendered) -> None:
    assert default_chart.one("Deployment")["spec"]["strategy"] == {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0},
    }
    recreate = render([SINGLE_CHART_SECRET]).one("Deployment")["spec"]["strategy"]
    assert recreate == {"type": "Recreate"}


def test_tls_settings_and_the_ca_bundle_mount() -> None:
    chart = render([SELF_REGISTRATION_TLS])
    assert chart.plain_env["COLONIES_TLS"] == "true"
    assert chart.plain_env["COLONIES_SERVER_PORT"] == "443"
    ca_path = Path(chart.plain_env["COLONIES_TLS_CA"])
    (mount,) = [m for m in chart.container["volumeMounts"] if m["name"] == "server-ca"]
    assert mount["readOnly"] is True
    assert ca_path.parent == Path(mount["mountPath"])
    (volume,) = [v for v in chart.pod_spec["volumes"] if v["name"] == "server-ca"]
    assert volume["secret"]["secretName"] == "colonies-ca"
    assert volume["secret"]["items"] == [{"key": "ca.pem", "path": ca_path.name}]


def test_extra_env_volumes_and_mounts_are_added() -> None:
    chart = render([SELF_REGISTRATION_TLS])
    assert chart.plain_env["HOME_ASSISTANT_URL"] == "http://homeassistant.home.svc:8123"
    assert chart.env["HOME_ASSISTANT_TOKEN"]["valueFrom"]["secretKeyRef"]["name"] == (
        "home-assistant-token"
    )
    assert chart.container["envFrom"] == [{"configMapRef": {"name": "lab-settings"}}]
    assert {"name": "reconciler-config", "mountPath": "/etc/lab", "readOnly": True} in (
        chart.container["volumeMounts"]
    )
    assert {"name": "reconciler-config", "configMap": {"name": "lab-reconciler-config"}} in (
        chart.pod_spec["volumes"]
    )
    pod_metadata = chart.one("Deployment")["spec"]["template"]["metadata"]
    assert pod_metadata["labels"]["example.com/tier"] == "automation"
    assert pod_metadata["annotations"]["example.com/team"] == "lab"


def test_scheduling_settings_pass_through() -> None:
    pod = render([SCALED_OUT]).pod_spec
    assert pod["nodeSelector"] == {"kubernetes.io/os": "linux"}
    assert pod["tolerations"][0]["key"] == "dedicated"
    assert "podAntiAffinity" in pod["affinity"]
    assert pod["imagePullSecrets"] == [{"name": "regcred"}]
    assert pod["priorityClassName"] == "system-cluster-critical"


def test_spread_constraints_select_this_release_pods_unless_told_otherwise() -> None:
    chart = render([SCALED_OUT])
    (constraint,) = chart.pod_spec["topologySpreadConstraints"]
    selector = chart.one("Deployment")["spec"]["selector"]
    assert constraint["labelSelector"] == selector
    assert constraint["topologyKey"] == "topology.kubernetes.io/zone"
    own = {"matchLabels": {"team": "lab"}}
    custom = render(
        set_values=[
            "topologySpreadConstraints[0].maxSkew=1",
            "topologySpreadConstraints[0].topologyKey=kubernetes.io/hostname",
            "topologySpreadConstraints[0].whenUnsatisfiable=DoNotSchedule",
            "topologySpreadConstraints[0].labelSelector.matchLabels.team=lab",
        ]
    )
    assert custom.pod_spec["topologySpreadConstraints"][0]["labelSelector"] == own


def test_selector_matches_the_pod_labels(ci_chart: Rendered) -> None:
    deployment = ci_chart.one("Deployment")
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= pod_labels.items()


def test_resources_have_a_memory_limit(default_chart: Rendered) -> None:
    resources = default_chart.container["resources"]
    assert resources["limits"]["memory"] == "256Mi"
    assert resources["requests"] == {"cpu": "50m", "memory": "96Mi"}
