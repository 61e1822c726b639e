"""What to do when a device no longer matches a spec it had reached: the drift policy.

Which differences count as drift (a change the runtime did not make, never an echo of its
own command) is decided in ``override.py``. Drift is then handled by the blueprint's policy:

- ``correct`` (the default): apply the spec again at once;
- ``hold``: leave the device alone for ``hold_period`` seconds after the change was first
  seen (Adaptive Lighting's ``take_over_control``), then correct it;
- ``adopt``: leave the device as the person set it and report the drift until the spec changes.

The policy is the reconciler's ``drift_policy``; a blueprint overrides it with the
annotations ``colonies.dev/drift-policy`` and ``colonies.dev/hold-period`` (seconds).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from enum import StrEnum

POLICY_ANNOTATION = "colonies.dev/drift-policy"
HOLD_PERIOD_ANNOTATION = "colonies.dev/hold-period"


class DriftPolicy(StrEnum):
    """How a reconciler answers a change it did not make."""

    CORRECT = "correct"
    HOLD = "hold"
    ADOPT = "adopt"


def parse_policy(value: object, where: str) -> DriftPolicy:
    """``value`` as a policy, or a ``ValueError`` that names ``where`` and the choices."""
    try:
        return DriftPolicy(str(value).strip().lower())
    except ValueError:
        choices = ", ".join(policy.value for policy in DriftPolicy)
        raise ValueError(f"{where}: {value!r} is not a drift policy ({choices})") from None


def parse_hold_period(value: object, where: str) -> float:
    """``value`` as a positive number of seconds, or a ``ValueError`` naming ``where``."""
    try:
        seconds = float(str(value).strip())
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and seconds > 0):
        raise ValueError(f"{where}: {value!r} is not a positive number of seconds")
    return seconds


def policy_overrides(annotations: Mapping[str, str]) -> tuple[DriftPolicy | None, float | None]:
    """The policy and hold period a blueprint's annotations set (``None`` where unset).

    Raises ``ValueError`` naming the annotation, so ``apply`` can refuse a bad one.
    """
    policy = annotations.get(POLICY_ANNOTATION)
    period = annotations.get(HOLD_PERIOD_ANNOTATION)
    return (
        None if policy is None else parse_policy(policy, POLICY_ANNOTATION),
        None if period is None else parse_hold_period(period, HOLD_PERIOD_ANNOTATION),
    )
