"""``colonies-sdk diff`` exits as ``kubectl diff``: 0 same, 1 different, >1 error."""

from __future__ import annotations

from tests.cli.operate import Operator, operator, writes

__all__ = ["operator"]


def test_diff_exit_codes_and_field_lines(operator: Operator) -> None:
    operator.define()
    path = operator.write(
        "a.yaml", operator.lamp("hall", {"power": True, "brightness": 10}, room="hall")
    )
    operator.run("apply", "-f", str(path))

    same = operator.run("diff", "-f", str(path), "-f", str(operator.definition_file))
    assert (same.exit_code, same.stdout) == (0, "")

    changed = operator.write(
        "b.yaml",
        operator.lamp("hall", {"power": True, "brightness": 30}),
        operator.lamp("porch", {"power": False}),
    )
    different = operator.run("diff", "-f", str(changed))
    kind = operator.kind.lower()
    assert different.exit_code == 1
    assert different.stdout.splitlines() == [
        f"{kind}/hall differs",
        '  - metadata.labels.room: "hall"',
        "  ~ spec.brightness: 10 -> 30",
        f"{kind}/porch would be created",
        "  + spec.power: false",
    ]
    assert writes(different) == []

    invalid = operator.write("c.yaml", operator.lamp("attic", {"power": "yes"}))
    failed = operator.run("diff", "-f", str(invalid), "-f", str(changed))
    assert failed.exit_code == 2  # an error wins over "differs"
    assert (
        f"{invalid}, document 1 ({kind}/attic): field 'power': 'yes' is not of type 'boolean'"
        in failed.stderr
    )


def test_diff_of_a_missing_file_is_an_error_not_a_difference(operator: Operator) -> None:
    result = operator.run("diff", "-f", str(operator.directory / "nowhere.yaml"))
    assert result.exit_code == 2
    assert "nowhere.yaml: cannot read: No such file or directory" in result.stderr
