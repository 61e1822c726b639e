"""``colonies-sdk delete KIND NAME`` and ``delete -f``."""

from __future__ import annotations

from tests.cli.operate import Operator, operator, writes

__all__ = ["operator"]


def test_delete_by_kind_and_name(operator: Operator) -> None:
    operator.define()
    operator.run(
        "apply",
        "-f",
        str(
            operator.write(
                "a.yaml",
                operator.lamp("hall", {"power": True}),
                operator.lamp("porch", {"power": True}),
            )
        ),
    )

    result = operator.run("delete", f"{operator.kind.lower()}s", "hall")

    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == f"{operator.kind.lower()}/hall deleted"
    assert operator.names() == {"porch"}
    again = operator.run("delete", operator.kind, "hall")
    assert again.exit_code == 3
    assert writes(again) == []


def test_delete_from_manifests_removes_blueprints_then_their_definition(operator: Operator) -> None:
    path = operator.write("a.yaml", operator.lamp("hall", {"power": True}))
    operator.run("apply", "-f", str(operator.definition_file), "-f", str(path))

    result = operator.run("delete", "-f", str(operator.definition_file), "-f", str(path))

    assert result.exit_code == 0, result.stderr
    kind = operator.kind.lower()
    assert result.stdout.splitlines() == [
        f"{kind}/hall deleted",
        f"blueprintdefinition/{kind} deleted",
    ]
    assert writes(result) == ["removeblueprintmsg", "removeblueprintdefinitionmsg"]
    assert operator.names() == set()
