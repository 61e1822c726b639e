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
    dashboard: bool = typer.Option(
        False,
        "--dashboard",
        help="Also serve the read-only blueprint dashboard of the demo colony on 127.0.0.1 "
        "(a free port; the URL is printed at the start).",
    ),
    keep_open: float = typer.Option(
        0.0,
        "--keep-open",
        min=0.0,
        metavar="SECONDS",
        help="With --dashboard: keep serving it this long after the summary (Ctrl-C ends "
        "it sooner).",
    ),
) -> None:
    """Run the home-automation demo: converge, change a spec, fix drift, summarise, exit."""
    from colonies_home.demo import DemoBackend, DemoOptions, run

    try:
        chosen = DemoBackend(backend)
    except ValueError:
        choices = ", ".join(b.value for b in DemoBackend)
        raise typer.BadParameter(f"choose one of {choices}", param_hint="--backend") from None
    if keep_open and not dashboard:
        raise typer.BadParameter("only makes sense with --dashboard", param_hint="--keep-open")
    options = DemoOptions(
        backend=chosen,
        mqtt_host=mqtt_host,
        mqtt_port=mqtt_port,
        ha_url=ha_url,
        ha_token=ha_token,
        step_timeout=step_timeout,
        dashboard=dashboard,
        keep_open=keep_open,
    )
    raise typer.Exit(run(options))
