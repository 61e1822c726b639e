"""Diff: field-by-field, only shared fields, None means "don't care", numbers by value."""

from __future__ import annotations

from pydantic import BaseModel

from colonies.runtime import Change, compute_diff


class Cfg(BaseModel):
    mode: str = "a"
    level: int = 0


class Spec(BaseModel):
    power: bool
    brightness: int | None = None
    tags: list[str] = []
    cfg: Cfg = Cfg()
    only_in_spec: str = "x"


class Status(BaseModel):
    power: bool = False
    brightness: float = 0
    tags: list[str] = []
    cfg: Cfg = Cfg()
    only_in_status: str = "y"


def test_equal_models_give_an_empty_falsy_diff() -> None:
    diff = compute_diff(Spec(power=True, brightness=5), Status(power=True, brightness=5.0))
    assert not diff
    assert len(diff) == 0
    assert diff.summary() == "no changes"


def test_changes_are_listed_by_path_with_desired_and_observed() -> None:
    spec = Spec(power=True, brightness=80, tags=["a", "b"], cfg=Cfg(mode="b"))
    status = Status(power=False, brightness=10, tags=["a"], cfg=Cfg(mode="a"))
    diff = compute_diff(spec, status)
    assert list(diff) == [
        Change("brightness", 80, 10),
        Change("cfg.mode", "b", "a"),
        Change("power", True, False),
        Change("tags[1]", "b", None),
    ]
    assert diff.fields == {"brightness", "cfg", "power", "tags"}
    assert diff.changed("cfg")
    assert diff.changed("cfg.mode")
    assert diff.changed("tags")
    assert not diff.changed("cfg.level")
    assert not diff.changed("only_in_spec")
    assert "power: False -> True" in diff.summary()


def test_unset_desired_fields_are_not_enforced() -> None:
    diff = compute_diff(Spec(power=True, brightness=None), Status(power=True, brightness=99))
    assert not diff


def test_fields_missing_from_either_model_are_ignored() -> None:
    diff = compute_diff(Spec(power=True, only_in_spec="z"), Status(power=True, only_in_status="q"))
    assert not diff
