"""``colonies-sdk demo``: the home-automation reconciler converging devices on the embedded dev
server, from start to a summary, with no input. The work lives in ``colonies_home.demo``."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


def demo(
    backend: str = typer.Option(
        "simulated",
        "--backend",
        help="simulated: in-process SIMULATED devices (nothing to install); mqtt: the "
        "Zigbee2MQTT simulator on Mosquitto; homeassistant: Home Assistant's demo entities.",
    ),
    mqtt_host: str | None = typer.Option(
        None, "--mqtt-host", help="Use this MQTT broker instead of starting a private Mosquitto."
    ),
    mqtt_port: int = typer.Option(1883, "--mqtt-port", help="Port of --mqtt-host."),
    ha_url: str | None = typer.Option(
        None,
        "--ha-url",
        help="Use this Home Assistant (with the demo integration) instead of starting one.",
    ),
    ha_token: str | None = typer.Option(
        None, "--ha-token", envvar="COLONIES_HOME_HA_TOKEN", help="Access token for --ha-url."
    ),
    step_timeout: float = typer.Option(
        30.0, "--step-timeout", min=1.0, help="Seconds each step may take to converge."
    ),
) -> None:
    """Run the home-automation demo: converge, change a spec, fix drift, summarise, exit."""
    from colonies_home.demo import DemoBackend, DemoOptions, run

    try:
        chosen = DemoBackend(backend)
    except ValueError:
        choices = ", ".join(b.value for b in DemoBackend)
        raise typer.BadParameter(f"choose one of {choices}", param_hint="--backend") from None
    options = DemoOptions(
        backend=chosen,
        mqtt_host=mqtt_host,
        mqtt_port=mqtt_port,
        ha_url=ha_url,
        ha_token=ha_token,
        step_timeout=step_timeout,
    )
    raise typer.Exit(run(options))
