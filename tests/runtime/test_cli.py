"""``colonies-sdk run``: flags for every setting that win over the environment, clear
start-up errors, and the runnable example under ``--dev`` (the embedded server, in-process)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

from typer.testing import CliRunner

from colonies.cli import app
from colonies.client import ColoniesClient
from colonies.config import ClientConfig
from colonies.models import Blueprint
from colonies.runtime.settings import ENV_SETTINGS
from colonies.testing import ThrowawayColony, unique_kind, unique_name
from colonies.testing.runner import converged
from tests.helpers import eventually
from tests.runtime.cli_process import cli_runtime, runtime_env

ROOT = Path(__file__).parents[2]


def test_help_lists_a_flag_for_every_setting() -> None:
    result = CliRunner().invoke(app, ["run", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for setting in ENV_SETTINGS:
        assert setting.flag in result.output, setting.flag
        assert setting.env in result.output, setting.env


def test_bad_target_and_bad_values_exit_2_with_a_message() -> None:
    result = CliRunner().invoke(app, ["run", "no_such_module_here:Thing"])
    assert result.exit_code == 2
    assert "cannot import no_such_module_here" in result.output
    result = CliRunner().invoke(
        app, ["run", "examples/light_reconciler.py:Light", "--reconciler-concurrency", "0"]
    )
    assert result.exit_code == 2
    assert "Invalid value for '--reconciler-concurrency'" in result.output
    assert "must be at least 1" in result.output


def test_the_example_runs_under_dev_and_converges() -> None:
    command = Path(sys.executable).parent / "colonies-sdk"
    env = {
        **os.environ,
        "COLONIES_RECONCILER_HTTP_PORT": "0",
        "COLONIES_RECONCILER_ASSIGN_TIMEOUT": "1",
    }
    run = subprocess.Popen(
        [str(command), "run", "--dev", "examples/light_reconciler.py:Light"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(run.stdout or []), daemon=True)
    reader.start()
    try:
        export = eventually(lambda: next((x for x in lines if x.startswith("export ")), None))
        variables = dict(re.findall(r"(COLONIES_\w+)=(\S+)", export))
        assert "COLONIES_COLONY_PRVKEY" in variables  # enough for a second runtime
        example = subprocess.run(
            [sys.executable, "examples/light_reconciler.py", "add", "porch", "--brightness", "9"],
            cwd=ROOT,
            env={**os.environ, **variables},
            capture_output=True,
            text=True,
            check=True,
        )
        assert '"brightness": 9' in example.stdout
        with ColoniesClient.from_config(ClientConfig.from_env(variables)) as client:

            def porch_converged() -> Blueprint | None:
                blueprint = client.get_blueprint("dev", "porch")
                return blueprint if converged(blueprint) else None

            porch = eventually(porch_converged)
        assert porch.status is not None
        assert porch.status["brightness"] == 9
        run.send_signal(signal.SIGINT)
        assert run.wait(timeout=60) == 0
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()


def test_flags_win_over_the_environment(colony: ThrowawayColony, tmp_path: Path) -> None:
    from_flag = unique_name("from-flag")
    env = {
        **runtime_env(colony, tmp_path, unique_kind("RtSlowLamp")),
        "COLONIES_COLONY_NAME": unique_name("no-such-colony"),
        "COLONIES_EXECUTOR_NAME": unique_name("from-env"),
        "COLONIES_RECONCILER_LOG_FORMAT": "console",
    }
    flags = (
        *("--colony", colony.name),
        *("--executor-name", from_flag),
        *("--reconciler-log-format", "json"),
    )
    with cli_runtime(env, *flags) as runtime:

        def serving() -> bool:
            assert runtime.process.poll() is None, "".join(runtime.stderr)
            return any("reconciling" in line for line in runtime.stderr)

        eventually(serving, timeout=60)
        runtime.process.send_signal(signal.SIGTERM)
        assert runtime.process.wait(timeout=60) == 0
    records = [json.loads(line) for line in runtime.stderr]  # a console line would not parse
    started = next(r["message"] for r in records if r["message"].startswith("reconciling"))
    assert f"in colony {colony.name} as executor {from_flag} " in started
    with colony.client() as user:
        assert user.get_executor(colony.name, from_flag).executor_name == from_flag


def test_a_flag_fixes_a_bad_env_value() -> None:
    from colonies.cli.run import settings_from

    (concurrency,) = (s for s in ENV_SETTINGS if s.env == "COLONIES_RECONCILER_CONCURRENCY")
    settings = settings_from({concurrency: 2}, {"COLONIES_RECONCILER_CONCURRENCY": "0"})
    assert settings.worker.concurrency == 2
