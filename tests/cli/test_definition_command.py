"""``colonies-sdk definition show|diff|upgrade`` as an operator uses it, against the test
server: a definition manifest with a new optional field upgrades; one that shrinks a range
below a stored blueprint's value is refused, naming the blueprint."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel
from typer.testing import CliRunner

from colonies.cli import app
from colonies.cli._common import ExitCode
from colonies.models import Blueprint
from colonies.runtime.definitions import build_definition
from colonies.testing import ThrowawayColony, unique_kind
from tests.runtime.lamps import Lamps
from tests.runtime.test_e2e_definition_upgrade import SpecV1, SpecV2, SpecV3, lamps


def cli_env(colony: ThrowawayColony, *, owner: bool = False) -> dict[str, str]:
    config = colony.target.config
    env = {k: v for k, v in os.environ.items() if not k.startswith("COLONIES_")}
    env |= {
        "COLUMNS": "200",
        "COLONIES_SERVER_HOST": config.host,
        "COLONIES_SERVER_PORT": str(config.port),
        "COLONIES_TLS": "true" if config.tls else "false",
        "COLONIES_COLONY_NAME": colony.name,
        "COLONIES_PRVKEY": colony.user_key.hex(),
    }
    if owner:
        env["COLONIES_COLONY_PRVKEY"] = colony.owner_key.hex()
    return env


def manifest(tmp_path: Path, reconciler: Lamps, spec: type[BaseModel]) -> str:
    definition = build_definition(type(reconciler), "", "lamp-executor")
    document = definition.model_dump(
        mode="json", by_alias=True, exclude={"blueprint_definition_id"}
    )
    path = tmp_path / f"{spec.__name__}.yaml"
    path.write_text(yaml.safe_dump(document))
    return str(path)


@pytest.fixture
def kind(colony: ThrowawayColony) -> str:
    """A kind defined by SpecV1 with one stored blueprint, 'bright' (level 80)."""
    kind = unique_kind("RtCliLamp")
    with colony.client(colony.owner_key) as owner:
        owner.add_blueprint_definition(
            build_definition(type(lamps(SpecV1, kind)), colony.name, "lamp-executor")
        )
    with colony.client() as user:
        user.add_blueprint(
            Blueprint.model_validate(
                {
                    "kind": kind,
                    "metadata": {"name": "bright", "colonyname": colony.name},
                    "spec": {"power": True, "level": 80},
                }
            )
        )
    return kind


def invoke(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["definition", *args], env=env)
    return result.exit_code, result.output


def test_a_compatible_manifest_is_diffed_then_upgraded(
    colony: ThrowawayColony, kind: str, tmp_path: Path
) -> None:
    path = manifest(tmp_path, lamps(SpecV2, kind), SpecV2)
    code, output = invoke(cli_env(colony), "diff", kind.lower(), "-f", path)
    assert code == ExitCode.DIFFERENT
    assert "label: optional field added [added, compatible]" in output
    code, output = invoke(cli_env(colony), "upgrade", kind, "-f", path)
    assert code == ExitCode.USAGE
    assert "COLONIES_COLONY_PRVKEY" in output
    code, output = invoke(cli_env(colony, owner=True), "upgrade", kind, "-f", path)
    assert code == ExitCode.OK, output
    assert f"definition 9999.{kind.lower()} in effect" in output
    code, output = invoke(cli_env(colony), "show", kind)
    assert code == ExitCode.OK
    assert output.index(f"9999.{kind.lower()}") < output.index("superseded")
    assert invoke(cli_env(colony), "diff", kind, "-f", path)[0] == ExitCode.OK


def test_an_incompatible_manifest_names_the_blueprints_that_block_it(
    colony: ThrowawayColony, kind: str, tmp_path: Path
) -> None:
    path = manifest(tmp_path, lamps(SpecV3, kind), SpecV3)
    code, output = invoke(cli_env(colony), "diff", kind, "-f", path)
    assert code == ExitCode.DIFFERENT
    assert f"blocked by {kind}/bright" in output
    code, output = invoke(cli_env(colony, owner=True), "upgrade", kind, "-f", path)
    assert code == ExitCode.REFUSED
    assert "bright (field 'level'" in output


def test_show_piped_never_cuts_a_name(colony: ThrowawayColony) -> None:
    """Bug fix: piped at 80 columns, the table shortened names to 'an-executor-type-…'."""
    kind = unique_kind("RtCliLamp")
    executor_type = "an-executor-type-long-enough-for-an-80-column-table-to-cut-it"
    with colony.client(colony.owner_key) as owner:
        owner.add_blueprint_definition(
            build_definition(type(lamps(SpecV1, kind)), colony.name, executor_type)
        )
    code, output = invoke({**cli_env(colony), "COLUMNS": "80"}, "show", kind)
    assert code == ExitCode.OK, output
    assert executor_type in output


def test_an_unknown_kind_and_a_missing_source_are_clear(colony: ThrowawayColony) -> None:
    code, output = invoke(cli_env(colony), "show", "nosuchkind")
    assert code == ExitCode.NOT_FOUND
    assert "unknown kind 'nosuchkind'" in output
    code, output = invoke(cli_env(colony), "diff", "nosuchkind")
    assert code == ExitCode.NOT_FOUND


def test_tls_against_a_plain_server_is_a_configuration_error(colony: ThrowawayColony) -> None:
    if colony.target.config.tls:
        pytest.skip("the target serves TLS")
    code, output = invoke(cli_env(colony), "show", "anykind", "--tls")
    assert code == ExitCode.USAGE
    assert output.startswith("error: ")
    assert "TLS handshake with https://" in output
    assert output.count("\n") == 1  # one line, no traceback
