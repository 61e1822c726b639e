"""Field-by-field difference between what the spec wants and what the device reports.

Only fields that exist on both the spec and the status model are compared; a spec field
left as ``None`` means "don't care" and is never enforced. Numbers compare by value
(``50 == 50.0``), as the server does.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from deepdiff import DeepDiff
from deepdiff.helper import notpresent
from pydantic import BaseModel


@dataclass(frozen=True)
class Change:
    """One differing value: ``path`` like ``brightness``, ``cfg.mode`` or ``tags[1]``.

    ``desired``/``observed`` are JSON values; a side that does not exist is ``None``.
    """

    path: str
    desired: Any
    observed: Any

    def __str__(self) -> str:
        return f"{self.path}: {self.observed!r} -> {self.desired!r}"


@dataclass(frozen=True)
class Diff:
    """All changes needed to converge; truthy when anything differs."""

    changes: tuple[Change, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.changes)

    def __len__(self) -> int:
        return len(self.changes)

    def __iter__(self) -> Iterator[Change]:
        return iter(self.changes)

    def changed(self, field: str) -> bool:
        """Whether ``field`` (a top-level name or a dotted path) or anything inside it differs."""
        return any(
            change.path == field or change.path.startswith((f"{field}.", f"{field}["))
            for change in self.changes
        )

    @property
    def fields(self) -> frozenset[str]:
        """The top-level field names that differ."""
        return frozenset(change.path.split(".")[0].split("[")[0] for change in self.changes)

    def summary(self) -> str:
        """One line for logs and process outputs."""
        return "; ".join(str(change) for change in self.changes) or "no changes"


def _format_path(parts: list[Any]) -> str:
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def compared_fields(spec_model: type[BaseModel], status_model: type[BaseModel]) -> tuple[str, ...]:
    """The field names both models declare, in spec order: the only ones a diff looks at."""
    status_fields = status_model.model_fields
    return tuple(name for name in spec_model.model_fields if name in status_fields)


def compute_diff(spec: BaseModel, status: BaseModel) -> Diff:
    """Compare the desired spec with an observed status, field by field."""
    names = compared_fields(type(spec), type(status))
    desired_all = spec.model_dump(mode="json")
    observed_all = status.model_dump(mode="json")
    desired = {name: desired_all[name] for name in names if desired_all[name] is not None}
    observed = {name: observed_all[name] for name in desired}
    tree = DeepDiff(observed, desired, view="tree", ignore_numeric_type_changes=True)
    changes = [
        Change(
            path=_format_path(level.path(output_format="list")),
            desired=None if level.t2 is notpresent else level.t2,
            observed=None if level.t1 is notpresent else level.t1,
        )
        for levels in tree.values()
        for level in levels
    ]
    return Diff(tuple(sorted(changes, key=lambda change: change.path)))
